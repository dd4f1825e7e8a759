"""The extractive summarizer: the article's own key sentences, shaped into bullets.

The work is split into a public *sentence plan* that the transformer summarizer shares:
:meth:`SentencePicker.plan` ranks the usable sentences (:class:`SentencePlan`: best first, with
each one's content words for redundancy), :meth:`SentencePlan.redundant` tells near-duplicates
apart, and :meth:`SentencePicker.shape` turns one sentence into a bullet within the length limit
(:func:`kiku.bullets.shape`). A bullet is always its source sentence with parts removed, so the
extractive path cannot state anything the article does not.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from kiku.bullets import is_anaphoric, is_instruction, is_question, is_quotation, shape
from kiku.config import Config, ExtractiveConfig
from kiku.errors import ArticleError
from kiku.text import Tagger, has_japanese, normalize, terms
from kiku.types import Bullet, Document, SentenceKind, Summary
from kiku.vocab import jaccard


@dataclass(frozen=True, slots=True)
class SentencePlan:
    """An article's usable sentences, best first, and each one's content words."""

    order: tuple[int, ...]
    words: Mapping[int, frozenset[str]]
    #: Jaccard overlap of content words above which two sentences are near-duplicates.
    redundancy: float

    def redundant(self, index: int, chosen: Iterable[int]) -> bool:
        """Whether sentence ``index`` repeats one of ``chosen``."""
        return any(jaccard(self.words[index], self.words[j]) > self.redundancy for j in chosen)

    def choose(self, wanted: int) -> list[int]:
        """The best ``wanted`` sentences that do not repeat one another, in document order."""
        chosen: list[int] = []
        for i in self.order:
            if not self.redundant(i, chosen):
                chosen.append(i)
                if len(chosen) == wanted:
                    break
        return sorted(chosen)


class SentencePicker:
    """Ranks sentences (:meth:`order`, per summarizer), shapes them into bullets and builds the
    Summary. Subclasses say only how sentences are ordered."""

    name = ""
    batch_size = 1
    model: str | None = None
    writer = None

    def __init__(self, config: Config, tagger: Tagger) -> None:
        self.config = config
        self.tagger = tagger
        self.config_hash = config.hash

    def usable(self, doc: Document) -> list[int]:
        """Indices of sentences that may become bullets: body text (not a caption, link or
        citation), long enough, Japanese, and a statement — not a question, nor a request to
        its reader (which may be an instruction planted for a model)."""
        min_chars = self.config.summary.min_chars
        return [
            i
            for i, s in enumerate(doc.sentences)
            if s.kind is SentenceKind.BODY
            and len(s.text) >= min_chars
            and not is_question(s.text)
            and not is_instruction(s.text)
            and has_japanese(s.text)
        ]

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        """The usable sentences, best first; ``bags`` are their content terms with counts."""
        raise NotImplementedError

    def plan(self, doc: Document) -> SentencePlan:
        """The usable sentences ranked; raises :class:`ArticleError` when there are none."""
        usable = self.usable(doc)
        if not usable:
            raise ArticleError(
                doc.article_id,
                f"no sentence of at least {self.config.summary.min_chars} characters to make a "
                "bullet from; check the article text, or lower summary.min_chars with --set",
            )
        bags = {i: Counter(terms(doc.sentences[i].normalized)) for i in usable}
        return SentencePlan(
            tuple(self.order(doc, usable, bags)),
            {i: frozenset(bag) for i, bag in bags.items()},
            self.config.extractive.redundancy,
        )

    def shape(self, doc: Document, index: int) -> str | None:
        """Sentence ``index`` as a bullet within the length limit, or None when it cannot be one."""
        summary = self.config.summary
        return shape(doc.sentences[index].text, summary.max_chars, self.tagger, summary.min_chars)

    def summarize(self, doc: Document) -> Summary:
        plan = self.plan(doc)
        wanted = self.config.summary.bullets
        chosen: list[tuple[int, str]] = []
        for i in plan.order:
            # Redundancy first: it is cheap, and shaping a long sentence costs a tagger call.
            if plan.redundant(i, (j for j, _ in chosen)):
                continue
            text = self.shape(doc, i)
            if text is None or any(text == t for _, t in chosen):
                continue
            chosen.append((i, text))
            if len(chosen) == wanted:
                break
        usable = plan.order
        if not chosen:
            return self._over_length(doc, plan)
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

    def _over_length(self, doc: Document, plan: SentencePlan) -> Summary:
        """No usable sentence fits ``summary.max_chars`` without changing what it says (long
        Wikinews leads, run-on sentences): rather than nothing, the shortest faithful cut of the
        best sentence, marked ``over_length`` and noted. Shaping is tried at growing limits, ten
        characters at a time up to twice ``summary.max_chars``, so the cut is as short as the
        rules allow."""
        summary = self.config.summary
        for i in plan.order:
            text = doc.sentences[i].text
            # Past twice the limit a "sentence" is more likely a paragraph the splitter could not
            # cut (a quote left open) than a bullet a reader takes in: not offered.
            for limit in range(summary.max_chars + 10, min(len(text) + 10, 2 * summary.max_chars) + 1, 10):
                cut = shape(text, limit, self.tagger, summary.min_chars)
                if cut is not None:
                    bullet = Bullet(doc.article_id, cut, (i,), (text,), over_length=True)
                    note = (
                        f"no sentence could be shortened to summary.max_chars ({summary.max_chars}) without changing what it "
                        f"says: the shortest faithful cut ({len(cut)} characters) is used"
                    )
                    return Summary(doc.article, (bullet,), self.name, self.config_hash, notes=(note,))
        raise ArticleError(
            doc.article_id,
            f"none of its {len(plan.order)} usable sentences can be made a bullet (they end as questions or cannot be "
            "cut without changing what they say); check the article text",
        )

    def summarize_batch(self, docs: Sequence[Document]) -> list[Summary | ArticleError]:
        results: list[Summary | ArticleError] = []
        for doc in docs:
            try:
                results.append(self.summarize(doc))
            except ArticleError as exc:
                results.append(exc)
        return results


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


class ExtractiveSummarizer(SentencePicker):
    """Ranks sentences by centrality (TF-IDF over content terms), title overlap and position,
    with penalties for sentences that do not stand alone, shapes the best into bullets and
    keeps the best non-redundant ones in document order."""

    name = "extractive"

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        scorer = _Scorer(doc, usable, bags, self.config.extractive)
        scores = {i: scorer.score(i) for i in usable}
        return sorted(usable, key=lambda i: (-scores[i], i))
