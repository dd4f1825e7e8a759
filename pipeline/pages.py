"""HTML into article text: whole pages through trafilatura, feed fragments through lxml, and
the boilerplate both leave behind.

A page's main text comes from trafilatura with ``favor_precision=True`` (navigation, related
links, ads and footers dropped); its title, publication date and site name from the page's own
metadata (Open Graph, ``article:published_time``, JSON-LD, ``<time>``), which carry the time and
zone that trafilatura's date (a day only) leaves out.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime

import lxml.html
import trafilatura
from lxml import etree

from kiku.dates import JST, parse_date
from kiku.errors import InputError
from kiku.text import boilerplate_kind
from kiku.types import SentenceKind

# trafilatura and its helpers log what they skip as warnings; Kiku reports per page itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# Elements whose end is a paragraph break when a fragment of HTML is turned into text.
_BLOCKS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote section article header footer table tr dd dt figure figcaption pre".split()
)
_DATE_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate", "publishdate",
    "date", "dc.date", "dc.date.issued", "dcterms.issued", "sailthru.date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "last-modified")
_DATE_LINE = re.compile(r"^\s*[【\[(（]?\s*(?:公開|更新|配信|掲載|投稿)?(?:日時|日)?\s*[)）】\]]?\s*[:：]?\s*"
                        r"(?:\d{4}|令和|平成)?[^。、]{0,30}\d{1,2}\s*[月/]\s*\d{1,2}[^。、]{0,20}$")
_PHOTO_CREDIT = re.compile(r"^\s*[（(]\s*(?:写真|撮影|画像|提供)\s*[:：・＝=/／][^）)]{1,40}[）)]\s*$")


@dataclass(frozen=True, slots=True)
class Page:
    """What an article page says about itself, and its main text."""

    text: str
    title: str | None
    url: str | None
    published: datetime | None
    site: str | None
    #: A date string the page gives but that could not be resolved (a yearless one).
    unresolved_date: str | None = None


def extract_page(html: str, origin: str, url: str | None = None, reference: datetime | None = None) -> Page:
    """The article in an HTML page; raises :class:`InputError` when the page has no article
    text (a front page, an error page, a page that needs JavaScript)."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(origin, f"is not readable HTML ({exc}); check that it is an article page") from None
    # Metadata first: trafilatura cleans the tree it is given.
    meta = _meta(tree)
    canonical = _canonical(tree, url)
    raw_date = next((meta[k] for k in _DATE_META if meta.get(k)), None) or _json_ld_date(tree) or _time_element(tree)
    page_title = _tag_text(tree, "title")
    extracted = trafilatura.bare_extraction(
        tree,
        url=canonical or url,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=True,
        # Not deduplicate=True: its cache is global to the process, so the same page read a
        # second time (a rerun in a notebook) would come back empty.
    )
    raw_text = getattr(extracted, "text", None) if extracted is not None else None
    if not raw_text or not raw_text.strip():
        raise InputError(
            origin,
            "no article text found in the page (a front page, an error page or one that needs "
            "JavaScript?); give the article's own page",
        )
    title = meta.get("og:title") or getattr(extracted, "title", None) or page_title
    site = meta.get("og:site_name") or getattr(extracted, "sitename", None)
    modified = next((parse_date(meta[k]) for k in _MODIFIED_META if meta.get(k)), None)
    anchor = reference or modified
    published = None
    if raw_date:
        published = parse_date(raw_date, anchor)
    text, date_line = clean_text(raw_text, title)
    if published is None and date_line:
        published = parse_date(date_line, anchor)
    if published is None and getattr(extracted, "date", None) and raw_date is None and date_line is None:
        published = parse_date(extracted.date)
    unresolved = None
    if published is None:
        unresolved = raw_date or date_line
    if not text.strip():
        raise InputError(origin, "the page's text is only boilerplate (links, captions); give the article's own page")
    return Page(
        text=text,
        title=_clean_title(title, site),
        url=canonical or url,
        published=published,
        site=site.strip() if site else None,
        unresolved_date=unresolved,
    )


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed item's description or content), one paragraph per block
    element, ``<br>`` kept as a line break. Plain text comes back unchanged."""
    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.strip()
    etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in _BLOCKS:
            parts.append("\n\n")
        if el.text and tag not in ("br",):
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n\n")

    walk(root)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_text(text: str, title: str | None = None) -> tuple[str, str | None]:
    """Article text without what is not article text: the title repeated as the first line,
    date lines (returned, for the date), photo captions and credits, "さらに読む" links, and
    everything from a 【関連記事】-style block on. Paragraphs are separated by a blank line."""
    kept: list[str] = []
    date_line = None
    norm_title = _squash(title) if title else None
    for line in text.split("\n"):
        stripped = line.strip(" \t\u3000")
        if not stripped:
            continue
        kind = boilerplate_kind(stripped)
        if kind is SentenceKind.RELATED:
            break  # the rest of the text is the related-articles block
        if kind is not None or _PHOTO_CREDIT.match(stripped):
            continue
        if not kept and norm_title and _squash(stripped) == norm_title:
            continue
        if len(stripped) <= 40 and _DATE_LINE.match(stripped) and parse_date(stripped, _FAR_FUTURE) is not None:
            date_line = date_line or stripped
            continue
        kept.append(stripped)
    return "\n\n".join(kept), date_line


# A yearless date line is still a date line; this reference only lets parse_date say so.
_FAR_FUTURE = datetime(9000, 1, 1, tzinfo=JST)


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _meta(tree: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    # Keys as written in _DATE_META / _MODIFIED_META are matched case-insensitively.
    return {k: out[k.lower()] for k in (*_DATE_META, *_MODIFIED_META, "og:title", "og:site_name") if k.lower() in out}


def _canonical(tree: etree._Element, url: str | None) -> str | None:
    for el in tree.iter("link"):
        if (el.get("rel") or "").strip().lower() == "canonical" and el.get("href", "").startswith(("http://", "https://")):
            return el.get("href").strip()
    og = next((el.get("content") for el in tree.iter("meta") if el.get("property") == "og:url"), None)
    if og and og.startswith(("http://", "https://")):
        return og.strip()
    return url


def _tag_text(tree: etree._Element, tag: str) -> str | None:
    el = next(tree.iter(tag), None)
    return el.text_content().strip() if el is not None and el.text_content().strip() else None


def _time_element(tree: etree._Element) -> str | None:
    for el in tree.iter("time"):
        if el.get("itemprop") == "datePublished" or el.get("pubdate") is not None:
            return el.get("datetime") or el.text_content()
    el = next(tree.iter("time"), None)
    return (el.get("datetime") or el.text_content()) if el is not None else None


def _json_ld_date(tree: etree._Element) -> str | None:
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except json.JSONDecodeError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict):
                continue
            for node in [item, *(item.get("@graph") or [])]:
                if isinstance(node, dict) and isinstance(node.get("datePublished"), str):
                    return node["datePublished"]
    return None


def _clean_title(title: str | None, site: str | None) -> str | None:
    """The headline without the site name that many pages append: 見出し | サイト名."""
    if not title:
        return None
    title = title.strip()
    if site:
        for sep in (" | ", "｜", " - ", " – ", "：", " : ", "|"):
            suffix = f"{sep}{site.strip()}"
            if title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].strip()
    return title
