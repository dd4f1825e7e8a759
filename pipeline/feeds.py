"""RSS 2.0, RSS 1.0 / RDF and Atom feeds through feedparser.

feedparser's parsed dates are not used: it reads ``2025/03/14 10:00`` and ``2025年3月14日`` as
the wrong month and day. Each date is re-parsed from the raw string (``pubDate``, ``dc:date``,
``published``/``updated``) by :func:`kiku.dates.parse_date`, with the feed's own date as the
reference for yearless ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import feedparser

from kiku.dates import parse_date
from kiku.errors import InputError
from kiku.pages import clean_text, fragment_text

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TEASER_END = ("…", "...", "‥", "続きを読む", "続きはこちら", "(続く)", "（続く）")
_SENTENCE_END = ("。", "！", "？", "」", "!", "?")


@dataclass(frozen=True, slots=True)
class FeedItem:
    index: int
    title: str | None
    url: str | None
    guid: str | None
    published: datetime | None
    #: The item's text (content:encoded / Atom content, else the description), cleaned.
    text: str
    #: The raw date string when it could not be read as a date (reported to the user).
    unresolved_date: str | None = None
    #: The text was cut off by the feed (it ended in … or 続きを読む); the cut-off sentence
    #: has been removed, since half a sentence can say the opposite of the whole one.
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    link: str | None
    published: datetime | None
    items: tuple[FeedItem, ...]
    #: Set when the feed is malformed but still gave items (feedparser's bozo flag).
    warning: str | None = None


def parse_feed(text: str, origin: str, reference: datetime | None = None, base: str | None = None) -> Feed:
    """Parse a decoded feed document; ``reference`` (e.g. the HTTP Last-Modified date) dates
    yearless items when the feed carries no date of its own; ``base`` (the feed's URL) makes
    relative item links absolute. Raises :class:`InputError` when nothing can be read from it."""
    # The text is already decoded: tell the XML parser so, instead of the declared charset.
    data = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1).encode("utf-8")
    # The text is UTF-8 XML now, whatever the server said; the base URL resolves relative links.
    headers = {"content-type": "application/xml; charset=utf-8", **({"content-location": base} if base else {})}
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True, response_headers=headers)
    warning = None
    if parsed.bozo:
        problem = str(parsed.get("bozo_exception") or "malformed XML").strip()
        if not parsed.entries:
            raise InputError(origin, f"is not a readable feed ({problem}); check that it is RSS, RDF or Atom")
        warning = f"malformed feed ({problem}); read the {len(parsed.entries)} items that could be parsed"
    if not parsed.entries:
        raise InputError(origin, "feed has no items; nothing to summarise")
    meta = parsed.feed
    published = _raw_date(meta, reference)
    anchor = published or reference
    items = []
    for n, entry in enumerate(parsed.entries, 1):
        raw = _first(entry, "published", "updated", "created", "dc_date", "issued")
        when = parse_date(raw, anchor) if raw else None
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        html = max(contents, key=len) if contents else entry.get("summary", "") or entry.get("description", "")
        body, _ = clean_text(fragment_text(html), entry.get("title"))
        body, truncated = _cut_teaser(body)
        items.append(
            FeedItem(
                index=n,
                title=_strip(entry.get("title")),
                url=_strip(entry.get("link")),
                guid=_strip(entry.get("id")),
                published=when,
                text=body,
                unresolved_date=raw if raw and when is None else None,
                truncated=truncated,
            )
        )
    return Feed(
        title=_strip(meta.get("title")),
        link=_strip(meta.get("link")),
        published=published,
        items=tuple(items),
        warning=warning,
    )


def is_teaser(item: FeedItem, min_chars: int) -> bool:
    """Whether a feed item's text is only a teaser of its article."""
    return item.truncated or len(item.text.strip()) < min_chars


def _cut_teaser(text: str) -> tuple[str, bool]:
    """Text without a trailing "…" / "続きを読む" and the sentence it cut off."""
    stripped = text.rstrip()
    if not stripped.endswith(_TEASER_END):
        return text, False
    for end in _TEASER_END:
        if stripped.endswith(end):
            stripped = stripped[: -len(end)].rstrip()
            break
    if not stripped.endswith(_SENTENCE_END):
        cut = max(stripped.rfind(c) for c in _SENTENCE_END)
        stripped = stripped[: cut + 1] if cut >= 0 else ""
    return stripped, True


def _raw_date(meta: dict, reference: datetime | None) -> datetime | None:
    raw = _first(meta, "updated", "published", "dc_date", "lastbuilddate")
    return parse_date(raw, reference) if raw else None


def _first(entry: dict, *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _strip(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
