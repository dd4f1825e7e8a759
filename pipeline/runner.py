"""Streams articles through the stages and collects failures.

:class:`Kiku` is the library entry point (the command line and notebooks use the same one): it
builds the heavy objects — tagger, summarizer — once, then takes articles one at a time. A bad
article becomes a :class:`Failure` with its id, origin and stage; the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pipeline.config import Config, load_config
from pipeline.errors import ArticleError, KikuError
from pipeline.ingest import read_inputs
from pipeline.summarize import Summarizer, build_summarizer
from pipeline.text import Preprocessor, Tagger
from pipeline.types import Article, Document, Failure, Summary


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
        """Summarise each article; pass failures through and turn errors into failures."""
        for item in items:
            if isinstance(item, Failure):
                if self.strict:
                    raise KikuError(item.describe())
                yield item
                continue
            try:
                yield self.summarize(item)
            except ArticleError as exc:
                if self.strict:
                    raise
                yield Failure(item.origin or item.id, "summarize", exc.message, item.id)
            except Exception as exc:  # noqa: BLE001 - one article's bug must not end the batch
                if self.strict:
                    raise
                yield Failure(
                    item.origin or item.id,
                    "summarize",
                    f"internal error ({type(exc).__name__}: {exc}); rerun with --strict --debug "
                    "for a traceback and report it",
                    item.id,
                )

    def run_inputs(self, inputs: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[Summary | Failure]:
        return self.run(read_inputs(inputs, stdin))
