"""The batch store: one SQLite file (standard library ``sqlite3``, WAL mode) that remembers
feeds, articles, summaries, failures and runs between runs.

- Articles are keyed by canonical URL (or, without a URL, by content hash); an article whose
  text changed gets its new hash, and since summaries record the hash they were made from, it
  is summarised again.
- Summaries are keyed by article, summarizer, model and config hash: changing the config or
  the model re-summarises, nothing else does.
- Every write is its own short transaction, so a run killed at any moment loses at most the
  article it was working on; the next run redoes exactly that.
- The schema is versioned (``PRAGMA user_version``) and migrated forward on open.
- One run at a time: :meth:`Store.lock` takes an exclusive lock on ``<store>.lock`` that the
  operating system releases when the process dies, even by SIGKILL.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiku.dates import parse_date
from kiku.errors import KikuError
from kiku.identity import canonical_url, content_hash
from kiku.types import Article

# Each entry moves the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        location TEXT NOT NULL UNIQUE,      -- URL or absolute path
        name TEXT,
        fetch INTEGER NOT NULL DEFAULT 0,
        last_read_at TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,           -- canonical URL, else "sha256:<content hash>"
        content_hash TEXT NOT NULL,
        article_id TEXT NOT NULL,
        title TEXT,
        url TEXT,
        published TEXT,                     -- ISO 8601 with offset
        published_ts REAL,                  -- the same as a POSIX timestamp, for ordering
        source TEXT,
        body TEXT NOT NULL,
        origin TEXT NOT NULL,
        feed_id INTEGER REFERENCES feeds(id),
        first_seen_run INTEGER,
        seen_run INTEGER,                   -- the last run whose feeds still had it
        changed_at TEXT NOT NULL
    );
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_seen ON articles(seen_run);
    CREATE TABLE summaries (
        article INTEGER NOT NULL REFERENCES articles(id),
        summarizer TEXT NOT NULL,
        model TEXT NOT NULL,                -- "" when no model wrote
        config_hash TEXT NOT NULL,
        content_hash TEXT NOT NULL,         -- the text it was made from
        record TEXT NOT NULL,               -- the JSON of kiku summarize --format json
        run INTEGER,                        -- the run that made it
        created_at TEXT NOT NULL,
        PRIMARY KEY (article, summarizer, model, config_hash)
    );
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        article INTEGER REFERENCES articles(id),
        origin TEXT NOT NULL,               -- file, feed item or URL
        stage TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        run INTEGER,
        last_at TEXT NOT NULL,
        resolved INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX failures_key ON failures(origin, stage);
    CREATE INDEX failures_article ON failures(article, resolved);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        pid INTEGER NOT NULL,
        command TEXT NOT NULL,
        counts TEXT                         -- JSON, written at the end
    );
    """,
    # 2: which summarizer, model and config a summarising failure happened under, so that a run
    # under another config tries the article again ("" for failures recorded before: retried).
    """
    ALTER TABLE failures ADD COLUMN summary_key TEXT NOT NULL DEFAULT '';
    """,
)


class StoreDamaged(KikuError):
    """The file is not a Kiku store, or its pages are damaged: nothing can be done with it."""


class StoreLocked(KikuError):
    """Another run holds the store."""


@dataclass(frozen=True, slots=True)
class Upsert:
    #: "new", "changed", "same" or "duplicate" (the same text under another URL).
    status: str
    article_pk: int


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise KikuError(f"{self.path}: cannot open the store ({exc})") from None
        self.db.row_factory = sqlite3.Row
        self._depth = 0
        deadline = time.monotonic() + 30.0
        while True:
            try:
                self._set_up()
                break
            except sqlite3.OperationalError as exc:
                # Two processes opening a new store at once: switching it to WAL can report
                # "locked" at once, without waiting for the other; it is not damage.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreDamaged(f"{self.path}: cannot be opened ({exc}); give another path, or restore it from a copy") from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                raise StoreDamaged(f"{self.path}: not a Kiku store, or damaged ({exc}); give another path, or restore it from a copy") from None
        self._lock_fd: int | None = None

    def _set_up(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed transaction survives a killed process (it is in the
        # WAL); only a power cut can lose the last few, never corrupt the file.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self.unlock()
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------------

    def _migrate(self) -> None:
        while True:
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise StoreDamaged(
                    f"{self.path}: made by a newer Kiku (schema {version}, this one knows {len(MIGRATIONS)}); upgrade Kiku"
                )
            if version == len(MIGRATIONS):
                return
            with self.transaction():
                # Read again under the write lock: another process opening a new store at the
                # same moment may have migrated it while this one waited.
                if self.schema_version != version:
                    continue
                for statement in _statements(MIGRATIONS[version]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={version + 1}")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; nested ones join the outer one (see :meth:`bulk`)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many writes in one transaction (storing a feed's articles): far fewer commits, and
        a run killed inside it simply reads the feed again next time."""
        with self.transaction():
            yield

    # -- one run at a time --------------------------------------------------------------------

    def lock(self, wait_s: float = 0.0) -> None:
        """Take the store for this process; raises :class:`StoreLocked` when another run has
        it for longer than ``wait_s`` seconds."""
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
                    os.close(fd)
                    raise StoreLocked(
                        f"{self.path}: another kiku batch run ({holder}) is using this store; "
                        "wait for it to finish, or give --wait SECONDS to wait for it"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode("ascii"), 0)
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO runs (started_at, pid, command) VALUES (?, ?, ?)", (_now(), os.getpid(), command)
            )
        return int(cur.lastrowid)

    def end_run(self, run: int, counts: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET ended_at = ?, counts = ? WHERE id = ?", (_now(), json.dumps(counts, sort_keys=True), run)
            )

    # -- feeds and articles -------------------------------------------------------------------

    def feed(self, location: str, name: str | None, fetch: bool) -> int:
        with self.transaction():
            self.db.execute(
                "INSERT INTO feeds (location, name, fetch) VALUES (?, ?, ?) "
                "ON CONFLICT(location) DO UPDATE SET name = excluded.name, fetch = excluded.fetch",
                (location, name, int(fetch)),
            )
            self.db.execute("UPDATE feeds SET last_read_at = ? WHERE location = ?", (_now(), location))
        return int(self.db.execute("SELECT id FROM feeds WHERE location = ?", (location,)).fetchone()[0])

    def upsert(self, article: Article, feed_id: int | None, run: int) -> Upsert:
        """Record an article read in this run: new, changed (new text under a known key),
        the same, or a duplicate (its text is already stored under another key)."""
        digest = content_hash(article.body)
        url = article.url if article.url and article.url.startswith(("http://", "https://")) else None
        key = canonical_url(url) if url else f"sha256:{digest}"
        published = article.published.isoformat() if article.published else None
        published_ts = article.published.timestamp() if article.published else None
        with self.transaction():
            row = self.db.execute("SELECT id, content_hash FROM articles WHERE key = ?", (key,)).fetchone()
            if row is not None:
                if row["content_hash"] == digest:
                    self.db.execute("UPDATE articles SET seen_run = ? WHERE id = ?", (run, row["id"]))
                    return Upsert("same", row["id"])
                self.db.execute(
                    "UPDATE articles SET content_hash = ?, title = ?, published = ?, published_ts = ?, source = ?, "
                    "body = ?, origin = ?, seen_run = ?, changed_at = ? WHERE id = ?",
                    (digest, article.title, published, published_ts, article.source, article.body, article.origin,
                     run, _now(), row["id"]),
                )
                return Upsert("changed", row["id"])
            twin = self.db.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,)).fetchone()
            if twin is not None:
                self.db.execute("UPDATE articles SET seen_run = ? WHERE id = ?", (run, twin["id"]))
                return Upsert("duplicate", twin["id"])
            cur = self.db.execute(
                "INSERT INTO articles (key, content_hash, article_id, title, url, published, published_ts, source, "
                "body, origin, feed_id, first_seen_run, seen_run, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, digest, article.id, article.title, url, published, published_ts, article.source, article.body,
                 article.origin, feed_id, run, run, _now()),
            )
            return Upsert("new", int(cur.lastrowid))

    def article(self, pk: int) -> Article:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (pk,)).fetchone()
        return _article(row)

    def pending(self, summarizer: str, model: str, config_hash: str, *, failed: bool = False) -> list[int]:
        """Articles with no summary of their current text for this summarizer, model and
        config: those not yet tried under them (``failed=False``; a failure under another
        config does not hold an article back), or those whose last try failed (``failed=True``,
        under any config: what ``kiku batch retry`` takes)."""
        if failed:
            failure = "EXISTS (SELECT 1 FROM failures f WHERE f.article = a.id AND f.resolved = 0)"
            args: tuple[str, ...] = ()
        else:
            failure = "NOT EXISTS (SELECT 1 FROM failures f WHERE f.article = a.id AND f.resolved = 0 AND f.summary_key = ?)"
            args = (summary_key(summarizer, model, config_hash),)
        rows = self.db.execute(
            f"""
            SELECT a.id FROM articles a
            WHERE NOT EXISTS (
                SELECT 1 FROM summaries s WHERE s.article = a.id AND s.summarizer = ? AND s.model = ?
                AND s.config_hash = ? AND s.content_hash = a.content_hash)
            AND {failure}
            ORDER BY a.id
            """,
            (summarizer, model, config_hash, *args),
        ).fetchall()
        return [r[0] for r in rows]

    # -- results ------------------------------------------------------------------------------

    def save_summary(
        self, pk: int, summarizer: str, model: str, config_hash: str, text_hash: str, record: dict[str, Any], run: int
    ) -> None:
        """One article's summary, committed on its own; any failure of it is resolved."""
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO summaries (article, summarizer, model, config_hash, content_hash, record, run, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (pk, summarizer, model, config_hash, text_hash, json.dumps(record, ensure_ascii=False), run, _now()),
            )
            self.db.execute("UPDATE failures SET resolved = 1 WHERE article = ? AND resolved = 0", (pk,))

    def save_failure(
        self, origin: str, stage: str, message: str, run: int, article_pk: int | None = None, key: str = ""
    ) -> None:
        """A failure (``key``: :func:`summary_key` of the summarizer it happened under)."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO failures (article, origin, stage, message, run, last_at, summary_key) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(origin, stage) DO UPDATE SET message = excluded.message, attempts = attempts + 1, "
                "run = excluded.run, last_at = excluded.last_at, resolved = 0, article = excluded.article, "
                "summary_key = excluded.summary_key",
                (article_pk, origin, stage, message, run, _now(), key),
            )

    def resolve_failures(self, origins: list[str], stage: str) -> None:
        """Input failures that did not happen again this run (a feed that reads again)."""
        if not origins:
            return
        with self.transaction():
            self.db.executemany(
                "UPDATE failures SET resolved = 1 WHERE origin = ? AND stage = ? AND resolved = 0", [(o, stage) for o in origins]
            )

    def summary_records(self, article_pks: list[int], summarizer: str, model: str, config_hash: str) -> dict[int, dict]:
        out = {}
        for chunk in (article_pks[i : i + 500] for i in range(0, len(article_pks), 500)):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT s.article, s.record FROM summaries s JOIN articles a ON a.id = s.article "
                f"WHERE s.article IN ({marks}) AND s.summarizer = ? AND s.model = ? AND s.config_hash = ? "
                f"AND s.content_hash = a.content_hash",
                (*chunk, summarizer, model, config_hash),
            ):
                out[row[0]] = json.loads(row[1])
        return out

    def export(self) -> Iterator[str]:
        """Every stored summary as a JSON line, in article order."""
        for row in self.db.execute("SELECT record FROM summaries ORDER BY article, summarizer, model, config_hash"):
            yield row[0]

    def status(self, summarizer: str, model: str, config_hash: str) -> dict[str, Any]:
        one = lambda sql, *args: self.db.execute(sql, args).fetchone()[0]  # noqa: E731
        articles = one("SELECT COUNT(*) FROM articles")
        failed_articles = len(self.pending(summarizer, model, config_hash, failed=True))
        pending = len(self.pending(summarizer, model, config_hash))
        last = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return {
            "store": str(self.path),
            "schema": self.schema_version,
            "feeds": one("SELECT COUNT(*) FROM feeds"),
            "articles": articles,
            "summarised": articles - pending - failed_articles,
            "pending": pending,
            "failed": failed_articles,
            "input_failures": one("SELECT COUNT(*) FROM failures WHERE article IS NULL AND resolved = 0"),
            "summaries_stored": one("SELECT COUNT(*) FROM summaries"),
            "summarizer": summarizer,
            "model": model or None,
            "config_hash": config_hash,
            # Every summarizer, model and config the store holds summaries of the current text for.
            "by_summarizer": [
                {"summarizer": r[0], "model": r[1] or None, "config_hash": r[2], "summarised": r[3]}
                for r in self.db.execute(
                    "SELECT s.summarizer, s.model, s.config_hash, COUNT(*) FROM summaries s JOIN articles a ON a.id = s.article "
                    "AND s.content_hash = a.content_hash GROUP BY s.summarizer, s.model, s.config_hash ORDER BY COUNT(*) DESC, s.summarizer"
                )
            ],
            "runs": one("SELECT COUNT(*) FROM runs"),
            "last_run": None if last is None else {
                "id": last["id"],
                "started_at": last["started_at"],
                "ended_at": last["ended_at"],
                "finished": last["ended_at"] is not None,
                "counts": json.loads(last["counts"]) if last["counts"] else None,
            },
        }

    def failures(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM failures WHERE resolved = 0 ORDER BY id").fetchall()

    def seen_in(self, run: int, newest: int | None = None) -> tuple[list[int], int]:
        """The articles this run's feeds had (the ``newest`` of them, undated ones last), in
        the order they were first stored, and how many there were in all."""
        total = self.db.execute("SELECT COUNT(*) FROM articles WHERE seen_run = ?", (run,)).fetchone()[0]
        rows = self.db.execute(
            "SELECT id FROM articles WHERE seen_run = ? ORDER BY published_ts IS NULL, published_ts DESC, id LIMIT ?",
            (run, -1 if newest is None else newest),
        )
        return sorted(r[0] for r in rows), total


def summary_key(summarizer: str, model: str, config_hash: str) -> str:
    """What a summary (or a failure to make one) was made under, as one string."""
    return f"{summarizer}|{model}|{config_hash}"


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["article_id"],
        body=row["body"],
        title=row["title"],
        url=row["url"],
        published=parse_date(row["published"]) if row["published"] else None,
        source=row["source"],
        origin=row["origin"],
    )


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration, comments removed (executed one by one, inside the
    migration's transaction; executescript would commit on its own)."""
    lines = [re.sub(r"--.*$", "", line) for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
