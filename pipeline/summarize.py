"""Summarizers: one small protocol, chosen by name from one registry.

``extractive`` is the floor that every other summarizer falls back to: it picks the article's
own sentences and shapes them into bullets (see :mod:`pipeline.bullets`), so it cannot state
anything the article does not.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, KeysView
from itertools import chain
from typing import Protocol

from pipeline.bullets import is_anaphoric, is_question, is_quotation, shape
from pipeline.config import Config, ExtractiveConfig
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
    "transformer": "models.summarizer:TransformerSummarizer",
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
        """The usable sentences, best first; ``bags`` are their content terms with counts."""
        raise NotImplementedError

    def bullet(self, doc: Document, index: int) -> str | None:
        summary = self.config.summary
        return shape(doc.sentences[index].text, summary.max_chars, self.tagger, summary.min_chars)

    def ranked(self, doc: Document) -> tuple[list[int], dict[int, KeysView[str]]]:
        """The usable sentences, best first, and each one's content words (for redundancy);
        raises :class:`ArticleError` when there are none."""
        usable = self.usable(doc)
        if not usable:
            raise ArticleError(
                doc.article_id,
                f"no sentence of at least {self.config.summary.min_chars} characters to make a "
                "bullet from; check the article text, or lower summary.min_chars with --set",
            )
        bags = {i: Counter(terms(doc.sentences[i].normalized)) for i in usable}
        return self.order(doc, usable, bags), {i: bag.keys() for i, bag in bags.items()}

    def redundant(self, words: dict[int, KeysView[str]], i: int, chosen: Iterable[int]) -> bool:
        return any(_jaccard(words[i], words[j]) > self.config.extractive.redundancy for j in chosen)

    def summarize(self, doc: Document) -> Summary:
        order, words = self.ranked(doc)
        wanted = self.config.summary.bullets
        chosen: list[tuple[int, str]] = []
        for i in order:
            # Redundancy first: it is cheap, and shaping a long sentence costs a tagger call.
            if self.redundant(words, i, (j for j, _ in chosen)):
                continue
            text = self.bullet(doc, i)
            if text is None or any(text == t for _, t in chosen):
                continue
            chosen.append((i, text))
            if len(chosen) == wanted:
                break
        usable = order
        if not chosen:
            raise ArticleError(
                doc.article_id,
                f"none of its {len(usable)} usable sentences could be shortened to summary.max_chars "
                f"({self.config.summary.max_chars}) without changing what they say; raise it with "
                "--set summary.max_chars=…",
            )
        chosen.sort()
        bullets = tuple(
            Bullet(doc.article_id, text, (i,), (doc.sentences[i].text,)) for i, text in chosen
        )
        notes: tuple[str, ...] = ()
        if len(bullets) < wanted:
            got = f"{len(bullets)} bullet{'s' if len(bullets) != 1 else ''} instead of {wanted}"
            if len(usable) < wanted:
                why = f"only {len(usable)} usable sentence{'s' if len(usable) != 1 else ''} in this article"
            else:
                max_chars = self.config.summary.max_chars
                why = (
                    f"only {len(bullets)} of its sentences could be shortened to "
                    f"summary.max_chars ({max_chars}) without changing what they say"
                )
            notes = (f"{why}: {got}",)
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


class _Scorer:
    """The extractive score of one article's sentences."""

    def __init__(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]], cfg: ExtractiveConfig) -> None:
        self.cfg = cfg
        # Counting through chained iterables keeps the loops in C (Counter.update on a mapping
        # loops in Python).
        df = Counter(chain.from_iterable(bags.values()))
        total = Counter(chain.from_iterable(bag.elements() for bag in bags.values()))
        n = len(usable)
        idf = {w: math.log(1.0 + n / c) for w, c in df.items()}
        self.vectors = {i: {w: tf * idf[w] for w, tf in bag.items()} for i, bag in bags.items()}
        # The centroid is the sum of the sentence vectors: idf(w) times w's count in all of them.
        self.centroid = {w: idf[w] * c for w, c in total.items()}
        self.centroid_sq = sum(v * v for v in self.centroid.values())
        self.title = set(terms(normalize(doc.article.title))) if doc.article.title else set()
        self.rank = {i: r for r, i in enumerate(usable)}
        self.sentences = doc.sentences

    def score(self, index: int) -> float:
        """The score of sentence ``index``."""
        cfg = self.cfg
        vec = self.vectors[index]
        centroid = self.centroid
        # Cosine with the centroid of the *other* sentences (C - v): with itself included, long
        # sentences win by resembling themselves. v·(C - v) = v·C - |v|², and
        # |C - v|² = |C|² - 2 v·C + |v|².
        vc = sum(x * centroid[w] for w, x in vec.items())
        vv = sum(x * x for x in vec.values())
        norm = math.sqrt(vv * max(0.0, self.centroid_sq - 2 * vc + vv))
        centrality = (vc - vv) / norm if norm > 1e-9 else 0.0
        title = len(self.title & vec.keys()) / len(self.title) if self.title else 0.0
        text = self.sentences[index].text
        position = 1.0 / (1.0 + self.rank[index] / cfg.position_decay)
        score = cfg.centrality_weight * centrality + cfg.title_weight * title + cfg.position_weight * position
        if is_anaphoric(text):
            score -= cfg.anaphora_penalty
        if is_quotation(text):
            score -= cfg.quote_penalty
        return score


class ExtractiveSummarizer(_SentencePicker):
    """Ranks sentences by centrality (TF-IDF over content terms), title overlap and position,
    with penalties for sentences that do not stand alone, shapes the best into bullets and
    keeps the best non-redundant ones in document order."""

    name = "extractive"

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        scorer = _Scorer(doc, usable, bags, self.config.extractive)
        scores = {i: scorer.score(i) for i in usable}
        return sorted(usable, key=lambda i: (-scores[i], i))
