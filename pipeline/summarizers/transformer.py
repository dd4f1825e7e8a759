"""The ``transformer`` summarizer: select with the extractive scorer, then let the model write.

For each article the extractive scorer chooses the key sentences (so coverage does not depend on
the model, and every bullet has a known source sentence); the model shortens each chosen sentence
into a bullet, with the article's opening as context; :class:`kiku.check.Checker` compares
each bullet with its sentence. A rejected bullet is replaced by the extractive bullet of the same
sentence, or the best one not yet covered, and the bullet records what the model wrote and why it
was not used. If the model fails on a call (an error, a timeout), the articles of that call get
extractive bullets, recorded as such.

Articles are summarised in batches (:meth:`TransformerSummarizer.summarize_batch`): sentences of
several articles share one ``model.generate`` call, which is what makes a CPU run affordable.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiku.models.generate import Generator

from kiku.bullets import strip_connective
from kiku.check import Checker, Verdict, deletion_guide, deletion_problem, derived_from, dropped_hedges, misattributed, negations, unanswered_question, WH_WORDS
from kiku.clauses import phrase_units
from kiku.config import Config
from kiku.errors import ArticleError
from kiku.models.presets import ModelPreset, resolve_model
from kiku.models.prompts import (
    Prompt, first_sentence, fit_context, free_prompt, is_whole_sentence, parse_lines, parse_output, parse_sentences, rewrite_prompts,
)
from kiku.summarizers.extractive import ExtractiveSummarizer, SentencePlan
from kiku.text import Tagger, normalize, terms
from kiku.topics import HEADLINE_BREAKS
from kiku.types import Bullet, Document, Summary, Token, WriteRequest, Written

log = logging.getLogger(__name__)

#: The words of a heading or title that must each be the articles' own (verbs of any kind:
#: 置く is one that can also be an auxiliary).
_PHRASE_WORDS = ("名詞-普通名詞", "名詞-固有名詞", "動詞", "形容詞")

#: The words a question asks with (何を決めた？, どうなった？, なぜ…？).
_ASKING = re.compile("|".join(sorted(WH_WORDS, key=len, reverse=True)))

#: Model calls' worth of articles handed to the generator at once (see ``batch_size``).
POOL = 4


class ModelCallError(Exception):
    """One ``generate`` call failed or ran out of time; its articles fall back."""


class TransformerSummarizer:
    name = "transformer"

    def __init__(self, config: Config, tagger: Tagger, generator: "Generator | None" = None) -> None:
        self.config = config
        self.tagger = tagger
        self.config_hash = config.hash
        self.extractive = ExtractiveSummarizer(config, tagger)
        self.checker = Checker(
            tagger,
            max_chars=config.summary.max_chars,
            min_chars=config.summary.min_chars,
            redundancy=config.extractive.redundancy,
        )
        # Headings are phrases, not sentences: the same checks with a phrase's length.
        self.heading_checker = Checker(tagger, max_chars=24, min_chars=4, redundancy=config.extractive.redundancy)
        #: Checkers of the digest's lines by (shortest, longest) in characters.
        self._checkers: dict[tuple[int, int], Checker] = {(4, 24): self.heading_checker}
        if config.model.endpoint:
            # A server writes: preset (--model) names the server's model, prompted as a chat.
            name = config.model.preset
            if generator is None:
                from kiku.models.endpoint import EndpointGenerator
                from kiku.models.presets import load_presets

                generator = EndpointGenerator(config.model, name)
                if name in load_presets():
                    # No server model named (--model): the one the server serves, if it says.
                    name = generator.served_model() or name
                    generator.model = name
            self.preset: ModelPreset = ModelPreset(name=name, kind="causal-chat", prompt="chat")
        else:
            self.preset = resolve_model(config.model.preset)
            if generator is None:
                from kiku.models.generate import Generator  # torch is imported only when a model is used

                generator = Generator(self.preset, config.model)
        self.generator = generator
        #: The server that wrote, for the JSON output (None for a local model).
        self.endpoint: str | None = getattr(generator, "endpoint", None)
        #: Articles per :meth:`summarize_batch`: enough to fill several model calls of the
        #: generator's size (``model.batch_size`` sentences on a CPU, ``model.gpu_batch_size`` on
        #: a GPU), so that the generator can group prompts of like length into each call: a call
        #: pads every prompt to its longest and runs until its longest output is done.
        self.batch_size = POOL * max(1, generator.batch_size // max(1, config.summary.bullets))
        self.model = self.preset.name
        prompts = config.model.prompts
        #: One prompt per article (a CPU's cost is prompt tokens) or per sentence (a GPU's is steps).
        self.joint = prompts == "article" or (prompts == "auto" and getattr(generator, "device", "cpu") == "cpu")
        #: Refused lines asked for again (:meth:`_retry`): on a GPU unless told otherwise.
        self.retry = config.model.retry == "always" or (config.model.retry == "auto" and getattr(generator, "device", "cpu") != "cpu")
        #: The digest's checked writing (:meth:`write`).
        self.writer = self

    # ---------------------------------------------------------------------------------------

    def summarize(self, doc: Document) -> Summary:
        result = self.summarize_batch([doc])[0]
        if isinstance(result, ArticleError):
            raise result
        return result

    def summarize_batch(self, docs: Sequence[Document]) -> list[Summary | ArticleError]:
        """Summaries (or the error that stopped one article) for ``docs``, in order. Every
        article's chosen sentences go to the model in one call for the whole batch."""
        plans: list[_Plan | ArticleError] = []
        prompts: list[Prompt] = []
        for doc in docs:
            try:
                plan = self._plan(doc)
            except ArticleError as exc:
                plans.append(exc)
                continue
            plan.prompts = self._prompts(doc, plan.chosen)
            plan.first_prompt = len(prompts)
            prompts.extend(plan.prompts)
            plans.append(plan)
        failure: str | None = None
        outputs: list[str] = []
        constrained = self.config.model.constrained
        if prompts:
            try:
                outputs = self._call(prompts, constrained)
            except ModelCallError as exc:
                failure = str(exc)
        if failure is None:
            for doc, plan in zip(docs, plans):
                if isinstance(plan, _Plan):
                    written: list[str] = []
                    for prompt, raw in zip(plan.prompts, outputs[plan.first_prompt : plan.first_prompt + len(plan.prompts)]):
                        if isinstance(raw, Exception):
                            # A server that gave this article's prompt no answer: this
                            # article falls back; the others of the batch go on.
                            plan.failure = f"{type(raw).__name__}: {raw}"
                            break
                        written += parse_lines(raw, len(prompt.sentences), constrained=constrained)
                    if plan.failure is not None:
                        continue
                    for index, text in zip(plan.chosen, written):
                        self._take(doc, plan, index, text)
            if self.retry:
                self._retry(docs, plans, constrained)
        results: list[Summary | ArticleError] = []
        for doc, plan in zip(docs, plans):
            if isinstance(plan, ArticleError):
                results.append(plan)
                continue
            try:
                if failure is not None or plan.failure is not None:
                    results.append(self._fallback(doc, f"model failed ({failure or plan.failure})"))
                    continue
                results.append(self._assemble(doc, plan))
            except ArticleError as exc:
                results.append(exc)
        return results

    def _take(self, doc: Document, plan: "_Plan", index: int, text: str) -> bool:
        """Check what the model wrote for sentence ``index``; keep it, or note why not. (Its
        opening connective goes first, as an extractive bullet's does: また、… kept by a
        deletion points back to a sentence the card does not show.)"""
        text = strip_connective(text, self.tagger)
        verdict = self._check(doc, index, text, plan.kept)
        if verdict.ok:
            plan.kept.append(Bullet(doc.article_id, text, (index,), (doc.sentences[index].text,), origin="model"))
            return True
        plan.rejected.append((index, text, verdict.reason))
        return False

    def _retry(self, docs: Sequence[Document], plans: Sequence["_Plan | ArticleError"], constrained: bool) -> None:
        """Ask once more, one prompt per refused sentence, with the title as its only context.
        Greedy decoding is deterministic, so the second try must differ in what it is shown:
        a sentence on its own is often cut better than the third of a joint answer, and a
        per-sentence first pass (GPU) had the article's opening as context. Every second try
        meets the same checks; one call serves the whole batch."""
        asks: list[tuple[Document, _Plan, int, Prompt]] = []
        for doc, plan in zip(docs, plans):
            if not isinstance(plan, _Plan) or plan.failure is not None:
                continue
            for index, text, reason in plan.rejected:
                if reason != "repeats another bullet":
                    prompt = self._prompts(doc, [index], context=doc.article.title or "", joint=False)[0]
                    asks.append((doc, plan, index, prompt))
        if not asks:
            return
        try:
            outputs = self._call([prompt for *_, prompt in asks], constrained)
        except ModelCallError:
            return  # the first try's refusals stand: extractive bullets, as without a retry
        for (doc, plan, index, prompt), raw in zip(asks, outputs):
            if isinstance(raw, Exception):
                continue  # no second answer: the first try's refusal stands
            text = parse_lines(raw, 1, constrained=constrained)[0]
            # the first try's refusal gives way to the second try's bullet, or its refusal
            plan.rejected = [r for r in plan.rejected if r[0] != index]
            self._take(doc, plan, index, text)

    # ---------------------------------------------------------------------------------------

    def _plan(self, doc: Document) -> "_Plan":
        plan = self.extractive.plan(doc)
        return _Plan(plan=plan, chosen=plan.choose(self.config.summary.bullets))

    def prompts_for(self, doc: Document) -> list[Prompt]:
        """The prompts this summarizer gives the model for ``doc`` (for reading and for prompt
        experiments: ``kiku.models.prompts`` holds their text)."""
        return self._prompts(doc, self._plan(doc).chosen)

    def _prompts(self, doc: Document, chosen: Sequence[int], context: str | None = None, joint: bool | None = None) -> list[Prompt]:
        return rewrite_prompts(
            self.preset.prompt, [doc.sentences[i].text for i in chosen],
            self._context(doc, chosen) if context is None else context,
            self.config.summary.max_chars, joint=self.joint if joint is None else joint,
            min_chars=self.config.summary.min_chars,
            phrases=[self._units(doc.sentences[i].text) for i in chosen],
        )

    def _units(self, sentence: str) -> tuple[tuple[int, ...], ...]:
        """The sentence's phrases for constrained decoding, with what the deletion checks
        require of a line (its subject kept, each phrase's predicate and each modifier's noun
        reached) built in."""
        tokens = self.tagger.tokens(sentence)
        guide = deletion_guide(sentence, tokens)
        return phrase_units(sentence, tokens, guide.keep, guide.heads, guide.phrases, guide.needs)

    def _context(self, doc: Document, chosen: Sequence[int]) -> str:
        """The title, then opening sentences the prompt does not already hold, whole, within
        ``model.context_tokens`` model tokens."""
        texts = [doc.article.title] if doc.article.title else []
        texts += [s.text for i, s in enumerate(doc.sentences) if i not in chosen]
        return fit_context(texts, self.config.model.context_tokens, self.generator.count_tokens)

    def _call(self, prompts: list[Prompt], constrained: bool) -> "list[str | Exception]":
        """One output per prompt; a server's generator puts an exception in place of a prompt
        it got no answer for. A failure of the whole call raises :class:`ModelCallError`."""
        try:
            return self.generator.generate(prompts, constrained=constrained)
        except Exception as exc:  # noqa: BLE001 - any model failure falls back to extractive bullets
            if isinstance(exc, (KeyboardInterrupt, MemoryError)):
                raise
            log.warning("model call failed: %s", exc)
            raise ModelCallError(f"{type(exc).__name__}: {exc}") from exc

    def _check(self, doc: Document, index: int, text: str, kept: list[Bullet]) -> Verdict:
        source = doc.sentences[index].text
        verdict = self.checker.check(
            text,
            [source],
            article=doc.article.body,
            others=[b.text for b in kept],
            headline=doc.article.title,
            deletion=self.config.model.constrained,
            # A deletion can fuse words into a compound the article never uses (AXGP網…製の
            # -> AXGP製): every run of nouns must stand in the sentence as written.
            compounds=True,
        )
        # Free writing that only deleted words (what the prompt asks for) is held to the
        # checks of a deletion too: who did it, what its predicate is, what a word attaches to.
        if verdict.ok and (self.config.model.constrained or derived_from(text, source)):
            problem = deletion_problem(text, source, self.tagger)
            if problem:
                return Verdict(False, problem)
        return verdict

    def _assemble(self, doc: Document, plan: "_Plan") -> Summary:
        kept = list(plan.kept)
        for index, text, reason in plan.rejected:
            replacement = self._replacement(doc, plan, index, kept)
            if replacement is not None:
                i, bullet_text = replacement
                kept.append(
                    Bullet(doc.article_id, bullet_text, (i,), (doc.sentences[i].text,), replaced=text, reason=reason)
                )
        if not kept:
            # Nothing the model wrote passed and no sentence could be shaped: the extractive
            # summarizer explains why (its ArticleError).
            return self._fallback(doc, "no model bullet passed the checks")
        kept.sort(key=lambda b: b.sources)
        notes = ()
        wanted = self.config.summary.bullets
        if len(kept) < wanted:
            why = (
                f"only {len(plan.plan.order)} usable sentences in this article"
                if len(plan.plan.order) < wanted
                else "no further sentence passed the checks"
            )
            notes = (f"{why}: {len(kept)} bullets instead of {wanted}",)
        return Summary(
            article=doc.article,
            bullets=tuple(kept),
            summarizer=self.name,
            config_hash=self.config_hash,
            notes=notes,
            model=self.preset.name,
            device=self.generator.runtime,
            endpoint=self.endpoint,
        )

    def _replacement(self, doc: Document, plan: "_Plan", index: int, kept: list[Bullet]) -> tuple[int, str] | None:
        """The extractive bullet of the same sentence, else the best sentence not yet covered."""
        covered = [b.sources[0] for b in kept]
        texts = {b.text for b in kept}
        for i in [index, *plan.plan.order]:
            if i in covered or (i != index and plan.plan.redundant(i, covered)):
                continue
            text = self.extractive.shape(doc, i)
            if text is not None and text not in texts:
                return i, text
        return None

    def _fallback(self, doc: Document, why: str) -> Summary:
        summary = self.extractive.summarize(doc)
        bullets = tuple(replace(b, replaced=None, reason=f"model not used: {why}") for b in summary.bullets)
        return Summary(
            article=summary.article,
            bullets=bullets,
            summarizer=self.name,
            config_hash=self.config_hash,
            notes=(*summary.notes, f"extractive bullets only: {why}"),
            model=self.preset.name,
            device=self.generator.runtime,
            endpoint=self.endpoint,
        )

    # ---------------------------------------------------------------------------------------
    # The text-generation hook for the digest: free writing over given sentences, or a cut of
    # one of them (digest.writing), checked.

    def write(
        self,
        instruction: str,
        material: Sequence[str],
        *,
        article: str = "",
        others: Sequence[str] = (),
        heading: bool = False,
    ) -> Written:
        """Ask the model for one sentence about ``material`` (source sentences) and check it
        against them; ``heading``: a short phrase (4–24 characters, no final 。) instead of a
        sentence, under the same checks. ``Written.text`` is None when it was rejected."""
        kind = "heading" if heading else "sentence"
        return self.write_many([WriteRequest(instruction, tuple(material), kind, article, tuple(others))])[0]

    def write_many(self, requests: Sequence[WriteRequest]) -> list[Written]:
        """One checked line per request (see :class:`kiku.types.WriteRequest`), in order. All
        the prompts go to the model in one call, which groups them into batches."""
        if not requests:
            return []
        # digest.writing = "cut": a line with a sentence to cut from is the model's cut of it;
        # the others (and every line, with "free") are written freely.
        cutting = self.config.digest.writing == "cut"
        # (a heading or title whose first source is a title short enough already is written
        # freely: there is nothing to cut, and the title's own words would stand without the
        # model)
        cuts = [bool(cutting and r.sources) and (r.kind not in ("heading", "title") or self._room(r, r.sources[0]) > 0) for r in requests]
        # (one prompt per way of asking: a request's instruction, then its variants)
        free = [(k, asked) for k, r in enumerate(requests) if not cuts[k] for asked in (r.instruction, *r.variants)]
        prompts = [
            # (a question's instruction holds its answer, its one material)
            free_prompt(self.preset.prompt, asked, () if r.kind == "question" else r.material, labels=r.labels, lines=3 if r.kind == "lead" else 1)
            for r, asked in ((requests[k], asked) for k, asked in free)
        ]
        out = [Written(None, "", "not asked") for _ in requests]
        if prompts:
            try:
                # Free writing: there is no one sentence to delete from (constrained decoding
                # would allow only the end of the text). Whatever it writes is checked below.
                raws = self._call(prompts, constrained=False)
            except ModelCallError as exc:
                return [Written(None, "", f"model failed: {exc}") for _ in requests]
            verdicts: dict[int, list[Written]] = {}
            for (k, _), raw in zip(free, raws):
                verdict = Written(None, "", f"model failed: {raw}") if isinstance(raw, Exception) else self._verdict(requests[k], raw)
                verdicts.setdefault(k, []).append(verdict)
            for k, ways in verdicts.items():
                # the first way's line that passes, the others that pass as alternatives; else
                # the first way's refusal
                passed: list[Written] = []
                for w in ways:
                    if w.text and all(w.text != p.text for p in passed):
                        passed.append(w)
                out[k] = replace(passed[0], also=tuple(passed[1:])) if passed else ways[0]
        # (a heading or title written freely is also cut from its other sources that are too
        # long to stand: the free line first, else the first passing cut)
        asked = [
            k for k, r in enumerate(requests)
            if cuts[k] or cutting and r.kind in ("heading", "title") and any(self._room(r, x) for x in r.sources[1:])
        ]
        return self._cut(requests, out, asked) if asked else out

    def _cut(self, requests: Sequence[WriteRequest], out: list[Written], asked: Sequence[int]) -> list[Written]:
        """The lines ``asked`` as cuts (``digest.writing = "cut"``): the model shortens
        the request's source sentence (or title) by deleting words, under the constrained
        decoding of a bullet, and the cut meets a bullet's checks of a deletion. A small model's
        free prose is refused far more often than its cuts (words the articles do not have, a
        subject swapped). One call serves all."""
        asks: list[tuple[int, str, Prompt]] = []
        for k in asked:
            r = requests[k]
            least = self._limits(r)[0]
            for source in r.sources:
                room = self._room(r, source)
                if not room:
                    continue
                prompt = rewrite_prompts(
                    self.preset.prompt, [source], "", room, min_chars=least, phrases=[self._units(source)]
                )[0]
                asks.append((k, source, prompt))
        out = list(out)
        for k in set(asked) - {k for k, *_ in asks}:
            if out[k].reason == "not asked":
                out[k] = Written(None, "", "too short to shorten")
        if not asks:
            return out
        # A server writes freely (it ignores constraints); its line is still checked as a deletion.
        constrained = self.endpoint is None
        try:
            raws = self._call([p for *_, p in asks], constrained)
        except ModelCallError:
            return out
        cuts: dict[int, list[tuple[str, str]]] = {}
        for (k, source, _), raw in zip(asks, raws):
            text = "" if isinstance(raw, Exception) else parse_lines(raw, 1, constrained=constrained)[0]
            cuts.setdefault(k, []).append((source, text))
        for k, pairs in cuts.items():
            r = requests[k]
            kept: list[tuple[str, str]] = []
            first: Written | None = None
            for source, text in pairs:
                if r.kind in ("heading", "title"):
                    text = text.rstrip("。")
                else:
                    # (a sentence's opening connective goes, as from an extractive line: しかし、…
                    # does not stand alone)
                    text = strip_connective(text, self.tagger)
                # (a lead's sentences each say something the ones before did not; alternatives
                # are checked each on its own)
                verdict = self._cut_verdict(r, source, text, [t for _, t in kept] if r.kind == "lead" else [])
                if verdict.ok:
                    kept.append((source, text))
                elif first is None:
                    first = Written(None, text, verdict.reason)
            if kept and r.kind == "lead":
                out[k] = Written("".join(t for _, t in kept[:3]), "", "", tuple(s for s, _ in kept[:3]))
            elif kept:
                passed = [Written(t, "", "", (s,)) for s, t in kept]
                if out[k].text:  # written freely and passed: the cuts are its alternatives
                    out[k] = replace(out[k], also=(*out[k].also, *passed))
                else:
                    out[k] = replace(passed[0], also=tuple(passed[1:]))
            elif first is not None and not out[k].text and out[k].reason in ("", "not asked"):
                out[k] = first
        return out

    def _room(self, request: WriteRequest, source: str) -> int:
        """The longest cut of ``source`` for ``request`` (characters), 0 when it is not cut: a
        cut says less than its sentence, four fifths of it at most (the model, asked for a
        length its sentence already has, deletes nothing), and a title that fits a heading
        already is one: only a longer one is cut."""
        least, most = self._limits(request)
        if request.kind in ("heading", "title"):
            return most if len(source) > most else 0
        room = min(most, len(source) * 4 // 5)
        return room if room >= least else 0

    def _limits(self, request: WriteRequest) -> tuple[int, int]:
        """The shortest and longest line (characters) of a request's kind."""
        if request.kind == "heading":
            return 4, 24
        if request.kind in ("title", "question"):
            return 6, request.max_chars or 40
        return self.config.summary.min_chars, request.max_chars or self.config.summary.max_chars

    def _cut_verdict(self, request: WriteRequest, source: str, text: str, before: Sequence[str]) -> Verdict:
        """A cut of ``source`` for ``request``: a bullet's checks against its one sentence (a
        deletion), not the source itself word for word (the line without a model says that), and
        for a lead not a sentence of the material (the cards' bullets) nor one said ``before``."""
        if not text:
            return Verdict(False, "empty")
        if normalize(text).rstrip("。") == normalize(source).rstrip("。") or _copies(text, request.material):
            return Verdict(False, "copies a source sentence")
        least, most = self._limits(request)
        if request.kind in ("heading", "title") and HEADLINE_BREAKS.search(text[:-1]):
            # いよいよラストの町会議！　ニコニコ詳細決定, 日本勢初めてのメダルは-バンクーバー五輪
            return Verdict(False, "not one phrase")
        # A cut may restate a card's bullet shorter (its sentence is the bullet's too): the
        # digest holds it to the rule of its lines without a model for that. It must not
        # repeat the other lines given (an answer, earlier points, a heading) nor, in a lead,
        # its sentences before.
        others = [*before, *(o for o in request.others if o not in request.material)]
        verdict = self._checker(least, most).check(
            text, [source], article=request.article or source, others=others, deletion=True, compounds=True,
            hedges=request.kind not in ("heading", "title"),
        )
        if not verdict.ok:
            return verdict
        problem = deletion_problem(text, source, self.tagger)
        return Verdict(False, problem) if problem else verdict

    def _verdict(self, request: WriteRequest, raw: str) -> Written:
        """What the model wrote for ``request``, checked."""
        material = list(request.material)
        article = request.article or "".join(material)
        tagged = [self.tagger.tokens(normalize(m)) for m in material]  # once per request, for every check below
        if request.kind == "lead":
            # Each sentence on its own; the lead is the ones before the first that fails.
            sentences = parse_sentences(raw, 3)
            kept: list[str] = []
            reason = "empty" if not sentences else ""
            for sentence in sentences:
                if _copies(sentence, material):
                    reason = "copies a source sentence"  # a lead tells the story, not a card's bullet
                    break
                # (each sentence also says something the ones before it did not)
                verdict = self._check_line(sentence, material, tagged, article, (*request.others, *kept), *self._limits(request))
                if not verdict.ok:
                    reason = verdict.reason
                    break
                kept.append(sentence)
            # A lead cut short records what was left out and why.
            return Written("".join(kept) if kept else None, "".join(sentences), reason)
        text = parse_output(raw)
        least, most = self._limits(request)
        if request.kind in ("heading", "title"):
            # A phrase or a headline: no final 。 (a question keeps its ？).
            text = text.rstrip("。")
        else:
            text = first_sentence(text)
            if text and not is_whole_sentence(text):
                return Written(None, text, "not a whole sentence")  # …が実施され、海外用スマートWi-Ho!
            if request.kind == "question":
                text = re.sub(r"[?]$", "？", text)
                # A statement with ？ added (…否決された？) asks nothing: a question has its 何/どう.
                # (どうか is whether, not how: 法務省は処分を行うべきどうかを？ asks nothing)
                if not text.endswith("？") or not _ASKING.search(text.replace("どうか", "")):
                    return Written(None, text, "not a question")
        if _copies(text, material):
            # The articles' own sentence (or title) word for word is theirs, not the model's:
            # the line without a model says it, and says so.
            return Written(None, text, "copies a source sentence")
        if request.labels and not self._relates(text, tagged, request.labels):
            return Written(None, text, "does not relate its articles")
        if request.kind == "question":
            # asked of its answer alone: every word, name and predicate is the answer's
            problem = unanswered_question(self.tagger.tokens(normalize(text)), tagged[0])
            if problem:
                return Written(None, text, problem)
        # A heading, question or title names a topic or asks: it carries no hedge of its own.
        phrase = request.kind in ("heading", "title")
        verdict = self._check_line(text, material, tagged, article, request.others, least, most, hedges=request.kind == "sentence")
        if verdict.ok and phrase:
            # A heading or title is made of the articles' own words, each of them: a verb cut
            # from its compound (置き from 据え置き) or a word of the model's own is refused.
            known = {t.lemma for tokens in tagged for t in tokens}
            foreign = [t.surface for t in self.tagger.tokens(normalize(text)) if t.pos.startswith(_PHRASE_WORDS) and t.lemma not in known]
            if foreign:
                verdict = Verdict(False, f"words not in the source: {'、'.join(foreign)}")
        return Written(text if verdict.ok else None, text, verdict.reason)

    def _check_line(
        self, text: str, material: list[str], tagged: Sequence[Sequence[Token]], article: str, others: Sequence[str], least: int, most: int,
        *, hedges: bool = True,
    ) -> Verdict:
        """A line of free writing: the checks of a bullet (every run of nouns in the material);
        its negation and its hedges are those of the sentences it restates (those sharing most
        of its words), not of every sentence it was shown (two sentences that each deny
        something are not a denial undone); the subject of its main predicate is the one a
        source sentence gives it (:func:`kiku.check.misattributed`). ``tagged``: the material's
        tokens."""
        verdict = self._checker(least, most).check(
            text, material, article=article, others=others, hedges=False, compounds=True, negation=False
        )
        if verdict.ok:
            closest = normalize("".join(self._closest(text, material)))
            if negations(self.tagger.tokens(normalize(text))) % 2 != negations(self.tagger.tokens(closest)) % 2:
                return Verdict(False, "negation differs from the source")
            dropped = dropped_hedges(normalize(text), closest) if hedges else []
            if dropped:
                return Verdict(False, f"drops {'、'.join(dropped)} from the source")
            # A sentence says who did it: its subject and predicate as one source sentence pairs them.
            wrong = misattributed(self.tagger.tokens(normalize(text)), tagged)
            if wrong:
                return Verdict(False, f"gives a predicate to another subject than its source: {wrong}")
        return verdict

    def _relates(self, text: str, tagged: Sequence[Sequence[Token]], labels: Sequence[str]) -> bool:
        """Whether a line over labelled material (記事A, 記事B; ``tagged``: its tokens) relates
        them: it holds a content word of each that the other lacks (a headline of one article
        relates nothing)."""
        words: dict[str, set[str]] = {}
        for label, tokens in zip(labels, tagged):
            words.setdefault(label, set()).update(t.lemma for t in tokens if t.pos.startswith(_PHRASE_WORDS))
        line = {t.lemma for t in self.tagger.tokens(normalize(text)) if t.pos.startswith(_PHRASE_WORDS)}
        return len(words) < 2 or all(line & (own - set().union(*(w for k, w in words.items() if k != label))) for label, own in words.items())

    def _checker(self, min_chars: int, max_chars: int) -> Checker:
        key = (min_chars, max_chars)
        checker = self._checkers.get(key)
        if checker is None:
            checker = self._checkers[key] = Checker(
                self.tagger, max_chars=max_chars, min_chars=min_chars, redundancy=self.config.extractive.redundancy
            )
        return checker

    def _closest(self, text: str, material: Sequence[str]) -> list[str]:
        """The sentences of ``material`` that ``text`` restates: the one whose words it shares
        most, and any other that shares at least half as many (and two or more)."""
        words = set(terms(normalize(text)))
        shared = sorted(((len(words & set(terms(normalize(m)))), k) for k, m in enumerate(material)), reverse=True)
        if not shared:
            return []
        best = shared[0][0]
        return [material[k] for n, k in shared if k == shared[0][1] or (n >= 2 and n * 2 >= best)]


def _copies(text: str, material: Sequence[str]) -> bool:
    """Whether ``text`` holds a whole sentence or title of ``material`` word for word."""
    line = normalize(text).rstrip("。")
    return any(len(m) >= 8 and m in line for m in (normalize(x).rstrip("。") for x in material))


@dataclass(slots=True)
class _Plan:
    """One article's part of a batch: its sentence plan, the sentences given to the model, and
    where their prompts start in the batch."""

    plan: SentencePlan
    chosen: list[int]
    prompts: list[Prompt] = field(default_factory=list)
    first_prompt: int = 0
    #: Model lines that passed the checks, and those refused: (sentence, text, reason).
    kept: list[Bullet] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    #: Why the model gave this article nothing (a server's failed request), else None.
    failure: str | None = None
