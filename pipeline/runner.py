"""Streams articles through the stages and collects failures.

:class:`Kiku` is the library entry point (the command line and notebooks use the same one): it
builds the heavy objects — tagger, summarizer — once, then takes articles one at a time. A bad
article becomes a :class:`Failure` with its id, origin and stage; the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pipeline.config import Config, load_config
from pipeline.errors import ArticleError, KikuError
from pipeline.ingest import read_inputs
from pipeline.summarize import Summarizer, build_summarizer
from pipeline.text import Preprocessor, Tagger
from pipeline.types import Article, Document, Failure, Summary

if TYPE_CHECKING:
    from pipeline.digest import Digest, DigestOptions


class Kiku:
    """The summarising pipeline, built once from a config."""

    def __init__(
        self,
        config: Config | None = None,
        summarizer: str | None = None,
        *,
        strict: bool = False,
        tagger: Tagger | None = None,
    ) -> None:
        self.config = config or load_config()
        self.tagger = tagger or Tagger()  # pass one in to share it between pipelines
        self.preprocess = Preprocessor(self.tagger)
        self.summarizer: Summarizer = build_summarizer(
            summarizer or self.config.summary.summarizer, self.config, self.tagger
        )
        self.strict = strict
        self._digest_builder = None

    @classmethod
    def from_files(
        cls,
        config_files: Iterable[str | Path] = (),
        overrides: Iterable[str] = (),
        summarizer: str | None = None,
        *,
        strict: bool = False,
    ) -> "Kiku":
        return cls(load_config(config_files, overrides), summarizer, strict=strict)

    def document(self, article: Article) -> Document:
        return self.preprocess(article)

    def summarize(self, article: Article) -> Summary:
        """Summarise one article; raises :class:`ArticleError` when it cannot be."""
        return self.summarizer.summarize(self.preprocess(article))

    def summarize_text(self, body: str, title: str | None = None, article_id: str = "text") -> Summary:
        """Convenience for notebooks: summarise a string."""
        return self.summarize(Article(id=article_id, body=body, title=title, origin=article_id))

    def run(self, items: Iterable[Article | Failure]) -> Iterator[Summary | Failure]:
        """Summarise each article; pass failures through and turn errors into failures.
        Results come out in input order. A summarizer with ``summarize_batch`` (the model one)
        gets articles in groups of its ``batch_articles``, so one model call serves several."""
        size = getattr(self.summarizer, "batch_articles", 1) if hasattr(self.summarizer, "summarize_batch") else 1
        pending: list[Article | Failure] = []
        for item in items:
            if isinstance(item, Failure) and self.strict:
                raise KikuError(item.describe())
            pending.append(item)
            if sum(isinstance(p, Article) for p in pending) >= size:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def _flush(self, items: list[Article | Failure]) -> Iterator[Summary | Failure]:
        articles = [item for item in items if isinstance(item, Article)]
        results: dict[int, Summary | Failure] = {}
        docs: list[tuple[int, Document]] = []
        for item in articles:
            try:
                docs.append((id(item), self.preprocess(item)))
            except Exception as exc:  # noqa: BLE001 - recorded per article, see _failure
                results[id(item)] = self._failure(item, exc)
        batch = getattr(self.summarizer, "summarize_batch", None)
        if batch is not None and docs:
            try:
                outcomes: list[Summary | Exception] = list(batch([doc for _, doc in docs]))
            except Exception as exc:  # noqa: BLE001 - a failing batch fails its articles only
                outcomes = [exc] * len(docs)
        else:
            outcomes = []
            for _, doc in docs:
                try:
                    outcomes.append(self.summarizer.summarize(doc))
                except Exception as exc:  # noqa: BLE001 - recorded per article, see _failure
                    outcomes.append(exc)
        by_id = {key: item for item in articles for key in [id(item)]}
        for (key, _), outcome in zip(docs, outcomes):
            results[key] = outcome if isinstance(outcome, Summary) else self._failure(by_id[key], outcome)
        for item in items:
            yield item if isinstance(item, Failure) else results[id(item)]

    def _failure(self, item: Article, exc: BaseException) -> Failure:
        """One article's error as a recorded failure (or raised, with --strict)."""
        if self.strict or not isinstance(exc, Exception):
            raise exc
        if isinstance(exc, ArticleError):
            return Failure(item.origin or item.id, "summarize", exc.message, item.id)
        return Failure(
            item.origin or item.id,
            "summarize",
            f"internal error ({type(exc).__name__}: {exc}); rerun with --strict --debug "
            "for a traceback and report it",
            item.id,
        )

    def digest(
        self,
        articles: Iterable[Article],
        options: "DigestOptions | None" = None,
        on_failure: Callable[[Failure], None] | None = None,
        on_summary: Callable[[Summary], None] | None = None,
    ) -> "Digest":
        """Summarise the articles the options keep and assemble the digest draft (see
        :mod:`pipeline.digest`); render it with :mod:`pipeline.digest_render`. Articles that
        fail go to ``on_failure`` and are left out of the draft."""
        from pipeline.digest import DigestBuilder, DigestOptions, select, writer_of

        cfg = self.config.digest
        options = options or DigestOptions(sections=cfg.sections, points=cfg.points)
        chosen, left_out = select(list(articles), options)
        summaries: list[Summary] = []
        for result in self.run(chosen):
            if isinstance(result, Failure):
                if on_failure is not None:
                    on_failure(result)
                continue
            if on_summary is not None:
                on_summary(result)
            summaries.append(result)
        if self._digest_builder is None:
            self._digest_builder = DigestBuilder(self.config, self.tagger, writer_of(self.summarizer))
        model = next((s.model for s in summaries if s.model), None)
        name = summaries[0].summarizer if summaries else getattr(self.summarizer, "name", "")
        return self._digest_builder.build(summaries, options, summarizer=name, model=model, left_out=left_out)

    def run_inputs(
        self, inputs: Iterable[str], stdin: BinaryIO | None = None, warn: Callable[[str], None] | None = None
    ) -> Iterator[Summary | Failure]:
        """Read files, folders, URLs or ``-`` (see :mod:`pipeline.ingest`) and summarise every
        article found; warnings (duplicates dropped, a malformed feed) go to ``warn``."""
        return self.run(read_inputs(inputs, stdin, self.config.input, warn))
