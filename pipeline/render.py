"""Output: summaries as text or JSON lines, digests as Markdown, one HTML page or JSON.

Every renderer is a pure function of what it renders: the same input gives the same bytes (no
clock, no randomness, keys in a fixed order). :data:`SUMMARY_FORMATS` and
:data:`DIGEST_FORMATS` are the tables the commands choose from by ``--format``;
:func:`guess_format` picks one from an output file's suffix.

Source cards have exactly this shape in Markdown (and the same lines in HTML)::

    <article title>
    公開日:YYYY/MM/DD
    ✅ <bullet>
    さらに読む ⇒ <site name> 出典: <url>

with 公開日 left out when the date is unknown and the last line when there is no URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from kiku import __version__
from kiku.config import Config
from kiku.dates import JST
from kiku.errors import ConfigError
from kiku.types import Article, Bullet, Digest, Line, Section, Summary

BULLET = "✅"
POINT = "💡"
CONCLUSION = "🚩 結論!"
SCHEMA = "kiku-digest/2"


def guess_format(output: str | None, given: str | None, formats: Mapping[str, object], default: str) -> str:
    """The format asked for with ``--format``, else the one the output file's suffix names
    (``draft.html`` -> html), else ``default``."""
    if given is not None:
        if given not in formats:
            raise ConfigError(f"unknown format {given!r}; choose one of: {', '.join(formats)}")
        return given
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    suffix = {"htm": "html", "markdown": "md", "jsonl": "json", "txt": "text"}.get(suffix, suffix)
    return suffix if suffix in formats else default


# -- summaries ------------------------------------------------------------------------------


def summary_text(summary: Summary, config: Config | None = None) -> str:
    """Title (or the article id when there is none), then one ✅ line per bullet."""
    article = summary.article
    return _text_block(article.title, article.id, [b.text for b in summary.bullets])


def record_text(record: Mapping[str, Any]) -> str:
    """A stored summary record (the JSON form) as :func:`summary_text` writes it."""
    return _text_block(record.get("title"), str(record.get("id")), [b["text"] for b in record.get("bullets", ())])


def _text_block(title: str | None, article_id: str, bullets: list[str]) -> str:
    lines = [title or f"[{article_id}]", *(f"{BULLET} {text}" for text in bullets)]
    return "\n".join(lines) + "\n"


def article_fields(a: Article) -> dict[str, Any]:
    """An article's id, title, url, published (ISO 8601 with its offset) and source."""
    return {
        "id": a.id,
        "title": a.title,
        "url": a.url,
        "published": a.published.isoformat() if a.published else None,
        "source": a.source,
    }


def bullet_record(b: Bullet) -> dict[str, Any]:
    """A bullet with its source sentences and who wrote it."""
    record: dict[str, Any] = {
        "text": b.text,
        "sources": list(b.sources),
        "source_text": list(b.evidence),
        "written_by": b.origin,
    }
    if b.reason is not None:
        record["replaced"] = {"model_text": b.replaced, "reason": b.reason}
    if b.over_length:
        record["over_length"] = True
    return record


def summary_record(summary: Summary, config: Config) -> dict[str, Any]:
    """The JSON object for one summary: the article, its bullets with their source sentences,
    and what produced them."""
    return {
        **article_fields(summary.article),
        "bullets": [bullet_record(b) for b in summary.bullets],
        "notes": list(summary.notes),
        "summarizer": summary.summarizer,
        "model": summary.model,
        "device": summary.device,
        "endpoint": summary.endpoint,
        "kiku_version": __version__,
        "config_hash": summary.config_hash,
        "config": config.to_dict(),
    }


def summary_json(summary: Summary, config: Config) -> str:
    return json.dumps(summary_record(summary, config), ensure_ascii=False) + "\n"


#: ``--format`` -> the function that writes one summary (text blocks are separated by a blank
#: line by the caller; JSON is one line each).
SUMMARY_FORMATS: dict[str, Callable[[Summary, Config], str]] = {"text": summary_text, "json": summary_json}


# -- digests --------------------------------------------------------------------------------


def card_lines(summary: Summary, text: Callable[[str], str] | None = None, url: Callable[[str], str] | None = None) -> list[str]:
    """The source card of one article, line by line; ``text`` and ``url`` escape what came from
    the input for the output format (Markdown: :func:`md_text`, :func:`md_url`)."""
    text = text or _one_line
    url = url or (lambda u: u)
    a = summary.article
    lines = [text(a.title or a.id)]
    if a.published:
        lines.append(f"公開日:{a.published.astimezone(JST):%Y/%m/%d}")
    lines += [f"{BULLET} {text(b.text)}" for b in summary.bullets]
    if a.url:
        lines.append(f"さらに読む ⇒ {text(site_name(summary))} 出典: {url(a.url)}")
    return lines


def site_name(summary: Summary) -> str:
    a = summary.article
    return a.source or (urlsplit(a.url).hostname if a.url else None) or "出典"


def to_markdown(digest: Digest) -> str:
    """The draft as Markdown. Everything that came from the input is escaped, so that a
    renderer that allows HTML shows it as text: no tag, heading, image or link can be smuggled
    in through a title or a feed; only http(s) URLs can become links."""
    out = [f"# {md_text(digest.title.text)}", "", md_text(digest.lead.text), ""]
    for n, section in enumerate(digest.sections, 1):
        out += [f"## {n}. {md_text(section.heading.text)}", ""]
        if section.answer.text:  # no line stood alone without repeating a card: no Q and A
            out += [f"**Q. {md_text(section.question.text)}**", "", f"A. {md_text(section.answer.text)}", ""]
        bridges = {k: line for k, line in section.bridges if line.text}
        for k, summary in enumerate(section.summaries):
            out += [*card_lines(summary, md_text, md_url), ""]
            if k in bridges:  # a line that relates this card to the next
                out += [f"→ {md_text(bridges[k].text)}", ""]
    out += [f"## {CONCLUSION}", ""]
    out += [f"{POINT} {md_text(point.text)}" for _, point in digest.points]
    return "\n".join(out).rstrip("\n") + "\n"


# Markdown's inline syntax (emphasis, code, links and images, tables, strikethrough) and the marks
# that make a line a heading, quote, list item or rule when they open it.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~!])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_MD_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#|[A-Za-z]+;)")
# Characters a URL may show as they are; anything else is percent-encoded, so that a URL can
# neither close a Markdown construct nor open an HTML tag.
_URL_SAFE = "-._~:/?#@!$&'+,;=%"


def md_text(text: str) -> str:
    """One line of input text for Markdown, shown as written."""
    text = _one_line(text)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)  # 1. at the start would make a numbered list
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_url(url: str) -> str:
    """An http(s) URL, percent-encoded where Markdown or HTML would read it; any other URL
    (javascript:, data:, a relative path) as text that no renderer makes a link."""
    if not _safe_link(url):
        return md_text(url)
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, *(quote(p, safe=_URL_SAFE) for p in parts[2:])))


_CSS = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.7;color:#222;background:#fafafa}
h1{font-size:1.6rem;border-bottom:3px solid #c0392b;padding-bottom:.3rem}
.lead{font-size:1.05rem;color:#444}
h2{font-size:1.3rem;margin-top:2.2rem;border-left:6px solid #c0392b;padding-left:.6rem}
.qa{background:#fff4e5;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.qa .q{font-weight:bold;margin:0}.qa .a{margin:.3rem 0 0}
.bridge{color:#555;margin:.4rem 1rem}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;margin:1rem 0;box-shadow:0 1px 2px rgba(0,0,0,.05)}
.card h3{font-size:1.05rem;margin:0 0 .2rem}
.card .date{color:#777;font-size:.9rem;margin:0}
.card ul,.points{list-style:none;padding-left:0;margin:.5rem 0}
.card li,.points li{margin:.25rem 0}
.card .more{font-size:.9rem;margin:.4rem 0 0;word-break:break-all}
.conclusion{background:#fff;border:2px solid #c0392b;border-radius:8px;padding:.4rem 1rem;margin-top:2.2rem}
.conclusion h2{border:none;padding:0;margin:.6rem 0}
a{color:#1a5fb4}
""".strip()


def to_html(digest: Digest) -> str:
    """One page with inline CSS and nothing that loads from elsewhere; every piece of text is
    escaped and only http/https links become links."""
    h: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        # No scripts, no outside requests: the page is text and inline style only.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(digest.title.text)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(digest.title.text)}</h1>",
        f'<p class="lead">{escape(digest.lead.text)}</p>',
    ]
    for n, section in enumerate(digest.sections, 1):
        h.append(f'<section class="topic" id="section-{n}">')
        h.append(f"<h2>{n}. {escape(section.heading.text)}</h2>")
        if section.answer.text:
            h.append(f'<div class="qa"><p class="q">Q. {escape(section.question.text)}</p><p class="a">A. {escape(section.answer.text)}</p></div>')
        bridges = {k: line for k, line in section.bridges if line.text}
        for k, summary in enumerate(section.summaries):
            h.append(_card_html(summary))
            if k in bridges:
                h.append(f'<p class="bridge">→ {escape(bridges[k].text)}</p>')
        h.append("</section>")
    h.append('<section class="conclusion">')
    h.append(f"<h2>{escape(CONCLUSION)}</h2>")
    h.append('<ul class="points">')
    h += [f"<li>{POINT} {escape(point.text)}</li>" for _, point in digest.points]
    h += ["</ul>", "</section>", "</body>", "</html>"]
    return "\n".join(h) + "\n"


def _card_html(summary: Summary) -> str:
    a = summary.article
    parts = ['<article class="card">', f"<h3>{escape(_one_line(a.title or a.id))}</h3>"]
    if a.published:
        parts.append(f'<p class="date">公開日:{a.published.astimezone(JST):%Y/%m/%d}</p>')
    parts.append("<ul>" + "".join(f"<li>{BULLET} {escape(_one_line(b.text))}</li>" for b in summary.bullets) + "</ul>")
    if a.url:
        site = escape(_one_line(site_name(summary)))
        if _safe_link(a.url):
            href = escape(a.url, quote=True)
            parts.append(
                f'<p class="more">さらに読む ⇒ <a href="{href}" rel="noopener noreferrer">{site}</a> '
                f'出典: <a href="{href}" rel="noopener noreferrer">{escape(a.url)}</a></p>'
            )
        else:  # javascript:, data:, relative: shown as text, never as a link
            parts.append(f'<p class="more">さらに読む ⇒ {site} 出典: {escape(a.url)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _safe_link(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and url == url.strip()


def _one_line(text: str) -> str:
    """Card lines are single lines: a title with a line break would break the card's shape."""
    return " ".join(text.split()) if any(c in text for c in "\r\n\t\u2028\u2029\x0b\x0c") else text


# -- JSON ----------------------------------------------------------------------------------


def to_json(digest: Digest) -> str:
    return json.dumps(digest_record(digest), ensure_ascii=False, indent=2) + "\n"


def digest_record(digest: Digest) -> dict[str, Any]:
    """The digest as data; its schema is ``configs/digest.schema.json``."""
    return {
        "schema": SCHEMA,
        "title": _line(digest.title),
        "lead": _line(digest.lead),
        "sections": [_section(n, s) for n, s in enumerate(digest.sections, 1)],
        "points": [{"section": k + 1, **_line(p)} for k, p in digest.points],
        "left_out": dict(sorted(digest.left_out.items())),
        "provenance": {
            "kiku_version": __version__,
            "summarizer": digest.summarizer,
            "model": digest.model,
            "config_hash": digest.config.hash,
            "config": digest.config.to_dict(),
        },
    }


def _line(line: Line) -> dict[str, Any]:
    record: dict[str, Any] = {
        "text": line.text,
        "written_by": line.written_by,
        "support": [{"article": s.article_id, "sentences": list(s.sentences)} for s in line.support],
    }
    if line.reason is not None:
        record["replaced"] = {"model_text": line.replaced, "reason": line.reason}
    return record


def _section(n: int, section: Section) -> dict[str, Any]:
    return {
        "number": n,
        "heading": _line(section.heading),
        "key_phrases": list(section.key_phrases),
        "question": _line(section.question),
        "answer": _line(section.answer),
        "articles": [_article(s) for s in section.summaries],
        "bridges": [{"after": k + 1, **_line(line)} for k, line in section.bridges],
    }


def _article(summary: Summary) -> dict[str, Any]:
    return {
        **article_fields(summary.article),
        "site": site_name(summary),
        "card": "\n".join(card_lines(summary)),
        "bullets": [bullet_record(b) for b in summary.bullets],
        "notes": list(summary.notes),
    }


#: ``--format`` -> the function that writes a digest.
DIGEST_FORMATS: dict[str, Callable[[Digest], str]] = {"md": to_markdown, "html": to_html, "json": to_json}
