"""Typed, immutable data that flows between the stages.

Every object carries the id of the article it belongs to, so that a bullet, a summary or a
failure can always be traced back to its source.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from kiku.config import Config


@dataclass(frozen=True, slots=True)
class Article:
    """One source article as read from an input, text kept exactly as written."""

    id: str
    body: str
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    source: str | None = None
    #: Where the article was read from, e.g. ``articles.jsonl:12`` (for messages).
    origin: str = ""


class SentenceKind(str, Enum):
    """What a sentence is; only ``BODY`` sentences are summary material."""

    BODY = "body"
    #: A line that reads like a heading (``■ 概要``) rather than a sentence.
    HEADING = "heading"
    #: Photo or figure captions (``写真：…``, ``▲…``).
    CAPTION = "caption"
    #: The related-article / link block that many sites append (``【関連記事】``).
    RELATED = "related"
    #: A sentence that is only a bracketed aside, such as a byline ``（来布十和）``.
    ASIDE = "aside"
    #: Source citations (``読売新聞、2011年4月8日。``, ``YOMIURI ONLINE『…』。``).
    CITATION = "citation"
    #: A line that is only a URL or a "read more" link.
    LINK = "link"
    #: A byline glued before the story (``ローラ・ビッカー、BBCニュース、…``).
    BYLINE = "byline"
    #: Field lists and fact boxes (``位置:… 面積:… 人口:…``), not prose.
    DATA = "data"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article body; ``start``/``end`` index into ``Article.body``."""

    article_id: str
    index: int
    text: str
    start: int
    end: int
    paragraph: int
    kind: SentenceKind = SentenceKind.BODY
    #: NFKC-normalised text, used for tokenising, matching and scoring (never for output).
    normalized: str = ""


class Token(NamedTuple):
    """One morpheme from fugashi + unidic-lite (of the NFKC-normalised text)."""

    surface: str
    #: Part of speech as UniDic writes it: ``名詞-固有名詞-地名-国``, ``助詞-格助詞``.
    pos: str
    #: Conjugation form (UniDic ``cForm``), e.g. ``連用形-一般``; empty when not inflected.
    cform: str
    #: UniDic lemma, e.g. ``為る`` for し, ``ロシア-Rossiya``; the surface for unknown words.
    lemma: str

    @property
    def pos1(self) -> str:
        return self.pos.partition("-")[0]

    @property
    def pos2(self) -> str:
        return self.pos.split("-")[1] if self.pos.count("-") >= 1 else ""


@dataclass(frozen=True, slots=True)
class Document:
    """An article split into sentences, with their morphological analysis on demand.

    MeCab analyses a sentence the first time a stage asks for it, and the result is kept: the
    extractive summarizer needs tokens only for the few sentences it shortens, while
    ``kiku tokens`` and evaluation need all of them. :meth:`analysis` returns MeCab's text form
    (one ``surface\tpos\tcform\tlemma`` line per token); :meth:`tokens` builds Token objects
    from it. The cache only memoises a pure function, so the document stays immutable in effect.
    """

    article: Article
    sentences: tuple[Sentence, ...]
    #: Text -> MeCab analysis (``Tagger.analyse``), applied to normalised text.
    analyzer: Callable[[str], str] = field(repr=False, compare=False)
    analysis_cache: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def article_id(self) -> str:
        return self.article.id

    def analysis(self, index: int) -> str:
        """MeCab's analysis of sentence ``index`` (of its normalised text); -1 is the title."""
        cached = self.analysis_cache.get(index)
        if cached is None:
            if index == -1:
                text = normalize_title(self.article.title)
            else:
                text = self.sentences[index].normalized
            cached = self.analysis_cache[index] = self.analyzer(text) if text else ""
        return cached

    def tokens(self, index: int) -> tuple[Token, ...]:
        """The tokens of sentence ``index``."""
        return decode_analysis(self.analysis(index))

    @property
    def title_tokens(self) -> tuple[Token, ...]:
        return decode_analysis(self.analysis(-1))

    def analyse_all(self) -> "Document":
        """Analyse every sentence now (for benchmarks and tools that read all tokens)."""
        for i in range(len(self.sentences)):
            self.analysis(i)
        return self


def normalize_title(title: str | None) -> str:
    return unicodedata.normalize("NFKC", title) if title else ""


def decode_analysis(analysis: str) -> tuple[Token, ...]:
    """Tokens from MeCab output in Kiku's format (see ``kiku.text.Tagger``)."""
    if not analysis:
        return ()
    out = []
    for line in analysis.split("\n"):
        # fugashi strips trailing whitespace from MeCab's output, which can take the empty
        # last fields of the last token with it: pad them back.
        surface, pos, cform, lemma = (line.split("\t") + ["", "", ""])[:4]
        out.append(Token(surface, pos, cform, lemma or surface))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Bullet:
    """One ✅ line. ``sources`` are indices into ``Document.sentences``; ``evidence`` holds
    those sentences as written, so that a reader can check the bullet against them."""

    article_id: str
    text: str
    sources: tuple[int, ...]
    evidence: tuple[str, ...] = ()
    #: Who wrote the text: ``"extractive"`` (the source sentence, shaped) or ``"model"``.
    origin: str = "extractive"
    #: When a model-written bullet was rejected and this one replaced it: what the model wrote,
    #: and why it was rejected (or why the model gave nothing).
    replaced: str | None = None
    reason: str | None = None
    #: Longer than ``summary.max_chars``: no sentence of the article could be shortened to fit
    #: without changing what it says, so the shortest faithful cut stands (with a note).
    over_length: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    """The bullets for one article and what produced them."""

    article: Article
    bullets: tuple[Bullet, ...]
    summarizer: str
    #: Stable hash of the configuration that produced this summary.
    config_hash: str
    #: Remarks an editor should see, e.g. that the article had fewer usable sentences.
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: The model that wrote bullets (preset or path), when one was used.
    model: str | None = None
    #: Where and how the model ran ("cpu, int8", "cuda, bfloat16"), when one was used.
    device: str | None = None
    #: The OpenAI-compatible server that wrote, when one did (URL without credentials).
    endpoint: str | None = None

    @property
    def article_id(self) -> str:
        return self.article.id


@dataclass(frozen=True, slots=True)
class Written:
    """A checked sentence of free writing: ``text`` when it passed its checks, else None, with
    what was written (``raw``) and why it was refused (``reason``)."""

    text: str | None
    raw: str
    reason: str
    #: The sentences (or title) of :attr:`WriteRequest.sources` the line was cut from; () for
    #: free writing.
    cut_from: tuple[str, ...] = ()
    #: Cuts of the request's other sources that passed their checks too, in the sources' order
    #: (the digest takes the first that also fits its place).
    also: tuple["Written", ...] = ()


@dataclass(frozen=True, slots=True)
class WriteRequest:
    """One line of the digest asked of the model: ``instruction`` over ``material`` (the source
    sentences it may use and is checked against). ``kind`` sets the shape and its checks:
    ``"sentence"`` (one sentence: answers, 💡 points, bridging lines), ``"heading"`` (a noun
    phrase of 4–24 characters), ``"question"`` (one question ending in ？), ``"title"`` (a
    headline of at most 40 characters, a statement or a question) or ``"lead"`` (two or three
    sentences, each checked; the ones before the first refused are kept)."""

    instruction: str
    material: tuple[str, ...]
    kind: str = "sentence"
    #: The articles' whole text (which characters may appear); "" for the material alone.
    article: str = ""
    #: Lines the result must not repeat (the section's ✅ bullets).
    others: tuple[str, ...] = ()
    #: Longest line in characters (per sentence for a lead); 0 for the kind's default.
    max_chars: int = 0
    #: Shown before each material line in the prompt (記事A, 記事B), not checked against.
    labels: tuple[str, ...] = ()
    #: What the line is cut from with ``digest.writing = "cut"``: the model shortens each of
    #: these by deleting words, as it does a bullet, and each cut is checked as a bullet's
    #: deletion of its sentence. A lead is its passing cuts, one sentence each; any other line
    #: the first passing cut, the sources being alternatives in order of preference (all cut
    #: in one call). () : written freely.
    sources: tuple[str, ...] = ()
    #: Other instructions that ask for the same line another way (free writing): all are asked
    #: in the same call, and the first of ``instruction`` and these whose line passes stands.
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """An input or article that could not be processed; the rest of the run goes on."""

    #: Where the problem is: ``path``, ``path:line`` or ``<stdin>:line``.
    origin: str
    #: The stage that failed: ``read``, ``parse``, ``text``, ``summarize``.
    stage: str
    message: str
    article_id: str | None = None

    def describe(self) -> str:
        return f"{self.origin}: {self.message}"


# --------------------------------------------------------------------------------------------
# The digest draft


@dataclass(frozen=True, slots=True)
class Support:
    """One article's sentences that a line of the draft rests on."""

    article_id: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One piece of the draft's own text (title, lead, heading, question, answer, bridging
    line, 💡 point)."""

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
    #: The question-style subheading that ``answer`` answers.
    question: Line
    answer: Line
    summaries: tuple[Summary, ...]
    #: Bridging lines between cards (``--bridges``): ``(k, line)`` stands after card ``k``
    #: (0-based) and relates it to card ``k + 1``; one the checks refused has no text (and
    #: records what the model wrote and why).
    bridges: tuple[tuple[int, Line], ...] = ()


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

    @property
    def article_count(self) -> int:
        return sum(len(s.summaries) for s in self.sections)
