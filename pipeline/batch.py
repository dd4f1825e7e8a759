"""Batch runs over news feeds: read every feed, store new and changed articles, summarise only
what has no summary yet, and write the run's digest.

A run is safe to kill at any moment (see :mod:`kiku.store`): every article's summary is
committed on its own, and the next run finds the work left. The extractive path can use
several processes (``--workers``), each building its tagger once; results are written in
article order whatever the number of workers, so the store ends up the same. The transformer
path batches articles through the model in one process instead.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kiku.config import Config, read_toml
from kiku.dates import JST
from kiku.errors import ArticleError, ConfigError
from kiku.identity import content_hash
from kiku.ingest import Reader
from kiku.progress import Progress
from kiku.render import summary_record
from kiku.store import Store, summary_key
from kiku.types import Article, Bullet, Failure, Summary

if TYPE_CHECKING:
    from kiku.runner import Kiku

_FEED_KEYS = {"url", "name", "fetch"}


@dataclass(frozen=True, slots=True)
class FeedSpec:
    #: A URL, or an absolute path (relative paths in feeds.toml are taken from its folder).
    location: str
    name: str | None = None
    fetch: bool = False


def load_feeds(path: str | Path) -> list[FeedSpec]:
    """The ``[[feeds]]`` of a feeds.toml; raises :class:`ConfigError` naming the problem."""
    path = Path(path)
    doc = read_toml(path, "feeds file")
    feeds = doc.get("feeds")
    if not isinstance(feeds, list) or not feeds:
        raise ConfigError(f'{path}: no feeds; add [[feeds]] tables with url = "https://…/rss.xml" or a local path')
    extra = set(doc) - {"feeds"}
    if extra:
        raise ConfigError(f"{path}: unknown top-level key(s) {', '.join(sorted(extra))}; only [[feeds]] is read")
    out = []
    for n, feed in enumerate(feeds, 1):
        where = f"{path}: feed {n}"
        if not isinstance(feed, dict):
            raise ConfigError(f"{where}: must be a [[feeds]] table")
        unknown = set(feed) - _FEED_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; valid keys: url, name, fetch")
        url = feed.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f'{where}: needs url = "https://…" or a local path')
        name = feed.get("name")
        if name is not None and not isinstance(name, str):
            raise ConfigError(f"{where}: name must be a string")
        fetch = feed.get("fetch", False)
        if not isinstance(fetch, bool):
            raise ConfigError(f"{where}: fetch must be true or false")
        location = url.strip()
        if "://" not in location:
            location = str((path.parent / location).resolve())
        out.append(FeedSpec(location, name.strip() if name and name.strip() else None, fetch))
    return out


@dataclass
class RunReport:
    run: int = 0
    feeds: int = 0
    feeds_failed: int = 0
    read: Counter = field(default_factory=Counter)  # new / changed / same / duplicate
    item_failures: int = 0
    todo: int = 0
    summarised: int = 0
    failed: int = 0
    digest: str | None = None
    seconds: float = 0.0
    interrupted: bool = False

    def counts(self) -> dict[str, Any]:
        return {
            "feeds": self.feeds, "feeds_failed": self.feeds_failed, **{f"articles_{k}": v for k, v in sorted(self.read.items())},
            "item_failures": self.item_failures, "to_summarise": self.todo, "summarised": self.summarised,
            "failed": self.failed, "digest": self.digest, "seconds": round(self.seconds, 2),
        }

    @property
    def exit_code(self) -> int:
        """0 all good; 1 some articles or feeds failed (recorded; ``kiku batch retry``); 3
        nothing could be done (no feed could be read)."""
        if self.feeds and self.feeds_failed == self.feeds:
            return 3
        return 1 if self.failed + self.item_failures else 0

    def line(self) -> str:
        r = self.read
        parts = [
            f"run {self.run}: {self.feeds} feed{'s' if self.feeds != 1 else ''}"
            + (f" ({self.feeds_failed} unreadable)" if self.feeds_failed else ""),
            f"{sum(r.values())} articles read ({r['new']} new, {r['changed']} changed, {r['duplicate']} duplicates)",
            f"{self.summarised} of {self.todo} summarised",
            f"{self.failed + self.item_failures} failed",
            f"{self.seconds:.1f} s",
        ]
        if self.digest:
            parts.append(f"digest {self.digest}")
        return "; ".join(parts)


class Batch:
    """Runs over a store with one summarizer; built once per command."""

    def __init__(
        self,
        config: Config,
        store: Store,
        summarizer: str | None = None,
        *,
        workers: int | None = None,
        warn: Callable[[str], None] | None = None,
        report_failure: Callable[[Failure], None] | None = None,
        progress_stream: IO[str] | None = None,
        progress: bool | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.summarizer_name = summarizer or config.summary.summarizer
        self.model = config.model.preset if self.summarizer_name == "transformer" else ""
        #: None: one process per core (up to 4) when there is enough work to pay for starting them.
        self.workers = workers
        self.warn = warn or (lambda message: None)
        self.report_failure = report_failure or (lambda failure: None)
        self.progress_stream = progress_stream or sys.stderr
        self.progress = progress
        self._kiku: Kiku | None = None

    @property
    def kiku(self) -> "Kiku":
        """Built on first use: a run with nothing to summarise or digest builds no tagger."""
        if self._kiku is None:
            from kiku.runner import Kiku

            self._kiku = Kiku(self.config, self.summarizer_name)
        return self._kiku

    # -- the run ------------------------------------------------------------------------------

    def run(self, feeds: list[FeedSpec], digest_dir: Path | None = None, digest_format: str = "md", digest_max: int = 300) -> RunReport:
        started = time.monotonic()
        report = RunReport()
        report.run = run = self.store.start_run("run")
        for feed in feeds:
            self._read_feed(feed, run, report)
        todo = self.store.pending(self.summarizer_name, self.model, self.config.hash)
        report.todo = len(todo)
        self._summarise(todo, run, report)
        if digest_dir is not None:
            report.digest = self._write_digest(run, digest_dir, digest_format, digest_max)
        report.seconds = time.monotonic() - started
        self.store.end_run(run, report.counts())
        return report

    def retry(self) -> RunReport:
        """Summarise again the articles whose last try failed."""
        started = time.monotonic()
        report = RunReport()
        report.run = run = self.store.start_run("retry")
        todo = self.store.pending(self.summarizer_name, self.model, self.config.hash, failed=True)
        report.todo = len(todo)
        self._summarise(todo, run, report)
        report.seconds = time.monotonic() - started
        self.store.end_run(run, report.counts())
        return report

    def _read_feed(self, feed: FeedSpec, run: int, report: RunReport) -> None:
        report.feeds += 1
        feed_id = self.store.feed(feed.location, feed.name, feed.fetch)
        reader = Reader(replace(self.config.input, fetch=feed.fetch), warn=lambda m: self.warn(m))
        got = 0
        failed_origins = []
        try:
            with self.store.bulk():
                for item in reader.read([feed.location]):
                    if isinstance(item, Failure):
                        report.item_failures += 1
                        self.report_failure(item)
                        self.store.save_failure(item.origin, item.stage, item.message, run)
                        failed_origins.append(item.origin)
                        continue
                    got += 1
                    if feed.name:
                        item = replace(item, source=feed.name)
                    report.read[self.store.upsert(item, feed_id, run).status] += 1
        finally:
            reader.close()
        if got == 0 and failed_origins:
            report.feeds_failed += 1
        elif got:
            # The feed itself read this time: earlier failures to read it are over.
            self.store.resolve_failures([feed.location], "read")
            self.store.resolve_failures([feed.location], "fetch")
            self.store.resolve_failures([feed.location], "parse")

    def _summarise(self, todo: list[int], run: int, report: RunReport) -> None:
        if not todo:
            return
        progress = Progress(len(todo), self.progress_stream, self.progress)
        try:
            for pk, outcome in self._outcomes(todo):
                if isinstance(outcome, Failure):
                    report.failed += 1
                    self.report_failure(outcome)
                    self.store.save_failure(
                        outcome.origin, outcome.stage, outcome.message, run, pk,
                        summary_key(self.summarizer_name, self.model, self.config.hash),
                    )
                    progress.update(True)
                else:
                    record, text_hash = outcome
                    self.store.save_summary(pk, self.summarizer_name, self.model, self.config.hash, text_hash, record, run)
                    report.summarised += 1
                    progress.update(False)
        finally:
            progress.close()

    def _outcomes(self, todo: list[int]) -> Iterator[tuple[int, tuple[dict, str] | Failure]]:
        """(article pk, (summary record, text hash) or Failure), in the order of ``todo``."""
        articles = ((pk, self.store.article(pk)) for pk in todo)
        workers = self.workers
        if workers is None:
            workers = min(4, os.cpu_count() or 1) if len(todo) > 200 else 1
        if self.summarizer_name != "transformer" and workers > 1 and len(todo) > 1:
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(workers, initializer=_worker_init, initargs=(self.config, self.summarizer_name)) as pool:
                # Articles are read from the store here, in this thread (sqlite connections stay
                # in their thread), a chunk at a time so that memory does not grow with the corpus.
                for start in range(0, len(todo), 512):
                    chunk = [(pk, self.store.article(pk)) for pk in todo[start : start + 512]]
                    yield from pool.imap(_worker_summarise, chunk, chunksize=16)
            return
        kiku = self.kiku
        batch: list[tuple[int, Article]] = []
        size = kiku.summarizer.batch_size
        for item in articles:
            batch.append(item)
            if len(batch) >= size:
                yield from self._run_batch(kiku, batch)
                batch = []
        yield from self._run_batch(kiku, batch)

    def _run_batch(self, kiku, batch: list[tuple[int, Article]]) -> Iterator[tuple[int, tuple[dict, str] | Failure]]:  # noqa: ANN001
        if not batch:
            return
        for (pk, article), result in zip(batch, kiku.run(a for _, a in batch)):
            yield pk, _outcome(result, article, self.config)

    # -- the digest ---------------------------------------------------------------------------

    def _write_digest(self, run: int, digest_dir: Path, fmt: str, limit: int) -> str | None:
        from kiku.render import DIGEST_FORMATS

        # Only the newest `limit` articles are loaded: memory does not grow with the corpus.
        pks, total = self.store.seen_in(run, limit)
        left_out = {"over_max": total - len(pks)} if total > len(pks) else {}
        articles = {pk: self.store.article(pk) for pk in pks}
        records = self.store.summary_records(pks, self.summarizer_name, self.model, self.config.hash)
        summaries = [summary_from_record(records[pk], articles[pk]) for pk in pks if pk in records]
        if not summaries:
            self.warn("no summarised article in this run's feeds; no digest written")
            return None
        # The same digest path as `kiku digest`, with the same summarizer's writer.
        digest = self.kiku.build_digest(summaries, left_out=left_out)
        text = DIGEST_FORMATS[fmt](digest)
        digest_dir.mkdir(parents=True, exist_ok=True)
        target = digest_dir / f"digest-{datetime.now(JST):%Y%m%d}.{fmt}"
        tmp = target.with_suffix(f".{fmt}.tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)  # a reader never sees half a digest
        return str(target)


def summary_from_record(record: dict[str, Any], article: Article) -> Summary:
    """A stored summary (the JSON of ``kiku summarize``) back as a Summary."""
    bullets = tuple(
        Bullet(
            article_id=article.id,
            text=b["text"],
            sources=tuple(b["sources"]),
            evidence=tuple(b["source_text"]),
            origin=b.get("written_by", "extractive"),
            replaced=(b.get("replaced") or {}).get("model_text"),
            reason=(b.get("replaced") or {}).get("reason"),
            over_length=bool(b.get("over_length")),
        )
        for b in record["bullets"]
    )
    return Summary(
        article=article, bullets=bullets, summarizer=record["summarizer"], config_hash=record["config_hash"],
        notes=tuple(record.get("notes", ())), model=record.get("model"), device=record.get("device"), endpoint=record.get("endpoint"),
    )


def _outcome(result: Summary | Failure, article: Article, config: Config) -> tuple[dict, str] | Failure:
    if isinstance(result, Failure):
        return result
    return summary_record(result, config), content_hash(article.body)


# -- worker processes (the extractive path with --workers) ----------------------------------

_WORKER: dict[str, Any] = {}


def _worker_init(config: Config, summarizer: str) -> None:
    from kiku.runner import Kiku

    _die_with_parent()

    _WORKER["kiku"] = Kiku(config, summarizer)  # one tagger per process, built once
    _WORKER["config"] = config


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the run that started it dies (kill -9 included):
    otherwise an orphaned worker finishes its chunk, finds the pipe to its parent gone and
    prints a BrokenPipeError traceback on the terminal. Elsewhere nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(0)


def _worker_summarise(item: tuple[int, Article]) -> tuple[int, tuple[dict, str] | Failure]:
    pk, article = item
    kiku = _WORKER["kiku"]
    try:
        result: Summary | Failure = kiku.summarize(article)
    except ArticleError as exc:
        result = Failure(article.origin or article.id, "summarize", exc.message, article.id)
    except Exception as exc:  # noqa: BLE001 - recorded per article, as Kiku.run does
        result = Failure(article.origin or article.id, "summarize", f"internal error ({type(exc).__name__}: {exc})", article.id)
    return pk, _outcome(result, article, _WORKER["config"])



# -- what the store holds, for `kiku batch status` and `kiku batch export` ---------------------


def status_text(status: dict[str, Any], failures: list[Any]) -> str:
    """The store's counts as lines for a person (``kiku batch status``)."""
    model = status["model"]
    lines = [
        f"{status['store']}: {status['feeds']} feeds, {status['articles']} articles: "
        f"{status['summarised']} summarised, {status['pending']} pending, {status['failed']} failed "
        f"({status['summarizer']}{', ' + model if model else ''}, config {status['config_hash']})"
    ]
    if status["input_failures"]:
        lines.append(f"{status['input_failures']} feeds or items could not be read (kiku batch run tries them again)")
    for row in failures:
        lines.append(f"  failed ({row['stage']}, {row['attempts']} tries): {row['origin']}: {row['message']}")
    others = [s for s in status.get("by_summarizer", ()) if (s["summarizer"], s["model"], s["config_hash"]) != (status["summarizer"], status["model"], status["config_hash"])]
    if others:
        lines.append("summaries stored under other settings (pick them with --summarizer, --model, --config):")
        for s in others:
            lines.append(f"  {s['summarizer']}{', ' + s['model'] if s['model'] else ''}, config {s['config_hash']}: {s['summarised']} summarised")
    last = status["last_run"]
    if last:
        state = f"ended {last['ended_at']}" if last["finished"] else "did not finish (stopped or running)"
        lines.append(f"last run {last['id']}: started {last['started_at']}, {state}")
    return "\n".join(lines) + "\n"


def status_json(status: dict[str, Any], failures: list[Any]) -> str:
    return json.dumps(status, ensure_ascii=False, indent=2) + "\n"


STATUS_FORMATS = {"text": status_text, "json": status_json}


def export_summaries(store: Store, fmt: str = "json") -> Iterator[str]:
    """Every stored summary: a JSON line each (the records of ``kiku summarize --format
    json``), or text blocks as ``kiku summarize`` writes them."""
    from kiku.render import record_text

    for n, line in enumerate(store.export()):
        if fmt == "json":
            yield line + "\n"
        else:
            yield ("\n" if n else "") + record_text(json.loads(line))


EXPORT_FORMATS = ("json", "text")
