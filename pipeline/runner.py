"""Streams articles through the stages, collects failures, and says how a run went.

:class:`Kiku` is the library entry point (the command line and notebooks use the same one): it
builds the heavy objects — tagger, summarizer — once, then takes articles one at a time. A bad
article becomes a :class:`Failure` with its id, origin and stage; the rest go on. Each command
of ``kiku`` is one call here (:meth:`Kiku.summarize_inputs`, :meth:`Kiku.digest_inputs`,
:func:`write_sentences`, :func:`write_tokens`), which returns an :class:`Outcome` whose
``exit_code`` the command passes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from kiku.config import Config, InputConfig, load_config
from kiku.errors import ArticleError, KikuError
from kiku.ingest import read_inputs
from kiku.progress import Progress
from kiku.render import SUMMARY_FORMATS
from kiku.summarizers import Summarizer, build_summarizer, check_summarizer
from kiku.text import Preprocessor, Tagger, split_sentences
from kiku.types import Article, Digest, Document, Failure, Summary

if TYPE_CHECKING:
    from kiku.digest import DigestBuilder, DigestOptions

#: Exit codes of every command: all done; some inputs or articles failed (each reported);
#: usage or configuration error; nothing could be done.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING_DONE = 0, 1, 2, 3

Report = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True, slots=True)
class Outcome:
    """How many articles a run finished and how many failed."""

    done: int
    failed: int

    @property
    def exit_code(self) -> int:
        if self.failed == 0:
            return EXIT_OK
        return EXIT_SOME_FAILED if self.done else EXIT_NOTHING_DONE


class Kiku:
    """The summarising pipeline, built once from a config: the tagger and the summarizer (with
    its model) are built here, so that a missing model is reported before any input is read."""

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
        self.summarizer_name = check_summarizer(summarizer or self.config.summary.summarizer)
        self.summarizer: Summarizer = build_summarizer(self.summarizer_name, self.config, self.tagger)
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

    @cached_property
    def digest_builder(self) -> "DigestBuilder":
        from kiku.digest import DigestBuilder

        return DigestBuilder(self.config, self.tagger, self.summarizer.writer)

    # -- one article --------------------------------------------------------------------------

    def document(self, article: Article) -> Document:
        return self.preprocess(article)

    def summarize(self, article: Article) -> Summary:
        """Summarise one article; raises :class:`ArticleError` when it cannot be."""
        return self.summarizer.summarize(self.preprocess(article))

    def summarize_text(self, body: str, title: str | None = None, article_id: str = "text") -> Summary:
        """Convenience for notebooks: summarise a string."""
        return self.summarize(Article(id=article_id, body=body, title=title, origin=article_id))

    # -- streams of articles ------------------------------------------------------------------

    def run(self, items: Iterable[Article | Failure]) -> Iterator[Summary | Failure]:
        """Summarise each article; pass failures through and turn errors into failures.
        Results come out in input order; articles reach the summarizer in groups of its
        ``batch_size``, so that one model call serves several."""
        size = self.summarizer.batch_size
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
        docs: list[tuple[Article, Document]] = []
        for item in articles:
            try:
                docs.append((item, self.preprocess(item)))
            except Exception as exc:  # noqa: BLE001 - recorded per article, see _failure
                results[id(item)] = self._failure(item, exc)
        if docs:
            try:
                outcomes: list[Summary | Exception] = list(self.summarizer.summarize_batch([doc for _, doc in docs]))
            except Exception as exc:  # noqa: BLE001 - a failing batch fails its articles only
                outcomes = [exc] * len(docs)
            for (item, _), outcome in zip(docs, outcomes):
                results[id(item)] = outcome if isinstance(outcome, Summary) else self._failure(item, outcome)
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

    def read(self, inputs: Iterable[str], stdin: BinaryIO | None = None, report: Report = _quiet) -> Iterator[Article | Failure]:
        """Read files, folders, URLs or ``-`` (see :mod:`kiku.ingest`); warnings (duplicates
        dropped, a malformed feed) go to ``report``."""
        return read_inputs(inputs, stdin, self.config.input, report, last_resort=not self.strict)

    def run_inputs(self, inputs: Iterable[str], stdin: BinaryIO | None = None, warn: Report | None = None) -> Iterator[Summary | Failure]:
        """Read the inputs and summarise every article found."""
        return self.run(self.read(inputs, stdin, warn or _quiet))

    def run_with_progress(self, items: Iterable[Article | Failure], stream: IO[str] | None, enabled: bool | None = None) -> Iterator[Summary | Failure]:
        """:meth:`run`, with a progress bar over the articles on ``stream`` when it is a
        terminal (``enabled`` forces it on or off). The inputs are read first, to know how many
        articles there are."""
        if not Progress.shown(stream, enabled):
            yield from self.run(items)
            return
        assert stream is not None
        items = list(items)
        bar = Progress(sum(isinstance(i, Article) for i in items), stream, enabled)
        try:
            for result in self.run(items):
                if isinstance(result, Summary) or result.stage == "summarize":
                    bar.update(failed=isinstance(result, Failure))
                yield result
        finally:
            bar.close()

    def summarize_inputs(
        self, inputs: Iterable[str], sink: IO[str], fmt: str = "text", *, stdin: BinaryIO | None = None, report: Report = _quiet,
        progress: IO[str] | None = None,
    ) -> Outcome:
        """``kiku summarize``: read the inputs, summarise every article and write each summary
        to ``sink`` as it is made (``fmt``: a key of :data:`kiku.render.SUMMARY_FORMATS`).
        Failures and each summary's notes go to ``report``, one line each; a progress bar goes
        to ``progress`` when it is a terminal."""
        render = SUMMARY_FORMATS[fmt]
        done = failed = 0
        for result in self.run_with_progress(self.read(inputs, stdin, report), progress):
            if isinstance(result, Failure):
                failed += 1
                report(result.describe())
                continue
            for note in result.notes:
                report(f"{result.article.origin or result.article_id}: {note}")
            if fmt == "text" and done:
                sink.write("\n")
            sink.write(render(result, self.config))
            sink.flush()
            done += 1
        return Outcome(done, failed)

    # -- digests ------------------------------------------------------------------------------

    def digest(
        self,
        articles: Iterable[Article],
        options: "DigestOptions | None" = None,
        on_failure: Callable[[Failure], None] | None = None,
        on_summary: Callable[[Summary], None] | None = None,
        progress: IO[str] | None = None,
    ) -> Digest:
        """Summarise the articles the options keep and assemble the digest draft (see
        :mod:`kiku.digest`); render it with :data:`kiku.render.DIGEST_FORMATS`. Articles that
        fail go to ``on_failure`` and are left out of the draft."""
        from kiku.digest import select

        options = options or self.digest_options()
        chosen, left_out = select(list(articles), options)
        summaries: list[Summary] = []
        for result in self.run_with_progress(chosen, progress):
            if isinstance(result, Failure):
                if on_failure is not None:
                    on_failure(result)
                continue
            if on_summary is not None:
                on_summary(result)
            summaries.append(result)
        return self.build_digest(summaries, options, left_out)

    def build_digest(self, summaries: list[Summary], options: "DigestOptions | None" = None, left_out: dict[str, int] | None = None) -> Digest:
        """The digest of summaries already made (``kiku digest`` and ``kiku batch`` both come
        here); ``left_out`` counts the articles the options kept out, for the record."""
        options = options or self.digest_options()
        model = next((s.model for s in summaries if s.model), None)
        name = summaries[0].summarizer if summaries else self.summarizer_name
        return self.digest_builder.build(summaries, options, summarizer=name, model=model, left_out=left_out)

    def digest_options(self, **given: object) -> "DigestOptions":
        """Digest options: those given (None or 0 for the config's default)."""
        from kiku.digest import DigestOptions

        cfg = self.config.digest
        values = {k: v for k, v in given.items() if v is not None}
        values.setdefault("sections", cfg.sections)
        values.setdefault("points", cfg.points)
        values.setdefault("bridges", cfg.bridges)
        return DigestOptions(**values)  # type: ignore[arg-type]

    def digest_inputs(
        self, inputs: Iterable[str], options: "DigestOptions | None" = None, *, stdin: BinaryIO | None = None, report: Report = _quiet,
        progress: IO[str] | None = None,
    ) -> tuple[Digest | None, Outcome]:
        """``kiku digest``: read the inputs, summarise what the options keep, and assemble the
        draft; None when no article could be summarised."""
        articles: list[Article] = []
        failed = 0
        for item in self.read(inputs, stdin, report):
            if isinstance(item, Failure):
                if self.strict:
                    raise KikuError(item.describe())
                failed += 1
                report(item.describe())
            else:
                articles.append(item)
        digest = self.digest(
            articles,
            options,
            on_failure=lambda failure: report(failure.describe()),
            on_summary=lambda s: [report(f"{s.article.origin or s.article_id}: {note}") for note in s.notes],
            progress=progress,
        )
        if digest.left_out:
            described = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(digest.left_out.items()))
            report(f"left out {sum(digest.left_out.values())} article(s) by the options: {described}")
        done = digest.article_count
        chosen = len(articles) - sum(digest.left_out.values())
        failed += chosen - done
        if not done:
            report("no article to make a digest from")
            return None, Outcome(0, max(failed, 1))
        return digest, Outcome(done, failed)


# -- the text layer's own commands ------------------------------------------------------------


def write_sentences(
    inputs: Iterable[str], sink: IO[str], settings: InputConfig, *, kinds: bool = False,
    stdin: BinaryIO | None = None, report: Report = _quiet,
) -> Outcome:
    """``kiku sentences``: one sentence per line (``kinds``: prefixed with its kind)."""

    def write(article: Article) -> None:
        for s in split_sentences(article.body, article.id):
            sink.write(f"{s.kind.value}\t{s.text}\n" if kinds else f"{s.text}\n")

    return _each_article(read_inputs(inputs, stdin, settings, report), write, report)


def write_tokens(
    inputs: Iterable[str], sink: IO[str], settings: InputConfig, *, stdin: BinaryIO | None = None,
    report: Report = _quiet, tagger: Tagger | None = None,
) -> Outcome:
    """``kiku tokens``: surface, part of speech and lemma per token, EOS after each sentence."""
    pre = Preprocessor(tagger)

    def write(article: Article) -> None:
        doc = pre(article)
        for i in range(len(doc.sentences)):
            for t in doc.tokens(i):
                sink.write(f"{t.surface}\t{t.pos}\t{t.lemma}\n")
            sink.write("EOS\n")

    return _each_article(read_inputs(inputs, stdin, settings, report), write, report)


def _each_article(items: Iterable[Article | Failure], write: Callable[[Article], None], report: Report) -> Outcome:
    """Hand each article to ``write``; report each failure (and each article it refuses)."""
    done = failed = 0
    for item in items:
        if isinstance(item, Failure):
            failed += 1
            report(item.describe())
            continue
        try:
            write(item)
        except ArticleError as exc:
            failed += 1
            report(f"{item.origin}: {exc.message}")
            continue
        done += 1
    return Outcome(done, failed)
