"""Invariants on real news from ../shared/data (skipped when the corpus is not beside the
project): every bullet is within the limit, ends in 。, is its source sentence with parts
removed, and nearly every article gets three."""

from __future__ import annotations

import pytest

from kiku.bullets import derived_from, is_anaphoric
from kiku.errors import ArticleError
from kiku.types import Article

from .conftest import shared_articles


@pytest.mark.parametrize(("corpus", "min_three"), [("livedoor", 0.98), ("jawikinews", 0.9)])
def test_bullets_on_real_articles(kiku, config, corpus, min_three):
    rows = shared_articles(corpus, 400)
    summaries = []
    for r in rows:
        article = Article(id=r["id"], body=r["body"], title=r.get("title"))
        try:
            summaries.append(kiku.summarize(article))
        except ArticleError:
            pass  # e.g. a body with no Japanese; the CLI reports these
    assert len(summaries) >= 0.99 * len(rows)
    three = sum(len(s.bullets) == 3 for s in summaries) / len(summaries)
    assert three >= min_three
    for s in summaries:
        doc = kiku.document(s.article)
        assert [b.sources[0] for b in s.bullets] == sorted(b.sources[0] for b in s.bullets)
        for b in s.bullets:
            source = doc.sentences[b.sources[0]]
            assert source.kind.value == "body"
            # Within the limit, or — an article none of whose sentences can be cut to it — the
            # shortest faithful cut, marked, and at most twice the limit.
            assert len(b.text) <= config.summary.max_chars or (b.over_length and len(b.text) <= 2 * config.summary.max_chars)
            assert len(b.text) >= config.summary.min_chars
            assert b.text.endswith("。")
            assert derived_from(b.text, source.text), (b.text, source.text)
            # shortening never leaves a bullet pointing back at a sentence it no longer follows
            assert not is_anaphoric(b.text) or is_anaphoric(source.text)
            assert not b.text.startswith(("また、", "しかし、", "一方、", "そして、"))
