"""Reading inputs into Articles.

Inputs are ``.txt`` files (one article; a first line followed by a blank line is the title),
``.jsonl`` / ``.json`` files of article records (``body`` required; ``id``, ``title``, ``url``,
``published``, ``source`` optional), folders of such files, and ``-`` for standard input (format
sniffed). Each problem becomes a :class:`Failure` naming the file and line; the other articles
go on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.types import Article, Failure

JST = timezone(timedelta(hours=9), "JST")
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
_FIELDS = ("id", "title", "url", "published", "source")

_YMD = re.compile(
    r"^\s*(\d{4})\s*[/年.\-]\s*(\d{1,2})\s*[/月.\-]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:時]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?\s*$"
)


def parse_date(raw: str) -> datetime | None:
    """ISO 8601 (``2010-05-22T14:30:00+0900``), ``2025/03/14 10:00`` and ``2025年3月14日``;
    JST when no zone is given. None when the string is not one of these."""
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        m = _YMD.match(text)
        if not m:
            return None
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        try:
            value = datetime(y, mo, d, h, mi, s)
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=JST)


def read_inputs(inputs: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[Article | Failure]:
    """Yield an Article for each article found, a Failure for each problem, in input order."""
    for name in inputs:
        if name == "-":
            if stdin is None:
                yield Failure("<stdin>", "read", "standard input is not available")
                continue
            yield from _read_bytes(stdin.read(), "<stdin>", "stdin", suffix="")
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSON_SUFFIXES
            )
            if not files:
                yield Failure(
                    name, "read", "folder holds no .txt, .json or .jsonl files; nothing to read"
                )
            for file in files:
                yield from _read_path(file)
            continue
        yield from _read_path(path)


def _read_path(path: Path) -> Iterator[Article | Failure]:
    origin = str(path)
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
    yield from _read_bytes(data, origin, path.stem, path.suffix.lower())


def _read_bytes(data: bytes, origin: str, stem: str, suffix: str) -> Iterator[Article | Failure]:
    if b"\x00" in data[:8192]:
        yield Failure(
            origin,
            "read",
            "looks like binary data, not text; give a UTF-8 .txt, .json or .jsonl file",
        )
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(
            origin,
            "read",
            f"is not UTF-8 text (bad byte at offset {exc.start}); convert it first, "
            "e.g. iconv -f SHIFT_JIS -t UTF-8",
        )
        return
    if not text.strip():
        yield Failure(origin, "read", "is empty; give it an article's text")
        return
    if suffix in JSON_SUFFIXES or (suffix not in TEXT_SUFFIXES and text.lstrip()[:1] in "{["):
        yield from _read_json(text, origin, stem, lines=suffix != ".json")
    else:
        yield _text_article(text, origin, stem)


def _text_article(text: str, origin: str, stem: str) -> Article:
    lines = text.split("\n")
    title = None
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip():
        title = lines[0].strip(" \t\r\u3000")
        text = "\n".join(lines[2:])
    return Article(id=stem, body=text, title=title, origin=origin)


def _read_json(text: str, origin: str, stem: str, lines: bool) -> Iterator[Article | Failure]:
    stripped = text.lstrip()
    if not lines or stripped.startswith("["):
        # A whole-file JSON document: one record or a list of records.
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if not lines:
                yield Failure(
                    f"{origin}:{exc.lineno}", "parse", f"not valid JSON ({exc.msg}); fix the file"
                )
                return
        else:
            records = doc if isinstance(doc, list) else [doc]
            for n, record in enumerate(records, 1):
                yield parse_record(record, f"{origin}[{n}]", f"{stem}-{n}")
            return
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, "parse", f"line is not valid JSON ({exc.msg}); fix or remove it")
            continue
        yield parse_record(record, where, f"{stem}-{lineno}")


def parse_record(record: Any, where: str, default_id: str) -> Article | Failure:
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
    return Article(
        id=article_id,
        body=body,
        title=fields["title"],
        url=fields["url"],
        published=published,
        source=fields["source"],
        origin=where,
    )
