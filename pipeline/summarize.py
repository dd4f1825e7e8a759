"""Summarizers: one small protocol, chosen by name from one registry.

``extractive`` is the floor that every other summarizer falls back to: it picks the article's
own sentences and shapes them into bullets (see :mod:`pipeline.bullets`), so it cannot state
anything the article does not.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter
from collections.abc import Callable, KeysView
from typing import Protocol

from pipeline.bullets import is_anaphoric, is_question, is_quotation, shape
from pipeline.config import Config
from pipeline.errors import ArticleError, UnknownSummarizerError
from pipeline.text import Tagger, has_japanese, normalize, terms
from pipeline.types import Bullet, Document, SentenceKind, Summary


class Summarizer(Protocol):
    """Every summarizer is built once from the config and then called per document."""

    name: str

    def summarize(self, doc: Document) -> Summary: ...


#: name -> "module:factory". Factories are imported only when chosen, so that naming a model
#: summarizer does not make every command import torch.
REGISTRY: dict[str, str] = {
    "extractive": "pipeline.summarize:ExtractiveSummarizer",
    "lead3": "pipeline.summarize:Lead3Summarizer",
}


def available_summarizers() -> list[str]:
    return sorted(REGISTRY)


def build_summarizer(name: str, config: Config, tagger: Tagger | None = None) -> Summarizer:
    """The summarizer registered as ``name``; an unknown name lists the valid ones."""
    target = REGISTRY.get(name)
    if target is None:
        raise UnknownSummarizerError(name, available_summarizers())
    module_name, _, attr = target.partition(":")
    factory: Callable[..., Summarizer] = getattr(importlib.import_module(module_name), attr)
    return factory(config, tagger or Tagger())


# --------------------------------------------------------------------------------------------
# Shared selection logic


class _SentencePicker:
    """Picks sentences, shapes them into bullets and builds the Summary."""

    name = ""

    def __init__(self, config: Config, tagger: Tagger) -> None:
        self.config = config
        self.tagger = tagger
        self.config_hash = config.hash

    def usable(self, doc: Document) -> list[int]:
        """Indices of sentences that may become bullets."""
        min_chars = self.config.summary.min_chars
        return [
            i
            for i, s in enumerate(doc.sentences)
            if s.kind is SentenceKind.BODY
            and len(s.text) >= min_chars
            and not is_question(s.text)
            and has_japanese(s.text)
        ]

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        """Candidate sentences, best first; ``bags`` are their content terms with counts."""
        raise NotImplementedError

    def summarize(self, doc: Document) -> Summary:
        usable = self.usable(doc)
        if not usable:
            raise ArticleError(
                doc.article_id,
                f"no sentence of at least {self.config.summary.min_chars} characters to make a "
                "bullet from; check the article text, or lower summary.min_chars with --set",
            )
        wanted = self.config.summary.bullets
        max_chars = self.config.summary.max_chars
        bags = {i: Counter(terms(doc.sentences[i].normalized)) for i in usable}
        words = {i: bag.keys() for i, bag in bags.items()}
        chosen: list[tuple[int, str]] = []
        for i in self.order(doc, usable, bags):
            text = shape(doc.sentences[i].text, max_chars, self.tagger, self.config.summary.min_chars)
            if text is None or any(text == t for _, t in chosen):
                continue
            if any(_jaccard(words[i], words[j]) > self.config.extractive.redundancy for j, _ in chosen):
                continue
            chosen.append((i, text))
            if len(chosen) == wanted:
                break
        chosen.sort()
        bullets = tuple(
            Bullet(doc.article_id, text, (i,), (doc.sentences[i].text,)) for i, text in chosen
        )
        notes: tuple[str, ...] = ()
        if len(bullets) < wanted:
            notes = (
                f"only {len(bullets)} usable sentence{'s' if len(bullets) != 1 else ''} in this "
                f"article: {len(bullets)} bullet{'s' if len(bullets) != 1 else ''} instead of {wanted}",
            )
        return Summary(
            article=doc.article,
            bullets=bullets,
            summarizer=self.name,
            config_hash=self.config_hash,
            notes=notes,
        )


def _jaccard(a: KeysView[str], b: KeysView[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class Lead3Summarizer(_SentencePicker):
    """Baseline: the first usable sentences, in order, shaped like every bullet."""

    name = "lead3"

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        return usable


class ExtractiveSummarizer(_SentencePicker):
    """Ranks sentences by centrality (TF-IDF over content terms), title overlap and position,
    with penalties for sentences that do not stand alone, then keeps the best non-redundant
    ones in document order."""

    name = "extractive"

    def scores(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> dict[int, float]:
        cfg = self.config.extractive
        df: Counter[str] = Counter()
        for bag in bags.values():
            df.update(bag.keys())
        n = len(usable)
        idf = {w: math.log(1.0 + n / c) for w, c in df.items()}
        vectors = {i: {w: tf * idf[w] for w, tf in bag.items()} for i, bag in bags.items()}
        centroid: Counter[str] = Counter()
        for vec in vectors.values():
            centroid.update(vec)
        centroid_sq = sum(v * v for v in centroid.values())
        title = set(terms(normalize(doc.article.title))) if doc.article.title else set()
        out = {}
        for rank, i in enumerate(usable):
            vec = vectors[i]
            # Leave the sentence itself out of the centroid, or long sentences win by
            # resembling themselves.
            others = {w: centroid[w] - v for w, v in vec.items()}
            dot = sum(v * others[w] for w, v in vec.items())
            norm_s = math.sqrt(sum(v * v for v in vec.values()))
            norm_c = math.sqrt(
                max(0.0, centroid_sq - sum(centroid[w] ** 2 - others[w] ** 2 for w in vec))
            )
            centrality = dot / (norm_s * norm_c) if norm_s and norm_c > 1e-9 else 0.0
            title_overlap = len(title & bags[i].keys()) / len(title) if title else 0.0
            position = 1.0 / (1.0 + rank / cfg.position_decay)
            text = doc.sentences[i].text
            score = (
                cfg.centrality_weight * centrality
                + cfg.title_weight * title_overlap
                + cfg.position_weight * position
            )
            if is_anaphoric(text):
                score -= cfg.anaphora_penalty
            if is_quotation(text):
                score -= cfg.quote_penalty
            out[i] = score
        return out

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        scores = self.scores(doc, usable, bags)
        return sorted(usable, key=lambda i: (-scores[i], i))
