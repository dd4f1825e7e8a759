"""Many summaries in, one digest draft out: title and lead, topic sections with a question and
its answer, one source card per article, and 🚩 結論! 💡 points.

:func:`select` applies the options (dates, newest N) before anything is summarised;
:class:`DigestBuilder` groups the summaries into sections (:mod:`kiku.topics`: deterministic,
from the articles' content, merged while ``digest.similarity`` holds) and writes the draft's own
lines. Sections are ordered by weight: number of articles, then the newest article, then input
order. The result is a :class:`kiku.types.Digest`; :mod:`kiku.render` turns it into Markdown,
HTML or JSON.

Every sentence of the draft is supported by the articles: headings are key phrases found in
them (noun compounds shared by the section's articles), answers and 💡 points are bullet
sentences of the section (or, with a summarizer that can write — the transformer one — a
model sentence checked against those bullets, replaced by them when it fails), and the title
and lead state only counts, dates and headings. Each piece records the articles and sentences
that support it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kiku.config import Config
from kiku.dates import JST, parse_date
from kiku.errors import ConfigError
from kiku.models.prompts import DIGEST_HEADING, DIGEST_POINT, digest_answer
from kiku.text import Tagger, normalize
from kiku.topics import Features, article_features, central_bullets, cluster, is_noun, key_phrases, phrase_idf
from kiku.types import Article, Digest, Line, Section, Summary, Support

if TYPE_CHECKING:
    from kiku.summarizers import Writer

OTHER_TOPICS = "その他の話題"


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


_HAS_TIME = re.compile(r"\d\s*[:時]|T\d")


def date_bound(option: str, value: str | None, *, end: bool = False) -> datetime | None:
    """``--since`` / ``--until`` as a moment: a date alone means the start of that day in Japan
    time, or, for an ``end`` bound, the end of it (``--until 2025/03/14`` keeps the 14th)."""
    if value is None:
        return None
    when = parse_date(value)
    if when is None:
        raise ConfigError(f"{option} {value!r}: not a date; write it like 2025/03/14 or 2025-03-14T09:00+09:00")
    return when + timedelta(days=1) if end and not _HAS_TIME.search(value) else when


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

    def __init__(self, config: Config, tagger: Tagger, writer: "Writer | None" = None) -> None:
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
        features = [article_features(s, self.tagger) for s in kept]
        groups = cluster(features, self.config.digest.similarity)
        groups.sort(key=lambda g: (-len(g), _newest_first(kept[_newest(kept, g)]), min(g)))
        if options.sections and len(groups) > options.sections:
            head = groups[: options.sections - 1] if options.sections > 1 else []
            rest = sorted(i for g in groups[len(head):] for i in g)
            groups = [*head, rest]
            other = len(groups) - 1
        else:
            other = -1
        idf = phrase_idf(features)
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

    def _noun_bag(self, text: str) -> Counter[str]:
        """A bullet's noun lemmas (cached for the build: sections and points both rank them)."""
        bag = self._bags.get(text)
        if bag is None:
            bag = self._bags[text] = Counter(t.lemma for t in self.tagger.tokens(normalize(text)) if is_noun(t))
        return bag

    # -- sections ---------------------------------------------------------------------------

    def _section(self, members: list[Summary], feats: list[Features], idf: dict[str, float], other: bool) -> Section:
        phrases = key_phrases(feats, idf)
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
        ranked = central_bullets(members, feats, self._noun_bag, first_only=True)
        answer = self._written(
            digest_answer(question),
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
            DIGEST_HEADING,
            material, article="\n".join(s.article.body for s in members), heading=True,
        )
        if written.text:
            support = tuple(Support(s.article.id, tuple(x for x in (s.article.title or "", *(b.text for b in s.bullets[:1])) if x)) for s in members)
            return Line(written.text, support, "model")
        return replace(extractive, replaced=written.raw or None, reason=written.reason)

    def _points(self, sections: list[Section], features: list[list[Features]], wanted: int) -> list[tuple[int, Line]]:
        """One 💡 per section, heaviest first; past that, more from the heaviest sections."""
        queues = []
        for section, feats in zip(sections, features):
            ranked = central_bullets(list(section.summaries), feats, self._noun_bag)
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
                        DIGEST_POINT,
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


def _newest(kept: list[Summary], group: list[int]) -> int:
    return min(group, key=lambda i: (_newest_first(kept[i]), i))


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
