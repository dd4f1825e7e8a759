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

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kiku.config import Config
from kiku.dates import JST, parse_date
from kiku.errors import ConfigError
from kiku.bullets import LIST_MARK, is_anaphoric, is_question, shape, strip_connective
from kiku.check import final_predicate, final_tense, main_subject, unanswered_question
from kiku.models.prompts import DIGEST_ANSWER, DIGEST_BRIDGE, DIGEST_LEAD, DIGEST_POINT, DIGEST_TITLE, HEADING_WAYS, QUESTION_WAYS, digest_question
from kiku.text import Tagger, normalize, opening_label, split_sentences
from kiku.topics import HEADLINE_BREAKS, Features, article_features, central_bullets, cluster, is_noun, key_phrases, phrase_idf, untagged
from kiku.types import Article, Digest, Line, Section, Sentence, SentenceKind, Summary, Support, Token, WriteRequest, Written

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
    #: Bridging lines between the cards of a section (written by the model; none without one).
    bridges: bool = False


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
        self._bodies: dict[str, list[Sentence]] = {}

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
        drafts = []
        for n, group in enumerate(groups):
            members = sorted(group, key=lambda i: (_newest_first(kept[i]), i))
            drafts.append(self._draft([kept[i] for i in members], [features[i] for i in members], idf, n == other))
        # The model's lines are asked in rounds, each one batch of model calls: headings,
        # answers and bridging lines; then the questions (for the answers that would stand: the
        # answer is the first whose question passes); then the 💡 points (not repeating the
        # answers), the title and the lead.
        jobs: list[_Job] = []
        for d in drafts:
            if not d.other:
                cut = _heading_sources(d)
                request = self._heading_request(d, cut)
                jobs.append(_Job(d, "heading", request, d.heading, _support(d.members, request), cut=cut))
            answer = d.fresh[0] if d.fresh else Line("", (), "extractive")
            # cut from the best line no card shows, or failing that the next ones
            cut = tuple(sp for line in d.fresh[:CHOICES] for sp in line.support)
            request = self._request(DIGEST_ANSWER, d, max_chars=ANSWER_CHARS, extra=d.fresh[:EXTRA], cut=cut)
            jobs.append(_Job(d, "answer", request, answer, _support(d.members, request, d.fresh[:EXTRA]), cut=cut))
            if options.bridges:
                for k in range(min(BRIDGES, len(d.members) - 1)):
                    request = self._bridge_request(d, k)
                    jobs.append(_Job(d, "bridge", request, Line("", (), "extractive"), _support(d.members[k : k + 2], request), k))
        further: dict[int, list[Line]] = {}
        for job, line in zip(jobs, self._ask(jobs, further)):
            if job.kind == "heading":
                job.draft.heading = line
            elif job.kind == "answer":
                job.draft.answer = line
            else:  # a refused one is kept, empty, for the record (renderers skip it)
                job.draft.bridges.append((job.index, line))
        # (the other answers that would stand, by section: a question may pass for one of them)
        by_draft = {id(d): k for k, d in enumerate(drafts)}
        answers = {by_draft[id(job.draft)]: further[n] for n, job in enumerate(jobs) if job.kind == "answer" and n in further}
        self._questions(drafts, answers)
        sections_so_far = [d.section() for d in drafts]
        queues = self._point_queues(drafts)
        point_jobs = [self._point_job(k, d, q, 0) for k, (d, q) in enumerate(zip(drafts, queues)) if q or self.writer is not None]
        title = self._title(sections_so_far, kept, options.title)
        lead = self._lead(sections_so_far, kept)
        head_jobs = []
        if self.writer is not None and kept:
            if not options.title:
                top = [s for d in ([d for d in drafts if not d.other][:3] or drafts[:1]) for s in d.members[:2]]
                # (cut from another title than the top heading's where the section has one, else
                # from the heading's own: alternatives, the first cut that passes stands)
                lead_story = drafts[0]
                cut = _merged(*(_title_support(s, lead_story.phrases) for s in [*lead_story.ranked[1:2], lead_story.central]))
                request = self._title_request(top, cut, others=[lead_story.heading.text])
                head_jobs.append(_Job(None, "title", request, title, _support(top, request), cut=cut))
            top = [s for d in drafts[:4] for s in d.members[:2]]
            # A lead cut from sentences: the top sections' leading sentences (their central
            # articles' first bullets' own, shorter), not the ones their answers say.
            cut = tuple(Support(d.central.article.id, (x,)) for d in drafts[:3] if (x := _lead_sentence(d)))
            request = self._lead_request(top, cut, others=[d.answer.text for d in drafts[:3] if d.answer.text])
            head_jobs.append(_Job(None, "lead", request, lead, _support(top, request), cut=cut))
        asked = point_jobs + head_jobs
        for job, line in zip(asked, self._ask(asked)):
            if job.kind == "point":
                if line.text:
                    job.draft.points.append(line)
            elif job.kind == "title":
                title = line
            else:
                lead = line
        points = self._more_points(drafts, queues, options.points or len(drafts))
        sections = [d.section() for d in drafts]
        self._bags.clear()  # this digest's bullets and sentences are not needed again
        self._bodies.clear()
        return Digest(title, lead, tuple(sections), tuple(points), summarizer, model, self.config, dict(left_out or {}))

    # -- features ---------------------------------------------------------------------------

    def _noun_bag(self, text: str) -> Counter[str]:
        """A bullet's noun lemmas (cached for the build: sections and points both rank them)."""
        bag = self._bags.get(text)
        if bag is None:
            bag = self._bags[text] = Counter(t.lemma for t in self.tagger.tokens(normalize(text)) if is_noun(t))
        return bag

    # -- sections ---------------------------------------------------------------------------

    def _draft(self, members: list[Summary], feats: list[Features], idf: dict[str, float], other: bool) -> "_Draft":
        """A section before the model's lines: its key phrases, the heading and the answers
        that stand when no model writes (or its lines are refused)."""
        phrases = key_phrases(feats, idf)
        ranked = central_bullets(members, feats, self._noun_bag, first_only=True)
        central = ranked[0][0] if ranked else members[0]
        # The answer is a lede in one line: a sentence of the section's articles that no card
        # shows, or failing that a shorter cut of the most central article's first bullet.
        fresh = self._fresh(members, feats, ANSWER_CHARS)
        if other:
            heading = Line(OTHER_TOPICS, (), "template")
        else:
            heading = self._title_heading(members, ranked, phrases)
        order = [s for s, _ in ranked] + [s for s in members if all(s is not r for r, _ in ranked)]
        return _Draft(members, feats, phrases, other, heading, fresh, central, order)

    def _title_heading(self, members: list[Summary], ranked: list[tuple[Summary, str]], phrases: list[str]) -> Line:
        """The section's heading when no model writes it: the part of the most central
        article's title (cut at its commas, spaces and brackets) that holds the section's best
        key phrase — 北海道東部の地震 from 北海道東部の地震、花咲線が運転再開 —, else the two best
        key phrases joined."""
        central = ranked[0][0] if ranked else members[0]
        title = normalize(central.article.title or "")
        # The phrase of the title that holds the most of the section's key phrases, earlier
        # ones first (a headline opens with its news).
        best: tuple[int, int, str] | None = None
        for n, chunk in enumerate(_title_chunks(title, self.tagger)):
            covered = sum(len(p) for p in phrases[:5] if p in chunk)
            if covered and HEADING_CHARS[0] <= len(chunk) <= HEADING_CHARS[1] and (best is None or (-covered, n) < best[:2]):
                best = (-covered, n, chunk)
        if best is not None:
            return Line(best[2], (Support(central.article.id, (central.article.title or "",)),), "extractive")
        shown = phrases[:2] or [members[0].article.title or members[0].article.id]
        support = tuple(
            Support(s.article.id, tuple(x for x in [s.article.title or "", *(b.text for b in s.bullets)] if any(p in normalize(x) for p in shown)))
            for s in members
        )
        return Line("・".join(shown), tuple(sp for sp in support if sp.sentences), "extractive")

    def _fresh(self, members: Sequence[Summary], feats: Sequence[Features], limit: int, used: Sequence[str] = ()) -> list[Line]:
        """Lines for an answer or a 💡 point that no card shows, best first: sentences of the
        section's articles that are not their bullets, shaped to ``limit`` characters, most
        central to the section first (earlier sentences a little ahead); then shorter cuts of
        the bullets. Each stands alone: no opening connective or pointer back (この, 同社は),
        a subject of its own, not a question, and not a copy of a ✅ bullet or of ``used``."""
        centroid: Counter[str] = Counter()
        for f in feats:
            centroid.update(f.bag)
        shown = [normalize(b.text) for s in members for b in s.bullets]
        taken = {normalize(u) for u in used}
        scored: list[tuple[tuple[int, float, int, int], Line]] = []
        for rank, summary in enumerate(members):
            sources = {e for b in summary.bullets for e in b.evidence}
            for sentence in self._body(summary):
                cut = sentence.text not in sources
                # A bullet's sentence is used only shortened to its main clauses (a quarter less).
                room = limit if cut else min(limit, len(sentence.text) * 3 // 4)
                line = shape(sentence.text, room, self.tagger, min_chars=self.config.summary.min_chars)
                if line is None:
                    continue
                text = normalize(line)
                if text in taken or any(repeats_bullet(text, b) for b in shown) or not self._stands_alone(line):
                    continue
                bag = self._noun_bag(line)
                norm = math.sqrt(sum(c * c for c in bag.values())) or 1.0
                score = sum(c * centroid[w] for w, c in bag.items()) / norm / (1 + sentence.index / 6)
                # A sentence no card shows is worth more than a cut of one a card shows.
                score *= 1.0 if cut else 0.7
                scored.append(((-score, rank, sentence.index), Line(line, (Support(summary.article.id, (sentence.text,)),), "extractive")))
        scored.sort(key=lambda x: x[0])
        out: list[Line] = []
        for _, line in scored:
            if all(line.text != o.text for o in out):
                out.append(line)
        return out

    def _body(self, summary: Summary) -> list[Sentence]:
        """An article's body sentences (split once per build: answers and points both read them)."""
        body = self._bodies.get(summary.article.id)
        if body is None:
            split = split_sentences(summary.article.body, summary.article.id, self.tagger)
            body = self._bodies[summary.article.id] = [x for x in split if x.kind is SentenceKind.BODY]
        return body

    def _stands_alone(self, line: str, subject: bool = True) -> bool:
        # (a note or list mark opens an aside: ※ 準備が出来…, ・…)
        if len(line) < self.config.summary.min_chars or line.startswith(("(", "（", "[", "［")) or LIST_MARK.match(line) or is_question(line) or strip_connective(line, self.tagger) != line:
            return False
        # (an interview's or a list's line: 高田：心境はだいぶ違いますね。)
        if opening_label(line):
            return False
        # この…, 同社は… point back, also after an attribution (…によれば、この宮城での開催は)
        if is_anaphoric(line) or is_anaphoric(_ATTRIBUTION.sub("", line, count=1)) or _OPENERS.match(line) or _POINTS_ON.search(line):
            return False
        tokens = self.tagger.tokens(normalize(line))
        return not addresses_reader(tokens) and not _noun_phrase(tokens) and (not subject or _subject(tokens) is not None)

    def _point_queues(self, drafts: Sequence["_Draft"]) -> list[list[Line]]:
        """Per section, its 💡 points when no model writes: lines no card shows and not the
        section's answer (see :meth:`_fresh`), preferably from another article than the
        answer's."""
        queues = []
        for d in drafts:
            ranked = self._fresh(d.members, d.feats, POINT_CHARS, used=[d.answer.text])
            # nor the answer's sentence cut otherwise (the model's answer is its own cut of it);
            # an answer written freely rests on all it was shown, not on one sentence
            said = {x for sp in d.answer.support for x in sp.sentences}
            said = said if len(said) == 1 else set()
            ranked = [line for line in ranked if not said.intersection(x for sp in line.support for x in sp.sentences)]
            first_article = d.answer.support[0].article_id if d.answer.support else None
            ranked.sort(key=lambda line: (line.support[0].article_id == first_article and len(d.members) > 1,))
            queues.append(ranked)
        return queues

    def _more_points(self, drafts: Sequence["_Draft"], queues: list[list[Line]], wanted: int) -> list[tuple[int, Line]]:
        """One 💡 per section (asked with the questions), heaviest first; past that, more from
        the heaviest sections, a round of model calls each."""
        points = [(k, d.points[0]) for k, d in enumerate(drafts) if d.points][:wanted]
        depth = 1
        while len(points) < wanted and any(depth < len(q) for q in queues):
            jobs = [self._point_job(k, d, q, depth) for k, (d, q) in enumerate(zip(drafts, queues)) if depth < len(q)]
            for job, line in zip(jobs, self._ask(jobs)):
                if line.text and len(points) < wanted:
                    job.draft.points.append(line)
                    points.append((job.index, line))
            depth += 1
        return points

    # -- the model's lines ------------------------------------------------------------------

    def _ask(self, jobs: Sequence["_Job"], others: dict[int, list[Line]] | None = None) -> list[Line]:
        """Each job's line: the model's when there is a writer and it passes its checks, else
        the job's fallback (empty when it has none) with what the model wrote and why it was
        refused. All the jobs' prompts share one round of model calls. ``others``, when given,
        gets for each job (by its index) the model's further lines that would stand too."""
        empty = Line("", (), "extractive")
        if self.writer is None or not jobs:
            return [j.fallback or empty for j in jobs]
        written = iter(self.writer.write_many([j.request for j in jobs if j.request is not None]))
        out = []
        for n, job in enumerate(jobs):
            if job.request is None:
                out.append(job.fallback or empty)
                continue
            w = next(written)
            # the first of its passing cuts (one per source) that fits its place, else the first
            # with why it does not
            # (every fitting one only where ``others`` asks for them)
            candidates = (c for c in (w, *w.also) if c.text and self._misplaced(job, c.text) is None)
            fitting = list(candidates) if others is not None else [c for c in [next(candidates, None)] if c is not None]
            if fitting:
                out.append(self._model_line(job, fitting[0]))
                if others is not None:
                    others[n] = [self._model_line(job, c) for c in fitting[1:]]
            elif w.text:
                out.append(replace(job.fallback or empty, replaced=w.text, reason=self._misplaced(job, w.text)))
            else:
                out.append(replace(job.fallback or empty, replaced=w.raw or None, reason=w.reason))
        return out

    @staticmethod
    def _model_line(job: "_Job", w: Written) -> Line:
        """The model's line that stands for ``job``: a cut rests on the sentences it was cut
        from; free writing on all it was shown. (A lead keeps its sentences before the first
        refused one: that one is recorded.)"""
        support = job.support
        if w.cut_from:
            support = tuple(Support(sp.article_id, kept) for sp in job.cut if (kept := tuple(x for x in sp.sentences if x in w.cut_from)))
        return Line(w.text or "", support, "model", w.raw if w.reason else None, w.reason or None)

    def _questions(self, drafts: Sequence["_Draft"], answers: dict[int, list[Line]]) -> None:
        """Each section's question, in one round of model calls. The model asks one for each
        of the first ANSWERS answers that would stand (the first, then the others the model cut
        that pass: ``answers``, by draft); the first answer whose question passes stands with
        it. A question the small model writes fails its checks more often than an answer does
        (it asks for what the answer does not say), so another answer gives it another chance.
        Where none passes, the first answer stands with the question built from it."""
        jobs: list[_Job] = []
        owners: list[tuple[int, Line]] = []
        for k, d in enumerate(drafts):
            first = self._question_job(d)
            if first.request is None:
                continue
            jobs.append(first)
            owners.append((k, d.answer))
            for other in answers.get(k, [])[: ANSWERS - 1]:
                jobs.append(self._question_job(d, other))
                owners.append((k, other))
        chosen: dict[int, tuple[Line, Line]] = {}
        for (k, answer), line in zip(owners, self._ask(jobs)):
            if k not in chosen or chosen[k][1].written_by != "model" and line.written_by == "model":
                chosen[k] = (answer, line)
        for k, (answer, question) in chosen.items():
            drafts[k].answer, drafts[k].question = answer, question

    def _misplaced(self, job: "_Job", text: str) -> str | None:
        """Why an answer or 💡 point the writer passed cannot stand in the draft: it repeats a
        card's ✅ bullet, or does not stand alone (an opening connective, a pointer back, no
        subject) — the rules of the line without a model."""
        if job.kind in ("heading", "title"):
            # a headline reports; it does not invite (…夏の肌をツルツル肌にしよう)
            words = [t for t in self.tagger.tokens(normalize(text)) if not t.pos.startswith(("補助記号", "空白"))]
            if words and _invites(words[-1]):
                return "speaks to its reader"
        if job.kind == "heading" and job.draft is not None and job.draft.phrases:
            # a heading names the section's topic (not 今年で11年目、8月8日開幕)
            line = normalize(text)
            return None if any(p in line for p in job.draft.phrases[:3]) else "names none of the section's key phrases"
        if job.kind == "question":
            # a question is read first, before its answer: it cannot point back (この隆起は…？)
            return "does not stand alone" if is_anaphoric(text) or _OPENERS.match(text) else None
        if job.kind == "lead":
            # each sentence stands alone, as an answer does, though it may lack a subject
            parts = [p for p in re.findall(r"[^。！？]+[。！？]?", text) if p.strip()]
            return None if all(self._stands_alone(p, subject=False) for p in parts) else "does not stand alone"
        if job.kind not in ("answer", "point") or job.draft is None:
            return None
        line = normalize(text)
        if any(repeats_bullet(line, normalize(b.text)) for s in job.draft.members for b in s.bullets):
            return "repeats a card's bullet"
        return None if self._stands_alone(text) else "does not stand alone"

    def _request(
        self, instruction: str, d: "_Draft", *, max_chars: int = 0, others: Sequence[str] = (), extra: Sequence[Line] = (),
        cut: Sequence[Support] = (),
    ) -> WriteRequest:
        """A sentence over the section's bullets (the cards show them: a line that repeats one
        is refused, as an extractive one is) and the sentences of ``extra`` — the lines no card
        shows that stand when the model's is refused — so that the model has something to say
        besides the cards."""
        bullets = tuple(b.text for s in d.members for b in s.bullets)
        more = tuple(x for line in extra for sp in line.support for x in sp.sentences if x not in bullets)
        return WriteRequest(
            instruction, bullets + more, "sentence", _bodies(d.members), (*bullets, *(o for o in others if o)), max_chars,
            sources=tuple(x for sp in cut for x in sp.sentences),
        )

    def _point_job(self, k: int, d: "_Draft", queue: list[Line], depth: int) -> "_Job":
        """Section ``k``'s 💡 point at ``depth``: not repeating its answer or its points so far;
        the queue's line at that depth stands when the model's is refused."""
        extra = queue[depth : depth + EXTRA]
        fallback = queue[depth] if depth < len(queue) else None
        cut = tuple(sp for line in queue[depth : depth + CHOICES] for sp in line.support)
        request = self._request(
            DIGEST_POINT, d, max_chars=POINT_CHARS, others=(d.answer.text, *(p.text for p in d.points)), extra=extra, cut=cut
        )
        return _Job(d, "point", request, fallback, _support(d.members, request, extra), k, cut)

    def _heading_request(self, d: "_Draft", cut: Sequence[Support]) -> WriteRequest:
        material = tuple(x for s in d.members for x in (s.article.title or "", *(b.text for b in s.bullets[:1])) if x)
        # (asked each way at once: the first that passes stands)
        return WriteRequest(
            HEADING_WAYS[0], material, "heading", _bodies(d.members), sources=tuple(x for sp in cut for x in sp.sentences),
            variants=HEADING_WAYS[1:],
        )

    def _bridge_request(self, d: "_Draft", k: int) -> WriteRequest:
        """A line between card ``k`` and card ``k + 1`` that relates them (記事A, 記事B)."""
        material: list[str] = []
        labels: list[str] = []
        for label, s in zip("AB", d.members[k : k + 2]):
            texts = [x for x in (s.article.title or "", *(b.text for b in s.bullets)) if x]
            material += texts
            labels += [f"記事{label}"] * len(texts)
        bullets = tuple(b.text for s in d.members for b in s.bullets)
        return WriteRequest(DIGEST_BRIDGE, tuple(material), "sentence", _bodies(d.members[k : k + 2]), bullets, labels=tuple(labels))

    def _question_job(self, d: "_Draft", answer: Line | None = None) -> "_Job":
        """The section's question for ``answer`` (its answer as it stands when None): the
        model's, asked for that answer, else one built from the answer's subject and predicate
        (:func:`_question`)."""
        answer = answer or d.answer
        template = self._template_question(d, answer)
        if self.writer is None or d.other or not answer.text:
            d.question = template
            return _Job(d, "question", None, template)
        # Asked of the answer alone, and checked against it: a question asks for part of what
        # its answer says (asked over the section's titles and bullets too, the default model
        # asked about other articles' facts). Asked each way at once: the first that passes stands.
        ways = [digest_question(answer.text, way) for way in range(QUESTION_WAYS)]
        request = WriteRequest(ways[0], (answer.text,), "question", _bodies(d.members), variants=tuple(ways[1:]))
        return _Job(d, "question", request, template, answer.support)

    def _template_question(self, d: "_Draft", answer: Line) -> Line:
        if d.other:
            return Line("ほかにどんなニュースがあった？", (), "template")
        topic = d.phrases[0] if d.phrases else d.heading.text
        return Line(_question(answer.text, topic, self.tagger), answer.support, "template")

    def _title_request(self, top: Sequence[Summary], cut: Sequence[Support], others: Sequence[str] = ()) -> WriteRequest:
        """The digest's headline over the top sections' leading articles: titles, first bullets
        (else cut from the top section's central title); not the top section's heading
        (``others``) again."""
        material = tuple(x for s in top for x in (s.article.title or "", *(b.text for b in s.bullets[:1])) if x)
        return WriteRequest(
            DIGEST_TITLE, material, "title", _bodies(top), tuple(others), max_chars=TITLE_CHARS, sources=tuple(x for sp in cut for x in sp.sentences)
        )

    def _lead_request(self, top: Sequence[Summary], cut: Sequence[Support], others: Sequence[str] = ()) -> WriteRequest:
        """The lead, two or three sentences over the top sections' leading articles' first
        bullets (else cut from their sentences, each to LEAD_CHARS); not repeating the sections'
        answers (``others``)."""
        material = tuple(b.text for s in top for b in s.bullets[:2])
        return WriteRequest(
            DIGEST_LEAD, material, "lead", _bodies(top), tuple(others), max_chars=LEAD_CHARS, sources=tuple(x for sp in cut for x in sp.sentences)
        )

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
        if len(sections) < len(kept):
            text = f"{when}{len(kept)}本の記事を{count}の話題にまとめた。"
        else:  # every topic one article: counting them says nothing
            text = f"{when}{len(kept)}本の記事をまとめた。" if len(kept) > 1 else f"{when}記事をまとめた。"
        top = sections[0]
        if top.heading.text != OTHER_TOPICS and len(top.summaries) > 1:
            text += f"最も多く取り上げられたのは「{top.heading.text}」（{len(top.summaries)}本）。"
        return Line(text, (), "template")


#: Answers are one short line; 💡 points a little longer; headings 4–24 characters.
ANSWER_CHARS = 50
#: Bridging lines per section at most (between its first cards).
BRIDGES = 2
#: Lines no card shows given to the model beside the bullets, for an answer or a 💡 point.
EXTRA = 3
#: With digest.writing = "cut": the lines an answer or a 💡 point may be cut from, best first
#: (the model cuts each in one call; the first cut that passes stands).
CHOICES = 5
#: The answers (best first, of those that pass) a question is asked for: the first answer whose
#: question passes stands.
ANSWERS = 3
POINT_CHARS = 60
#: Each sentence of a lead (shorter than the bullets the cards show).
LEAD_CHARS = 50
#: The digest's title (as its instruction asks).
TITLE_CHARS = 30
HEADING_CHARS = (5, 24)

# Where a title divides into phrases: commas, spaces, brackets and the 【】 of a site's tag.
_TITLE_BREAK = re.compile(r"[、，,\s　「」『』【】（）()〈〉《》［］\[\]|｜/／:：!！?？…]+")

_FORMAL_NOUNS = frozenset({"こと", "もの", "ところ", "ため", "わけ", "はず", "の", "方", "点", "ほう", "人たち"})
# (によると needs no comma to end: 読売新聞によるとこの選挙は…)
_ATTRIBUTION = re.compile(r"^[^、。]{1,30}?(?:(?:によると|によれば)、?|(?:では|は)、)")
# A line that points to what follows it in the article (キャンペーンの概要は以下の通り。) says nothing alone.
# (以下の after a particle or a comma, not after a number: 10歳以下の子ども is "or under")
_POINTS_ON = re.compile(r"(?:以下|次|下記)の(?:通り|とおり|よう)|下記|(?:^|[、，,はをにでがもと])以下の")


def _noun_phrase(tokens: Sequence[Token]) -> bool:
    """Whether a line is one noun phrase, not a sentence: it ends on a noun (not an act: …を発表),
    has no topic, and its every verb describes a noun (つながりができるSNSの一面。)."""
    words = [t for t in tokens if not t.pos.startswith(("補助記号", "空白"))]
    if not words or not words[-1].pos.startswith(("名詞", "接尾辞-名詞的")) or words[-1].pos.startswith(("名詞-普通名詞-サ変", "名詞-数詞")):
        return False
    if any(t.pos.startswith("助詞-係助詞") for t in words):
        return False
    # (not an auxiliary verb after a て-form: …してしまう)
    verbs = [k for k, t in enumerate(words) if t.pos.startswith(("動詞", "形容詞")) and not (k and words[k - 1].pos.startswith("助詞-接続助詞"))]
    return bool(verbs) and all(
        k + 1 < len(words) and words[k + 1].pos.startswith(("名詞", "接頭辞")) and words[k].cform.startswith("連体形") for k in verbs
    )


def addresses_reader(tokens: Sequence[Token]) -> bool:
    """Whether a sentence ends speaking to its reader rather than reporting: a request or an
    invitation (覚えてくださいね, 登録しよう, 楽しみましょう) or a closing particle of talk
    (古いのかもしれませんね, 多いですよね, いかがだろうか). Magazine articles say this; a
    digest's answer or 💡 point, written by an editor about the news, does not. Nor does it
    exclaim (今年のハワイは、盛りだくさん！) or end in the writer's own wish or opinion
    (…改良など期待したい, …多いと思う), warn (…見逃してはいけません), look forward (…楽しみだ) or
    serve a customer (…お送りいたします). A conjecture (…するだろう, でしょう) still reports."""
    if tokens and tokens[-1].surface in ("！", "!"):
        return True
    if _ADVICE.search("".join(t.surface for t in tokens)):
        return True  # …を選ぶといいだろう: advice to the reader
    words = [t for t in tokens if not t.pos.startswith(("補助記号", "空白"))]
    if not words:
        return False
    last = words[-1]
    core = words[-2] if last.lemma == "ます" and len(words) > 1 else last
    if core.lemma == "思う" or core.lemma in ("たい", "欲しい") and core.pos.startswith(("助動詞", "形容詞-非自立")):
        return True
    if last.pos == "助詞-終助詞":
        return True
    return _invites(last)


def _invites(last: Token) -> bool:
    """Whether a line's last word invites or commands (登録しよう, 見てみろ): a conjecture's
    だろう/でしょう does not."""
    return last.cform.startswith("命令形") or last.cform.startswith("意志推量形") and last.lemma not in ("だ", "です")


# A sentence that ends advising or warning its reader (…を選ぶといいだろう, …したほうがいい,
# …を見逃してはいけません), looking forward in the writer's voice (…向上するのか楽しみだ) or
# serving a customer (当選のご連絡はお送りいたします, 発送は7月中旬頃を予定しております, …アプリを紹介
# します), or chatting (…サービスもあるんです).
_ADVICE = re.compile(
    r"(?:(?:と|ば|たら|ほうが|方が)(?:いい|良い|よい)(?:だろう|でしょう|です|かも(?:しれ(?:ない|ません))?)?"
    r"|(?:ては|では)(?:いけ|なら)(?:ない|ません)|楽しみ(?:だ|です|である)?|(?:いたし|致し)ます|(?:て|で)おります|(?:せて|して)いただきます|ご紹介(?:します)?|紹介します|ん(?:です|だ))[。.！!]?$"
)

# Openings that sequence or judge rather than state: まずカメラは…, 実は…
# (and those that add to or follow what came before: 他にもハワイは…, 以下2着が…)
_OPENERS = re.compile(r"^(?:まず|次に|さらに|また|ちなみに|実は|なお|ただ|一方|最後に|結局|もっとも|他にも|ほかにも|他には|ほかには|加えて|同じく|以下)")

# A section's question from what its answer says: the predicate's kind, most specific first.
_ASKS = (
    (re.compile(r"決ま|決定され|可決され|成立"), "{s}で何が決まった？"),
    (re.compile(r"決め|決定|可決|承認|合意|採択"), "{s}は何を決めた？"),
    (re.compile(r"発表|公表|発売|公開|明らかに|開発|開始|導入"), "{s}は何を発表した？"),
    (re.compile(r"述べ|語っ|語る|話し|話す|明かし|強調|説明|指摘|示し|訴え|批判|コメント|答え"), "{s}は何と述べた？"),
    (re.compile(r"逮捕|送検|起訴|判決"), "{s}の事件はどうなった？"),
    (re.compile(r"観測|発生|起き|起こ|被害|死亡|けが"), "{s}で何が起きた？"),
)


def _question(answer: str, topic: str, tagger: Tagger) -> str:
    """The section's question, built from its answer's subject and predicate (what was
    decided, who said what), else about its topic (its best key phrase)."""
    tokens = tagger.tokens(normalize(answer)) if answer else ()
    subject = _subject(tokens) if tokens else None
    first = next((t for t in tokens if subject.startswith(t.surface)), None) if subject else None
    if first is not None and first.pos.startswith("名詞-普通名詞-副詞可能"):
        subject = None  # (委員9人の)うち1人が…: a part of something named before, not whom to ask about
    predicate = final_predicate(tokens)[0] if tokens else ""
    content = [t for t in tokens if not t.pos.startswith(("補助記号", "助動詞"))]
    if not predicate and content and content[-1].pos.startswith("名詞-普通名詞-サ変可能"):
        predicate = content[-1].surface  # …新型車を発表。: a verb in all but its する
    if subject and len(subject) <= 16:
        for pattern, template in _ASKS:
            if pattern.search(predicate):
                asked = template.format(s=subject)
                # (held to its answer as the model's questions are: 前篇は…後篇は公開される does
                # not say what was announced)
                if unanswered_question(tagger.tokens(normalize(asked)), tokens) is None:
                    return asked
                break
    asked = _what_is(tokens)
    if asked:
        return asked
    if subject and len(subject) <= 16 and not predicate and re.search(r"」と(?:も|か)?[。！]?$", normalize(answer)):
        return f"{subject}は何と言った？"  # 落合氏は一茂氏に対して、「…」とも。: words, their verb left out
    if subject and len(subject) <= 16 and predicate:
        # (in its answer's tense: …公開される is still to come)
        return f"{subject}はどうなる？" if final_tense(tokens) == "now" else f"{subject}はどうなった？"
    return f"{topic}をめぐって何が起きている？"


def _what_is(tokens: Sequence[Token]) -> str | None:
    """The question of an answer that says what its topic is — ダウンロード用の番号は16桁の数字だ
    asks ダウンロード用の番号は？, 講師は…柳田真孝氏だ asks 講師は誰？, 価格は16,480円となって
    います asks 価格はいくら？ — or ends on what it did (トヨタは新型車を改良。 asks トヨタは何を
    改良した？): its topic (the words before its first は, opening the sentence, no comma or
    quotation in them) when it ends on a noun (with だ, です or となる)."""
    end = len(tokens)
    while end and (tokens[end - 1].pos.startswith(("補助記号", "助動詞", "助詞")) or tokens[end - 1].lemma in _COPULA_VERBS):
        end -= 1
    if not end or not tokens[end - 1].pos.startswith(("名詞", "接尾辞", "形状詞")):
        return None
    last = tokens[end - 1]
    action = last.pos.startswith("名詞-普通名詞-サ変可能")  # …を改良。, …の優勝。: what it did, not what it is
    k = next((k for k, t in enumerate(tokens[:end]) if t.surface == "は" and t.pos.startswith("助詞-係助詞")), None)
    if not k or any(t.pos.startswith(("補助記号", "動詞", "形容詞")) or t.pos.startswith("助詞") and t.surface != "の" for t in tokens[:k]):
        return None  # (…で、, 「…」は, AとBは, 会合では, 開発したのは: not a plain topic)
    topic = "".join(t.surface for t in tokens[:k])
    if not 2 <= len(topic) <= 20 or not tokens[0].pos.startswith(("名詞", "接頭辞")) or is_anaphoric(topic):
        return None
    if tokens[k - 1].pos.startswith("名詞-普通名詞-副詞可能") and k == 1:
        return None  # 今回は…: when, not what
    if action:
        return f"{topic}は何を{last.surface}した？" if any(t.surface == "を" for t in tokens[k:end]) else f"{topic}はどうなった？"
    if last.pos.startswith("名詞-固有名詞-人名") or last.surface in _PERSONS:
        return f"{topic}は誰？"
    if last.surface in ("円", "ドル", "ユーロ", "元", "ウォン"):
        return f"{topic}はいくら？"
    return f"{topic}は？"


# Verbs after a noun predicate that only link it to its topic (…となっている, …である).
_COPULA_VERBS = frozenset({"成る", "居る", "有る"})
# Words that end a noun predicate naming a person (…の柳田真孝氏だ).
_PERSONS = frozenset("氏 さん 君 選手 監督 社長 会長 知事 市長 首相 大統領 議員 代表 氏ら".split())


def _subject(tokens: Sequence[Token]) -> str | None:
    """The sentence's topic or subject when it names someone or something (at least two
    characters, opening with a noun: not the さ of 深さは)."""
    subject = main_subject(tokens)
    if not subject or len(subject) < 2 or subject in _FORMAL_NOUNS or is_anaphoric(subject):
        return None  # ことは, ものは say nothing of who; 同省は points back
    first = next((t for t in tokens if subject.startswith(t.surface)), None)
    return subject if first is not None and first.pos.startswith(("名詞", "接頭辞")) else None


def repeats_bullet(line: str, bullet: str) -> bool:
    """Whether ``line`` repeats a ✅ bullet: the same, holding it, or most of it word for word
    (a cut that keeps only its main clause is a shorter line, not a copy)."""
    return line == bullet or bullet in line or (line in bullet and len(line) > 0.75 * len(bullet))


def _title_chunks(title: str, tagger: Tagger) -> list[str]:
    """A title's phrases (cut at its breaks), each without the particles it ends on."""
    out = []
    # A quotation in a title is someone's words, not the news: never a heading.
    for chunk in _TITLE_BREAK.split(re.sub(r"「[^」]*」|『[^』]*』", " ", title)):
        tokens = list(tagger.tokens(chunk))
        if tokens and tokens[0].pos.startswith("助詞"):
            continue  # what followed a quotation, without it (「音」を共有する…: を共有する)
        while tokens and tokens[-1].pos.startswith(("助詞", "補助記号")):
            tokens.pop()
        text = "".join(t.surface for t in tokens)
        if not text or not chunk.startswith(text):
            continue
        if len(text) <= HEADING_CHARS[1]:
            out.append(text)
            continue
        # Too long for a heading: its longest opening noun phrase that fits, before a case
        # particle (全国地ビールフェスティバルin一関-岩手県 from …岩手県で8月8日開幕). One with a
        # clause in it only as the object of what follows (子ども医療費の無料化を18歳まで拡大する
        # 条例 from …条例を可決): before で or に the clause may describe a later noun
        # (プロドライバーが伝授するデート|で使えるドライビングテクニック: the technique is taught, not
        # the date), before が it would be a subject's clause. Never one holding a topic
        # (FIFA臨時総会は…に行う事|を決定).
        cuts = [
            k for k in range(1, len(tokens))
            if tokens[k].pos.startswith("助詞-格助詞") and tokens[k].surface != "の" and tokens[k - 1].pos.startswith(("名詞", "接尾辞"))
            and not any(t.pos.startswith("助詞-係助詞") for t in tokens[:k])
            and (tokens[k].surface == "を" or not any(t.pos.startswith(("動詞", "形容詞", "助動詞")) for t in tokens[:k]))
        ]
        fitting = ["".join(t.surface for t in tokens[:k]) for k in cuts]
        fitting = [f for f in fitting if len(f) <= HEADING_CHARS[1]]
        if fitting:
            out.append(fitting[-1])
    return out


def _newest(kept: list[Summary], group: list[int]) -> int:
    return min(group, key=lambda i: (_newest_first(kept[i]), i))



def _date_span(summaries: Sequence[Summary]) -> str:
    days = sorted({s.article.published.astimezone(JST).date() for s in summaries if s.article.published})
    if not days:
        return ""
    first, last = days[0], days[-1]
    fmt = "%Y/%m/%d"
    return first.strftime(fmt) if first == last else f"{first.strftime(fmt)}〜{last.strftime(fmt)}"


@dataclass(slots=True)
class _Draft:
    """A section while its lines are written (the model's rounds fill them in)."""

    members: list[Summary]
    feats: list[Features]
    phrases: list[str]
    other: bool
    heading: Line
    #: Answers that no card shows, best first (the answer when no model writes).
    fresh: list[Line]
    #: The article most central to the section (its heading's title).
    central: Summary
    #: The members, most central first.
    ranked: list[Summary]
    answer: Line = field(default_factory=lambda: Line("", (), "extractive"))
    question: Line | None = None
    bridges: list[tuple[int, Line]] = field(default_factory=list)
    points: list[Line] = field(default_factory=list)

    def section(self) -> Section:
        question = self.question or Line("", (), "template")
        return Section(self.heading, tuple(self.phrases), question, self.answer, tuple(self.members), tuple(self.bridges))


@dataclass(frozen=True, slots=True)
class _Job:
    """One line asked of the model: its request (None: nothing to ask), the line that stands
    when the model is refused, and what the model's line rests on."""

    draft: _Draft | None
    kind: str
    request: WriteRequest | None
    fallback: Line | None
    support: tuple[Support, ...] = ()
    #: A bridge's card, a point's section.
    index: int = 0
    #: What the request's sources (the line's cut, when free writing is refused) come from.
    cut: tuple[Support, ...] = ()


def _title_support(summary: Summary, phrases: Sequence[str] = ()) -> tuple[Support, ...]:
    """What a heading or title is cut from: an article's title without the site's labels, or
    of a title in parts (業界最安値を実現！テレコムスクエアが…), the part that holds most of the
    section's key ``phrases`` (a cut across ！ runs two headlines together)."""
    title = untagged(summary.article.title or "")
    # (never inside a quotation: 「重低音BROTHERS meets EXTRA BASS」 is one name)
    inside = [0] * len(title)
    depth = 0
    for k, ch in enumerate(title):
        depth += ch in "「『"
        inside[k] = depth
        depth -= ch in "」』" and depth > 0
    cuts = [m.span() for m in HEADLINE_BREAKS.finditer(title) if not inside[m.start()]]
    bounds = [0, *(x for span in cuts for x in span), len(title)]
    parts = [title[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
    parts = [p for p in parts if len(p) >= HEADING_CHARS[0]] or [title]
    best = max(parts, key=lambda p: (sum(len(x) for x in phrases[:5] if x in normalize(p)), -parts.index(p)))
    return (Support(summary.article.id, (best,)),) if best else ()


def _heading_sources(d: "_Draft") -> tuple[Support, ...]:
    """What a heading is cut from: the most central title's part that names the topic, or
    failing that (a cut refused) the next most central title's. (A first part that is short
    enough to be a heading already has the model write the heading freely.)"""
    return tuple(sp for s in d.ranked[:2] for sp in _title_support(s, d.phrases))


def _lead_sentence(d: "_Draft") -> str | None:
    """The sentence a section gives the lead: its central article's first bullet's that is not
    its answer's."""
    said = {x for sp in d.answer.support for x in sp.sentences}
    return next((b.evidence[0] for b in d.central.bullets if b.evidence and b.evidence[0] not in said), None)


def _merged(*supports: Sequence[Support]) -> tuple[Support, ...]:
    """Supports joined per article, in order, each sentence once."""
    by: dict[str, list[str]] = {}
    for support in supports:
        for sp in support:
            by.setdefault(sp.article_id, []).extend(sp.sentences)
    return tuple(Support(a, tuple(dict.fromkeys(xs))) for a, xs in by.items())


def _bodies(members: Sequence[Summary]) -> str:
    return "\n".join(s.article.body for s in members)


def _support(members: Sequence[Summary], request: WriteRequest, extra: Sequence[Line] = ()) -> tuple[Support, ...]:
    """What a model line rests on: per article, the sentences of the request's material that
    are its title or bullets, and those of the ``extra`` lines drawn from it (the material the
    line was checked against, exactly)."""
    more: dict[str, list[str]] = {}
    for line in extra:
        for sp in line.support:
            more.setdefault(sp.article_id, []).extend(sp.sentences)
    out = []
    for s in members:
        own = {s.article.title or "", *(b.text for b in s.bullets), *more.get(s.article.id, [])}
        sentences = tuple(dict.fromkeys(x for x in request.material if x in own))
        if sentences:
            out.append(Support(s.article.id, sentences))
    return tuple(out)
