"""Many summaries in, one digest draft out: title and lead, topic sections with a question and
its answer, one source card per article, and 🚩 結論! 💡 points.

Grouping is deterministic and comes from the articles' content: each article is a TF-IDF
vector of the noun lemmas of its title and bullets (proper nouns — names of people, places,
organisations — and title words count double), and articles are merged by average-linkage
clustering while the mean cosine similarity between two groups stays above
``digest.similarity``. Sections are ordered by weight: number of articles, then the newest
article, then input order.

Every sentence of the draft is supported by the articles: headings are key phrases found in
them (noun compounds shared by the section's articles), answers and 💡 points are bullet
sentences of the section (or, with a summarizer that can write — the transformer one — a
model sentence checked against those bullets, replaced by them when it fails), and the title
and lead state only counts, dates and headings. Each piece records the articles and sentences
that support it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from pipeline.config import Config
from pipeline.dates import JST
from pipeline.text import Tagger, normalize
from pipeline.types import Article, Summary, Token

OTHER_TOPICS = "その他の話題"
# Section labels in titles: 【話題】, 【Sports Watch】, ［速報］ — the site's, not the story's.
_ATTRIBUTION = re.compile(r"^(?:によると|によれば|の話では|の調べでは|の発表では|の報道では|が発表した|は発表した)")
_TAG = re.compile(r"[【［\[][^】］\]]{1,12}[】］\]]")


@dataclass(frozen=True, slots=True)
class Support:
    """One article's sentences that a line of the draft rests on."""

    article_id: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One piece of the draft's own text (title, lead, heading, answer, 💡 point)."""

    text: str
    support: tuple[Support, ...] = ()
    #: ``"extractive"`` (the articles' own sentences or phrases), ``"model"`` (written by the
    #: model and checked), ``"template"`` (counts, dates and headings in a fixed sentence) or
    #: ``"editor"`` (given with --title).
    written_by: str = "extractive"
    #: A model sentence that failed its check and why (this line then is the extractive one).
    replaced: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    heading: Line
    key_phrases: tuple[str, ...]
    question: str
    answer: Line
    summaries: tuple[Summary, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    title: Line
    lead: Line
    sections: tuple[Section, ...]
    #: 💡 points, each with the index of its section.
    points: tuple[tuple[int, Line], ...]
    summarizer: str
    model: str | None
    config: Config
    #: Articles left out by the options: {"before_since": n, "after_until": n, "undated": n,
    #: "over_max": n}.
    left_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DigestOptions:
    title: str | None = None
    #: Most sections; the smallest groups beyond it are merged into その他の話題.
    sections: int = 8
    #: 💡 points; 0 for one per section.
    points: int = 0
    since: datetime | None = None
    #: Articles published before this moment (exclusive).
    until: datetime | None = None
    max_articles: int = 0


class Writer(Protocol):
    """A summarizer that can write one checked sentence (the transformer one)."""

    def write(
        self, instruction: str, material: Sequence[str], *, article: str = "", others: Sequence[str] = (), heading: bool = False
    ) -> Any: ...


def select(articles: Sequence[Article], options: DigestOptions) -> tuple[list[Article], dict[str, int]]:
    """The articles the options keep, in input order, and how many each option left out.
    ``--since`` / ``--until`` leave out undated articles; ``--max-articles`` keeps the newest
    (undated ones last, then input order). Done before summarising, so that left-out articles
    cost nothing."""
    kept: list[Article] = []
    left_out: Counter[str] = Counter()
    for a in articles:
        when = a.published
        if options.since or options.until:
            if when is None:
                left_out["undated"] += 1
                continue
            if options.since and when < options.since:
                left_out["before_since"] += 1
                continue
            if options.until and when >= options.until:
                left_out["after_until"] += 1
                continue
        kept.append(a)
    if options.max_articles and len(kept) > options.max_articles:
        order = sorted(range(len(kept)), key=lambda i: (_when_key(kept[i].published), i))
        keep = set(order[: options.max_articles])
        left_out["over_max"] += len(kept) - len(keep)
        kept = [a for i, a in enumerate(kept) if i in keep]
    return kept, dict(left_out)


def _when_key(when: datetime | None) -> tuple[int, float]:
    return (1, 0.0) if when is None else (0, -when.timestamp())


def _newest_first(s: Summary) -> tuple[int, float]:
    return _when_key(s.article.published)


class DigestBuilder:
    """Builds digests; holds the tagger (build once, reuse)."""

    def __init__(self, config: Config, tagger: Tagger, writer: Writer | None = None) -> None:
        self.config = config
        self.tagger = tagger
        self.writer = writer
        self._bags: dict[str, Counter[str]] = {}

    def build(
        self,
        summaries: Sequence[Summary],
        options: DigestOptions | None = None,
        *,
        summarizer: str = "",
        model: str | None = None,
        left_out: dict[str, int] | None = None,
    ) -> Digest:
        """The digest of ``summaries`` (already chosen with :func:`select`); ``left_out`` is
        recorded as given."""
        options = options or DigestOptions()
        kept = list(summaries)
        features = [self._features(s) for s in kept]
        groups = _cluster(features, self.config.digest.similarity)
        groups.sort(key=lambda g: (-len(g), _newest_first(kept[_newest(kept, g)]), min(g)))
        if options.sections and len(groups) > options.sections:
            head = groups[: options.sections - 1] if options.sections > 1 else []
            rest = sorted(i for g in groups[len(head):] for i in g)
            groups = [*head, rest]
            other = len(groups) - 1
        else:
            other = -1
        idf = _phrase_idf(features)
        sections = []
        section_features = []
        for n, group in enumerate(groups):
            members = sorted(group, key=lambda i: (_newest_first(kept[i]), i))
            feats = [features[i] for i in members]
            sections.append(self._section([kept[i] for i in members], feats, idf, n == other))
            section_features.append(feats)
        points = self._points(sections, section_features, options.points or len(sections))
        title = self._title(sections, kept, options.title)
        lead = self._lead(sections, kept)
        self._bags.clear()  # this digest's bullets are not needed again
        return Digest(title, lead, tuple(sections), tuple(points), summarizer, model, self.config, dict(left_out or {}))

    # -- features ---------------------------------------------------------------------------

    def _features(self, s: Summary) -> _Features:
        title = normalize(_TAG.sub(" ", s.article.title or ""))
        bag: Counter[str] = Counter()
        phrases: Counter[str] = Counter()
        kinds: dict[str, float] = {}
        for weight, text in [(2, title), *((1, normalize(b.text)) for b in s.bullets)]:
            tokens = self.tagger.tokens(text) if text else ()
            for t in tokens:
                if _is_noun(t):
                    w = weight * (2 if t.pos.startswith("名詞-固有名詞") else 1)
                    bag[t.lemma] += w
            for phrase, kind in _noun_phrases(text, tokens):
                # Who said it (気象庁によると, 読売新聞の報道では) is not what the story is about.
                if _ATTRIBUTION.search(text.split(phrase, 1)[1][:8]):
                    continue
                phrases[phrase] += weight
                kinds[phrase] = kind
        return _Features(bag, phrases, kinds)

    def _noun_bag(self, text: str) -> Counter[str]:
        """A bullet's noun lemmas (cached for the build: sections and points both rank them)."""
        bag = self._bags.get(text)
        if bag is None:
            bag = self._bags[text] = Counter(t.lemma for t in self.tagger.tokens(normalize(text)) if _is_noun(t))
        return bag

    # -- sections ---------------------------------------------------------------------------

    def _section(self, members: list[Summary], feats: list[_Features], idf: dict[str, float], other: bool) -> Section:
        phrases = _key_phrases(feats, idf)
        if other:
            heading = Line(OTHER_TOPICS, (), "template")
            question = "ほかにどんなニュースがあった？"
        else:
            shown = phrases[:2] or [members[0].article.title or members[0].article.id]
            support = tuple(
                Support(s.article.id, tuple(x for x in [s.article.title or "", *(b.text for b in s.bullets)] if any(p in normalize(x) for p in shown)))
                for s in members
            )
            heading = self._heading(Line("・".join(shown), tuple(sp for sp in support if sp.sentences), "extractive"), members)
            subject = shown[0]
            question = f"{subject}で何があった？" if len(members) == 1 else f"{subject}をめぐって何が起きている？"
        # The answer is a lede: the first bullet of the section's most central article.
        ranked = _central_bullets(members, feats, self._noun_bag, first_only=True)
        answer = self._written(
            f"「{question}」という問いに、資料の内容だけを使って一文で答えてください。",
            members, ranked[0] if ranked else None,
        )
        return Section(heading, tuple(phrases), question, answer, tuple(members))

    def _heading(self, extractive: Line, members: Sequence[Summary]) -> Line:
        """The model's heading for the section when there is a writer and it passes the checks
        (as a phrase); else the key phrases."""
        if self.writer is None:
            return extractive
        material = [x for s in members for x in (s.article.title or "", *(b.text for b in s.bullets[:1])) if x]
        written = self.writer.write(
            "次の記事に共通する話題を表す見出しを、20字以内の名詞句で一つだけ書いてください。",
            material, article="\n".join(s.article.body for s in members), heading=True,
        )
        if written.text:
            support = tuple(Support(s.article.id, tuple(x for x in (s.article.title or "", *(b.text for b in s.bullets[:1])) if x)) for s in members)
            return Line(written.text, support, "model")
        return replace(extractive, replaced=written.raw or None, reason=written.reason)

    def _points(self, sections: list[Section], features: list[list[_Features]], wanted: int) -> list[tuple[int, Line]]:
        """One 💡 per section, heaviest first; past that, more from the heaviest sections."""
        queues = []
        for section, feats in zip(sections, features):
            ranked = _central_bullets(list(section.summaries), feats, self._noun_bag)
            # The answer already shows the most central sentence; prefer another article's.
            used = section.answer.text
            others = [r for r in ranked if r[1] != used]
            first_article = section.answer.support[0].article_id if section.answer.support else None
            others.sort(key=lambda r: (r[0].article.id == first_article and len(section.summaries) > 1,))
            queues.append(others or ranked)
        points: list[tuple[int, Line]] = []
        depth = 0
        while len(points) < wanted and any(depth < len(q) for q in queues):
            for k, queue in enumerate(queues):
                if depth < len(queue) and len(points) < wanted:
                    points.append((k, self._written(
                        "これらの記事から言えることを、資料の内容だけを使って一文で書いてください。",
                        list(sections[k].summaries), queue[depth],
                    )))
            depth += 1
        return points

    def _written(self, instruction: str, members: Sequence[Summary], fallback: tuple[Summary, str] | None) -> Line:
        """The model's checked sentence over the section's bullets when there is a writer;
        else (or when it fails its check) the fallback bullet itself."""
        if fallback is None:
            return Line("", (), "extractive")
        summary, text = fallback
        extractive = Line(text, (Support(summary.article.id, _evidence(summary, text)),), "extractive")
        if self.writer is None:
            return extractive
        material = [b.text for s in members for b in s.bullets]
        article = "\n".join(s.article.body for s in members)
        written = self.writer.write(instruction, material, article=article)
        if written.text:
            support = tuple(Support(s.article.id, tuple(b.text for b in s.bullets)) for s in members)
            return Line(written.text, support, "model")
        return Line(text, extractive.support, "extractive", replaced=written.raw or None, reason=written.reason)

    # -- title and lead ---------------------------------------------------------------------

    def _title(self, sections: list[Section], kept: list[Summary], given: str | None) -> Line:
        if given:
            return Line(given, (), "editor")
        span = _date_span(kept)
        # The first key phrase of each top section (a model-written heading may itself contain
        # ・, as in 大阪・関西万博…, so it is not split).
        topics = "／".join(
            (s.key_phrases[0] if s.key_phrases else s.heading.text) for s in sections[:3] if s.heading.text != OTHER_TOPICS
        )
        head = f"{span}のニュース" if span else "ニュースダイジェスト"
        return Line(f"{head}：{topics}" if topics else head, (), "template")

    def _lead(self, sections: list[Section], kept: list[Summary]) -> Line:
        if not kept:
            return Line("対象の記事はありませんでした。", (), "template")
        span = _date_span(kept)
        when = f"{span}に配信された" if span else ""
        count = f"{len(sections)}つ" if len(sections) < 10 else str(len(sections))
        text = f"{when}{len(kept)}本の記事を{count}の話題にまとめた。"
        top = sections[0]
        if top.heading.text != OTHER_TOPICS:
            text += f"最も多く取り上げられたのは「{top.heading.text}」（{len(top.summaries)}本）。"
        return Line(text, (), "template")


@dataclass(frozen=True, slots=True)
class _Features:
    bag: Counter[str]
    phrases: Counter[str]
    #: Phrase -> how much it says as a heading (see _phrase_weight).
    kinds: dict[str, float]


# Nouns that say nothing about a topic (formal nouns, "this article" words).
_EMPTY_NOUNS = frozenset(
    "こと もの ため よう ところ とき わけ はず 方 人 自分 ほか 以上 以下 場合 話題 記事 写真 情報 紹介 今回 今後 本日".split()
)


def _is_noun(t: Token) -> bool:
    if t.surface in _EMPTY_NOUNS or t.lemma in _EMPTY_NOUNS:
        return False
    if t.pos.startswith("名詞-固有名詞"):
        return True
    # Common nouns of two or more characters; 副詞可能 ones are time words (今回, 昨年).
    return t.pos.startswith("名詞-普通名詞") and "副詞可能" not in t.pos and len(t.surface) >= 2


_PHRASE_POS = ("名詞-普通名詞", "名詞-固有名詞", "名詞-数詞", "接頭辞", "接尾辞-名詞的")


def _phrase_weight(tokens: list[Token]) -> float:
    """How much a phrase says as a heading: names most, compounds more than single words, and
    a lone verbal or adjectival noun (可決, 影響, 慎重) least."""
    if any(t.pos.startswith("名詞-固有名詞") for t in tokens):
        return 3.0
    if len(tokens) > 1:
        return 2.0
    if "サ変" in tokens[0].pos or "形状詞" in tokens[0].pos:
        return 0.5
    return 1.0


def _noun_phrases(text: str, tokens: Sequence[Token]) -> list[tuple[str, float]]:
    """Runs of nouns (with prefixes and noun suffixes) as written in ``text``: 政策金利,
    東海道新幹線, 子ども医療費, Galaxy Note. A space ends a run unless it separates two Latin
    words (MeCab drops spaces; the phrase keeps them)."""
    out: list[tuple[str, float]] = []
    run: list[tuple[int, int, Token]] = []
    pos = 0

    def flush() -> None:
        while run and not run[0][2].pos.startswith(("名詞-普通名詞", "名詞-固有名詞", "名詞-数詞", "接頭辞")):
            run.pop(0)
        while run and run[-1][2].pos.startswith(("接頭辞", "名詞-数詞")):
            run.pop()
        # A phrase names something: at least one noun that is not a number or an empty noun.
        if run and any(_is_noun(t) for *_, t in run):
            phrase = text[run[0][0] : run[-1][1]]
            if len(phrase) >= 2:
                out.append((phrase, _phrase_weight([t for *_, t in run])))
        run.clear()

    for t in tokens:
        start = text.find(t.surface, pos)
        if start < 0:  # MeCab changed the text (should not happen): skip the token
            flush()
            continue
        gap = text[pos:start]
        pos = start + len(t.surface)
        if gap and run and not (gap == " " and text[start - 2 : start - 1].isascii() and t.surface[:1].isascii()):
            flush()
        if t.pos.startswith(_PHRASE_POS) and "副詞可能" not in t.pos:
            run.append((start, pos, t))
        else:
            flush()
    flush()
    return out


def _idf(features: list[_Features]) -> dict[str, float]:
    n = len(features)
    df = Counter(w for f in features for w in f.bag)
    return {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}


def _phrase_idf(features: list[_Features]) -> dict[str, float]:
    n = len(features)
    df = Counter(p for f in features for p in f.phrases)
    return {p: math.log((1 + n) / (1 + c)) + 1.0 for p, c in df.items()}


def _cluster(features: list[_Features], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering on TF-IDF cosine similarity."""
    n = len(features)
    if n == 0:
        return []
    idf = _idf(features)
    # Only words in two or more articles can make two articles alike: the matrix holds those
    # (a fraction of the vocabulary), the norms all words.
    df = Counter(w for f in features for w in f.bag)
    vocab = {w: k for k, w in enumerate(sorted(w for w, c in df.items() if c > 1))}
    m = np.zeros((n, max(1, len(vocab))))
    norms = np.ones(n)
    for i, f in enumerate(features):
        weights = {w: c * idf[w] for w, c in f.bag.items()}
        norms[i] = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for w, v in weights.items():
            if w in vocab:
                m[i, vocab[w]] = v
    m /= norms[:, None]
    sim = m @ m.T
    np.fill_diagonal(sim, -np.inf)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(groups) > 1:
        flat = int(np.argmax(sim))  # the first maximum: ties go to the lowest indices
        i, j = divmod(flat, n)
        if not np.isfinite(sim[i, j]) or sim[i, j] <= threshold:
            break
        a, b = min(i, j), max(i, j)
        size_a, size_b = len(groups[a]), len(groups[b])
        # Lance-Williams update for average linkage; b's row and column are retired.
        row = (size_a * sim[a, :] + size_b * sim[b, :]) / (size_a + size_b)
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        row[[a, b]] = -np.inf
        sim[a, :] = row
        sim[:, a] = row
        groups[a] = sorted(groups[a] + groups.pop(b))
    return [groups[k] for k in sorted(groups)]


def _newest(kept: list[Summary], group: list[int]) -> int:
    return min(group, key=lambda i: (_newest_first(kept[i]), i))


def _key_phrases(feats: list[_Features], idf: dict[str, float]) -> list[str]:
    """Noun phrases of a section, best first: in more of its articles, more often, rarer in the
    digest as a whole; a phrase inside a better one is skipped."""
    present = Counter(p for f in feats for p in f.phrases)
    weight: Counter[str] = Counter()
    kinds: dict[str, float] = {}
    for f in feats:
        weight.update(f.phrases)
        kinds.update(f.kinds)
    n = len(feats)

    def score(p: str) -> tuple[float, int, str]:
        rarity = idf.get(p, 1.0)
        return (-(present[p] / n) * weight[p] * rarity * kinds.get(p, 1.0), -len(p), p)

    out: list[str] = []
    for p in sorted(present, key=score):
        if n > 1 and present[p] < 2:
            continue
        if any(p in q or q in p for q in out):
            continue
        out.append(p)
        if len(out) == 5:
            break
    if not out and n > 1:
        return _key_phrases(feats[:1], idf)
    return out


def _central_bullets(
    members: list[Summary], feats: list[_Features], noun_bag: Callable[[str], Counter[str]], first_only: bool = False
) -> list[tuple[Summary, str]]:
    """The section's bullets (``first_only``: each article's first), most central first
    (cosine of their noun lemmas to the section's summed title-and-bullet vectors); ties keep
    card order."""
    centroid: Counter[str] = Counter()
    for f in feats:
        centroid.update(f.bag)
    scored = []
    for rank, s in enumerate(members):
        for k, b in enumerate(s.bullets[:1] if first_only else s.bullets):
            bag = noun_bag(b.text)
            dot = sum(c * centroid[w] for w, c in bag.items())
            norm = math.sqrt(sum(c * c for c in bag.values())) or 1.0
            scored.append((-dot / norm, rank, k, s, b.text))
    scored.sort(key=lambda x: x[:3])
    return [(s, text) for *_, s, text in scored]


def _evidence(summary: Summary, text: str) -> tuple[str, ...]:
    for b in summary.bullets:
        if b.text == text:
            return b.evidence or (b.text,)
    return (text,)


def _date_span(summaries: Sequence[Summary]) -> str:
    days = sorted({s.article.published.astimezone(JST).date() for s in summaries if s.article.published})
    if not days:
        return ""
    first, last = days[0], days[-1]
    fmt = "%Y/%m/%d"
    return first.strftime(fmt) if first == last else f"{first.strftime(fmt)}〜{last.strftime(fmt)}"


def writer_of(summarizer: object) -> Writer | None:
    """The summarizer's checked-writing hook, when it has one (the transformer summarizer)."""
    write: Callable[..., Any] | None = getattr(summarizer, "write", None)
    return summarizer if write is not None else None  # type: ignore[return-value]
