"""Reading inputs into Articles.

Inputs are files — ``.txt`` (one article; a first line followed by a blank line is the title, a
``公開日:`` line after it the date), ``.json`` / ``.jsonl`` article records (``body`` required;
``id``, ``title``, ``url``, ``published``, ``source`` optional), ``.html`` / ``.htm`` article
pages, RSS / RDF / Atom feeds (``.xml``, ``.rss``, ``.rdf``, ``.atom``), any of these gzipped
(``articles.jsonl.gz``), Parquet files of article records (``.parquet``, with pyarrow installed:
the ``ray`` extra) — folders of them (walked
recursively in path order), ``http(s)://`` URLs of feeds or pages, and ``-`` for standard input.
A file whose suffix says nothing is sniffed from its content. Bytes are decoded from UTF-8,
Shift_JIS, EUC-JP or ISO-2022-JP (:mod:`kiku.decode`).

With ``input.fetch`` on, feed items that carry only a teaser are replaced by their article
page's full text, fetched over HTTP (:mod:`kiku.fetch`).

Each problem becomes a :class:`Failure` naming the file, line, item or URL; the others go on.
Warnings (a malformed feed that still gave items, a charset that lied, duplicates dropped) go
to the ``warn`` callback. Duplicates — the same canonical URL or the same text — are dropped,
the first kept.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from kiku.config import InputConfig, load_config
from kiku.dates import parse_date
from kiku.decode import decode
from kiku.errors import InputError
from kiku.identity import canonical_url, content_hash
from kiku.text import clean_text, simplified_chinese_share
from kiku.types import Article, Failure

__all__ = ["Duplicates", "Reader", "duplicate_keys", "parse_record", "read_inputs"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".rdf", ".atom"})
READABLE = TEXT_SUFFIXES | JSON_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | {".parquet"}


def file_kind(name: str) -> tuple[str, str, bool]:
    """``(suffix, stem, gzipped)`` of a file name: ``articles.jsonl.gz`` is ``(".jsonl",
    "articles", True)``; the suffix is lower-case."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    gzipped = base.lower().endswith(".gz")
    if gzipped:
        base = base[:-3]
    stem, dot, suffix = base.rpartition(".")
    return ("." + suffix.lower(), stem, gzipped) if dot and stem else ("", base, gzipped)


def readable(name: str) -> bool:
    """Whether a folder walk reads this file (by its suffix, gzipped or not)."""
    return file_kind(name)[0] in READABLE
_FEED_ROOT = re.compile(r"<(?:rss|rdf:RDF|feed)[\s>]", re.I)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I | re.S)
_DATE_LABEL_LINE = re.compile(r"^\s*(?:公開|更新|配信|掲載|投稿)(?:日時|日)?\s*[:：]")

log = logging.getLogger("kiku")


class Reader:
    """Reads inputs into articles; build one per run (it holds the HTTP client and cache)."""

    def __init__(
        self, settings: InputConfig | None = None, warn: Callable[[str], None] | None = None, *, last_resort: bool = True
    ) -> None:
        self.settings = settings or load_config().input
        self.warn = warn or log.warning
        #: Turn an unexpected error while reading one input into that input's failure (off
        #: with --strict, to see the traceback with --debug).
        self.last_resort = last_resort
        self._fetcher = None
        #: Duplicates dropped in the last :meth:`read`: by canonical URL and by content.
        self.duplicates = {"url": 0, "content": 0}

    @property
    def fetcher(self):  # noqa: ANN201 - built on first use: most runs never touch the network
        if self._fetcher is None:
            from kiku.fetch import Fetcher

            self._fetcher = Fetcher(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def read(self, inputs: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[Article | Failure]:
        """Yield an Article for each article found, a Failure for each problem, in input order,
        duplicates dropped."""
        seen = Duplicates(self.warn)
        self.duplicates = seen.counts
        for item in self._read_all(inputs, stdin):
            if isinstance(item, Article):
                item = self.admit(item)
                if seen.repeats(item.origin, *duplicate_keys(item)):
                    continue
            yield item
        seen.report()

    def admit(self, article: Article) -> Article:
        """An article as read, made ready for the pipeline: its fields cleaned, a warning when
        it reads as Chinese."""
        article = _cleaned(article)
        if simplified_chinese_share(article.body) > 0.05:
            self.warn(f"{article.origin}: reads as Chinese (simplified characters), not Japanese; summarised all the same")
        return article

    def _read_all(self, inputs: Iterable[str], stdin: BinaryIO | None) -> Iterator[Article | Failure]:
        for name in inputs:
            yield from self._guarded("<stdin>" if name == "-" else name, self._read_one(name, stdin))

    def _guarded(self, origin: str, items: Iterator[Article | Failure]) -> Iterator[Article | Failure]:
        """``items``, with an unexpected error while reading them turned into one failure for
        ``origin`` — the last resort: one input's bug, not the run's (off with --strict, so that
        --debug shows the traceback)."""
        if not self.last_resort:
            yield from items
            return
        try:
            yield from items
        except Exception as exc:  # noqa: BLE001 - see above
            yield Failure(
                origin, "read",
                f"internal error while reading it ({type(exc).__name__}: {exc}); the rest of it is skipped. "
                "Rerun with --strict --debug for a traceback and report it",
            )

    def _read_one(self, name: str, stdin: BinaryIO | None) -> Iterator[Article | Failure]:
        if name == "-":
            if stdin is None:
                yield Failure("<stdin>", "read", "standard input is not available")
                return
            yield from self._read_bytes(stdin.read(), "<stdin>", "stdin", suffix="")
        elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name):
            yield from self._read_url(name)
        elif Path(name).is_dir():
            files = sorted(p for p in Path(name).rglob("*") if p.is_file() and readable(p.name))
            if not files:
                yield Failure(name, "read", "folder holds no .txt, .json, .jsonl, .html or feed files; nothing to read")
            for file in files:
                yield from self._guarded(str(file), self._read_path(file))
        else:
            yield from self._read_path(Path(name))

    def _read_path(self, path: Path) -> Iterator[Article | Failure]:
        origin = str(path)
        suffix, stem, gzipped = file_kind(path.name)
        try:
            info = path.stat()
        except FileNotFoundError:
            yield Failure(origin, "read", "file not found; check the path")
            return
        except OSError as exc:
            yield Failure(origin, "read", f"cannot read the file ({exc.strerror})")
            return
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            # A named pipe would block the run until something writes to it; a device never ends.
            yield Failure(origin, "read", "is not a regular file (a pipe, socket or device); give a file, or - for standard input")
            return
        if suffix == ".parquet":
            yield from self._read_parquet(path, origin, stem, gzipped)  # a row group at a time: no size limit
            return
        if suffix in (".jsonl", ".ndjson"):
            streamed = self._stream_jsonl(path, stem, gzipped)
            if streamed is not None:
                yield from streamed  # line by line: no size limit
                return
        if info.st_size > self.settings.max_bytes:
            yield Failure(
                origin, "read",
                f"is {info.st_size:,} bytes, over the {self.settings.max_bytes:,}-byte limit for one file; "
                "split it, give it as JSON lines (.jsonl, read line by line), or raise input.max_bytes with --set",
            )
            return
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            yield Failure(origin, "read", "file not found; check the path")
            return
        except IsADirectoryError:
            yield Failure(origin, "read", "is a folder, not a file")
            return
        except OSError as exc:
            yield Failure(origin, "read", f"cannot read the file ({exc.strerror})")
            return
        yield from self.read_data(data, origin, path.name)

    def read_data(self, data: bytes, origin: str, name: str) -> Iterator[Article | Failure]:
        """The articles of one file's bytes, named ``name`` (its suffix says how to read it,
        ``.gz`` is decompressed first): what reading the file gives, without the file system —
        for inputs read elsewhere (a Ray cluster's workers)."""
        suffix, stem, gzipped = file_kind(name)
        # By its magic bytes: a reader that decompressed by the name already (Ray does) hands
        # over the inner file.
        if gzipped and data[:2] == b"\x1f\x8b":
            try:
                data = _gunzip(data, self.settings.max_bytes)
            except (OSError, EOFError, ValueError) as exc:
                yield Failure(origin, "read", f"not a readable gzip file ({exc}); check the file")
                return
        if suffix == ".parquet":
            yield from self._read_parquet(io.BytesIO(data), origin, stem, False)
            return
        yield from self._read_bytes(data, origin, stem, suffix)

    def _read_parquet(self, source: Path | BinaryIO, origin: str, stem: str, gzipped: bool) -> Iterator[Article | Failure]:
        """Article records, one per row (``id``, ``body``, ``title``, ``url``, ``published``,
        ``source`` columns; the same rules as JSON records), read a row group at a time."""
        try:
            import pyarrow.parquet as pq
        except ImportError:
            yield Failure(origin, "read", 'reading Parquet needs pyarrow: pip install -e ".[ray]" (or pip install pyarrow)')
            return
        try:
            handle = gzip.open(source) if gzipped else source
            batches = pq.ParquetFile(handle).iter_batches(batch_size=1024)
            n = 0
            for batch in batches:
                for row in batch.to_pylist():
                    n += 1
                    # A Parquet timestamp column is a date already: as ISO 8601, like JSON's.
                    row = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
                    yield parse_record(row, f"{origin}[{n}]", f"{stem}-{n}", self.warn)
        except (OSError, ValueError) as exc:
            yield Failure(origin, "read", f"not a readable Parquet file ({type(exc).__name__}: {exc}); check the file")

    def _stream_jsonl(self, path: Path, stem: str, gzipped: bool = False) -> Iterator[Article | Failure] | None:
        """A UTF-8 JSON-lines file (gzipped or not) line by line, so that memory does not grow
        with its size; None when it does not start as UTF-8 JSON lines (then it is read whole
        and decoded)."""
        origin = str(path)
        opener = gzip.open if gzipped else open
        try:
            with opener(path, "rb") as fh:
                head = fh.read(65536)
        except (OSError, EOFError):
            return None  # _read_path reports it
        if b"\x00" in head[:8192] or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return None
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut by the 64 KiB boundary
                return None

        def lines() -> Iterator[Article | Failure]:
            try:
                with opener(path, "rb") as fh:
                    for where, lineno, record in json_lines(fh, origin):
                        yield record if isinstance(record, Failure) else parse_record(record, where, f"{stem}-{lineno}", self.warn)
            except (OSError, EOFError) as exc:  # a gzip stream cut short or damaged
                yield Failure(origin, "read", f"cannot read on ({exc}); the articles before this point were read")

        return lines()

    def _read_url(self, url: str) -> Iterator[Article | Failure]:
        from kiku.fetch import FetchError

        try:
            # A feed changes between runs: ask the server again (a 304 costs nothing).
            response = self.fetcher.get(url, revalidate=True)
        except FetchError as exc:
            yield Failure(url, "fetch", exc.message)
            return
        yield from self._read_bytes(
            response.body, url, _url_stem(url), suffix="", content_type=response.content_type,
            url=response.final_url, reference=response.modified,
        )

    def _read_bytes(
        self,
        data: bytes,
        origin: str,
        stem: str,
        suffix: str,
        content_type: str | None = None,
        url: str | None = None,
        reference: datetime | None = None,
    ) -> Iterator[Article | Failure]:
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield Failure(origin, "read", "looks like binary data, not text; give a text, JSON, HTML or feed file")
            return
        try:
            decoded = decode(data, origin, content_type)
        except InputError as exc:
            yield Failure(origin, "read", exc.message)
            return
        if decoded.warning:
            self.warn(f"{origin}: {decoded.warning}")
        text = decoded.text.lstrip("\ufeff")
        if not text.strip():
            yield Failure(origin, "read", "is empty; give it an article's text")
            return
        kind = _kind(text, suffix, content_type)
        if kind == "feed":
            yield from self._read_feed(text, origin, reference, url)
        elif kind == "html":
            yield self._read_page(text, origin, stem, url, reference)
        elif kind == "json":
            yield from _read_json(text, origin, stem, lines=suffix != ".json", warn=self.warn)
        else:
            yield _text_article(text, origin, stem)

    def _read_page(self, html: str, origin: str, stem: str, url: str | None, reference: datetime | None) -> Article | Failure:
        from kiku.pages import extract_page

        try:
            page = extract_page(html, origin, url, reference)
        except InputError as exc:
            return Failure(origin, "parse", exc.message)
        if page.unresolved_date:
            self.warn(f"{origin}: date {page.unresolved_date!r} has no year and the page no date to take it from; left unknown")
        page_url = canonical_url(page.url) if page.url else None
        return Article(
            id=_id_from(page_url) or stem,
            body=page.text,
            title=page.title,
            url=page_url,
            published=page.published,
            source=page.site or (urlsplit(page_url).hostname if page_url else None),
            origin=origin,
        )

    def _read_feed(self, text: str, origin: str, reference: datetime | None, url: str | None) -> Iterator[Article | Failure]:
        from kiku.feeds import is_teaser, parse_feed

        try:
            feed = parse_feed(text, origin, reference, base=url)
        except InputError as exc:
            yield Failure(origin, "parse", exc.message)
            return
        if feed.warning:
            self.warn(f"{origin}: {feed.warning}")
        site = feed.title or (urlsplit(feed.link).hostname if feed.link else None)
        articles: list[Article | Failure] = []
        teasers: list[Article] = []
        for item in feed.items:
            where = f"{origin}#{item.index}"
            if item.unresolved_date:
                self.warn(f"{where}: date {item.unresolved_date!r} is not a date Kiku reads, or has no year and the feed no date; left unknown")
            url = canonical_url(item.url) if item.url and item.url.startswith(("http://", "https://")) else item.url
            article = Article(
                id=_id_from(url) or item.guid or f"{_url_stem(origin)}-{item.index}",
                body=item.text,
                title=item.title,
                url=url,
                published=item.published,
                source=site,
                origin=where,
            )
            if not article.body.strip() and not (self.settings.fetch and _id_from(url)):
                what = "only a cut-off teaser" if item.truncated else "no text"
                articles.append(Failure(where, "parse", f"feed item 「{item.title or item.index}」 has {what}; use --fetch to read its page"))
                continue
            articles.append(article)
            if self.settings.fetch and _id_from(url) and is_teaser(item, self.settings.teaser_chars):
                teasers.append(article)
        if not teasers:
            yield from articles
            return
        full = dict(zip((id(a) for a in teasers), self.fetcher.get_many(a.url for a in teasers)))
        for article in articles:
            result = full.get(id(article))
            yield article if result is None else self._full_text(article, result)

    def _full_text(self, teaser: Article, response: Any) -> Article | Failure:
        """The teaser's article with the text (and any missing metadata) of its fetched page."""
        from kiku.fetch import FetchError

        if isinstance(response, FetchError):
            return Failure(f"{teaser.origin} {teaser.url}", "fetch", response.message, teaser.id)
        try:
            decoded = decode(response.body, response.url, response.content_type)
        except InputError as exc:
            return Failure(f"{teaser.origin} {teaser.url}", "fetch", exc.message, teaser.id)
        if _kind(decoded.text, "", response.content_type) != "html":
            return Failure(f"{teaser.origin} {teaser.url}", "fetch", "is not an HTML page; cannot read the article's full text", teaser.id)
        page = self._read_page(decoded.text, teaser.url or teaser.origin, teaser.id, response.final_url, teaser.published or response.modified)
        if isinstance(page, Failure):
            return replace(page, origin=f"{teaser.origin} {teaser.url}", article_id=teaser.id)
        return replace(
            teaser,
            body=page.body,
            title=teaser.title or page.title,
            published=teaser.published or page.published,
            source=teaser.source or page.source,
        )


def duplicate_keys(article: Article) -> tuple[str | None, str]:
    """What makes two articles one: the canonical URL (http(s) only) and the text's hash."""
    url = canonical_url(article.url) if article.url and article.url.startswith(("http://", "https://")) else None
    return url, content_hash(article.body)


class Duplicates:
    """Articles seen so far in a run, by :func:`duplicate_keys`: the first of each is kept,
    each later one reported to ``warn`` (and counted, by URL or by text)."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self.warn = warn
        self.counts = {"url": 0, "content": 0}
        self._urls: dict[str, str] = {}
        self._texts: dict[str, str] = {}

    def repeats(self, origin: str, url: str | None, text: str) -> bool:
        """Whether the article at ``origin`` repeats an earlier one (then it is reported)."""
        first = (url and self._urls.get(url)) or self._texts.get(text)
        if first is not None:
            how = "url" if url and url in self._urls else "content"
            self.counts[how] += 1
            self.warn(f"{origin}: {'the same URL' if how == 'url' else 'the same text'} as {first}; skipped as a duplicate")
            return True
        if url:
            self._urls[url] = origin
        self._texts[text] = origin
        return False

    def report(self) -> None:
        """One line for the run, when any were dropped."""
        dropped = sum(self.counts.values())
        if dropped:
            self.warn(
                f"dropped {dropped} duplicate article{'s' if dropped > 1 else ''} "
                f"({self.counts['url']} by URL, {self.counts['content']} by text); the first of each was kept"
            )


def _gunzip(data: bytes, limit: int) -> bytes:
    """``data`` decompressed; a ValueError when it would exceed ``limit`` bytes (a gzip bomb)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        while chunk := fh.read(1 << 20):
            out.write(chunk)
            if out.tell() > limit:
                raise ValueError(f"it holds over {limit:,} bytes; raise input.max_bytes with --set")
    return out.getvalue()


def _cleaned(article: Article) -> Article:
    """The article without control, bidirectional-override and zero-width characters in any of
    its fields (see :func:`kiku.text.clean_text`)."""
    fields = {
        name: clean_text(value)
        for name in ("id", "title", "body", "url", "source")
        if isinstance(value := getattr(article, name), str) and value != clean_text(value)
    }
    return replace(article, **fields) if fields else article


def read_inputs(
    inputs: Iterable[str],
    stdin: BinaryIO | None = None,
    settings: InputConfig | None = None,
    warn: Callable[[str], None] | None = None,
    *,
    last_resort: bool = True,
) -> Iterator[Article | Failure]:
    """Yield an Article for each article found, a Failure for each problem, in input order."""
    reader = Reader(settings, warn, last_resort=last_resort)
    try:
        yield from reader.read(inputs, stdin)
    finally:
        reader.close()


def _kind(text: str, suffix: str, content_type: str | None) -> str:
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if _FEED_ROOT.search(text[:2048]):
        return "feed"
    if suffix in FEED_SUFFIXES:
        return "feed"  # parse_feed then says what is wrong with it
    ctype = (content_type or "").lower()
    if "html" in ctype or _HTML_START.match(text):
        return "html"
    if text.lstrip()[:1] in "{[":
        return "json"
    return "text"


def _url_stem(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return Path(path).stem or urlsplit(url).hostname or "url"


def _id_from(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def _text_article(text: str, origin: str, stem: str) -> Article:
    lines = text.split("\n")
    title = None
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip():
        title = lines[0].strip(" \t\r\u3000")
        text = "\n".join(lines[2:])
    published = None
    # A 公開日:2025/03/14 line at the top is the article's date, not article text.
    body_lines = text.split("\n")
    for n, line in enumerate(body_lines[:3]):
        if _DATE_LABEL_LINE.match(line) and (published := parse_date(line)) is not None:
            text = "\n".join(body_lines[:n] + body_lines[n + 1 :]).lstrip("\n")
            break
    return Article(id=stem, body=text, title=title, published=published, origin=origin)


def _read_json(
    text: str, origin: str, stem: str, lines: bool, warn: Callable[[str], None]
) -> Iterator[Article | Failure]:
    stripped = text.lstrip()
    if not lines or stripped.startswith("["):
        # A whole-file JSON document: one record or a list of records.
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if not lines:
                yield Failure(f"{origin}:{exc.lineno}", "parse", f"not valid JSON ({exc.msg.removesuffix(' at')} at line {exc.lineno}, column {exc.colno}); fix the file")
                return
        except RecursionError:
            yield Failure(origin, "parse", _TOO_DEEP)
            return
        else:
            records = doc if isinstance(doc, list) else [doc]
            for n, record in enumerate(records, 1):
                yield parse_record(record, f"{origin}[{n}]", f"{stem}-{n}", warn)
            return
    for where, lineno, record in json_lines(text.split("\n"), origin):
        yield record if isinstance(record, Failure) else parse_record(record, where, f"{stem}-{lineno}", warn)


_TOO_DEEP = "JSON nested too deeply to be an article record; fix or remove it"


def json_lines(lines: Iterable[bytes | str], origin: str) -> Iterator[tuple[str, int, Any]]:
    """Each non-blank line of a JSON-lines source, parsed: ``(origin:line, line number, the
    JSON value)``, or a :class:`Failure` in place of the value for a line that is not UTF-8 or
    not JSON (the next lines are still read). Lines are read one at a time, so a large file is
    never held whole."""
    for lineno, raw in enumerate(lines, 1):
        where = f"{origin}:{lineno}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield where, lineno, Failure(where, "read", f"line is not UTF-8 (bad byte at column {exc.start + 1}); fix or remove it")
                continue
        else:
            line = raw.lstrip("\ufeff") if lineno == 1 else raw
        if not line.strip():
            continue
        try:
            yield where, lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, lineno, Failure(where, "parse", f"line is not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno}); fix or remove it")
        except RecursionError:
            yield where, lineno, Failure(where, "parse", _TOO_DEEP)


def parse_record(
    record: Any, where: str, default_id: str, warn: Callable[[str], None] | None = None
) -> Article | Failure:
    if not isinstance(record, dict):
        return Failure(where, "parse", "expected a JSON object with a \"body\" field")
    body = record.get("body")
    rid = record.get("id")
    article_id = str(rid) if isinstance(rid, (str, int)) and str(rid).strip() else default_id
    if not isinstance(body, str):
        what = "has no \"body\" field" if body is None else "has a \"body\" that is not a string"
        return Failure(where, "parse", f"record {what}; each record needs the article text in \"body\"", article_id)
    if not body.strip():
        return Failure(where, "parse", "record has an empty \"body\"; give it the article text", article_id)
    fields: dict[str, str | None] = {}
    for key in ("title", "url", "source", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Failure(where, "parse", f"\"{key}\" must be a string or null", article_id)
        fields[key] = value.strip() if isinstance(value, str) and value.strip() else None
    published = None
    if fields["published"]:
        published = parse_date(fields["published"])
        if published is None and warn is not None:
            warn(f"{where}: \"published\" {fields['published']!r} is not a date Kiku reads; left unknown")
    return Article(
        id=article_id,
        body=body,
        title=fields["title"],
        url=fields["url"],
        published=published,
        source=fields["source"],
        origin=where,
    )
