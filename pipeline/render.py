"""Summary -> text or JSON."""

from __future__ import annotations

import json
from typing import Any

from pipeline import __version__
from pipeline.config import Config
from pipeline.types import Article, Bullet, Summary

BULLET = "✅"


def summary_text(summary: Summary) -> str:
    """Title (or the article id when there is none), then one ✅ line per bullet."""
    article = summary.article
    lines = [article.title or f"[{article.id}]"]
    lines += [f"{BULLET} {b.text}" for b in summary.bullets]
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
        "kiku_version": __version__,
        "config_hash": summary.config_hash,
        "config": config.to_dict(),
    }


def summary_json(summary: Summary, config: Config) -> str:
    return json.dumps(summary_record(summary, config), ensure_ascii=False) + "\n"
