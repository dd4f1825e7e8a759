"""Clause analysis: a sentence split at the commas that end a clause, each part given its role.

Shortening a Japanese sentence is only safe at clause boundaries, and only for clauses whose
removal leaves the rest saying the same thing: a date or an adverbial clause may go, a condition
(…ば、), a subject (…が、) or what is said (…と、) may not, and a topic (…は、) or an attribution
(…によると、) belongs to the main clause. :func:`split_clauses` gives each comma-delimited segment
its :class:`Role` and the facts :func:`kiku.bullets.compress` needs to decide what may go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kiku.types import Token
from kiku.vocab import ATTRIBUTION_CLAUSE_END, ATTRIBUTION_IN_CLAUSE, ATTRIBUTIONS, HEDGES

# Brackets that hold asides. ［…］ and […] are not among them: they usually hold names and labels.
REMOVABLE_BRACKETS = {"（": "）", "(": ")", "【": "】", "〔": "〕"}
ALL_BRACKETS = {
    **REMOVABLE_BRACKETS, "［": "］", "[": "]", "「": "」", "『": "』", "〈": "〉", "《": "》", "“": "”",
}
COMMAS = frozenset("、，,")
_TIME_LEMMAS = frozenset(
    "年 月 日 時 分 秒 頃 ごろ 午前 午後 同日 今日 昨日 明日 本日 当日 今月 先月 来月 今年 昨年 "
    "去年 来年 今週 先週 来週 週 曜日 朝 夜 夕方 未明 深夜 早朝 未明 今回 時間 時点 "
    "現在 以降 前後 中旬 上旬 下旬 末 初め 月曜 火曜 水曜 木曜 金曜 土曜 日曜 に から まで の 、 ".split()
)
#: Conjunctive particles that make a clause a condition (…すれば, …すると, …なら).
CONDITIONALS = frozenset({"ば", "と", "たら", "なら", "ならば", "れば"})


def bracket_spans(text: str, openers: dict[str, str]) -> list[tuple[int, int]]:
    """Top-level spans of the given bracket pairs (an opener that is never closed is ignored).
    Each kind of bracket nests on its own; one pass with a stack per kind, so a line of
    thousands of unclosed 「 costs no more than any other."""
    closers = {close: open_ for open_, close in openers.items()}
    stacks: dict[str, list[int]] = {open_: [] for open_ in openers}
    match: dict[int, int] = {}
    for k, ch in enumerate(text):
        if ch in stacks:
            stacks[ch].append(k)
        elif ch in closers and stacks[closers[ch]]:
            match[stacks[closers[ch]].pop()] = k
    spans = []
    i = 0
    while i < len(text):
        end = match.get(i)
        if end is not None:
            spans.append((i, end + 1))
            i = end + 1
        else:
            i += 1
    return spans


def inside_brackets(text: str) -> list[bool]:
    """For each offset of ``text`` (and one past its end), whether it lies strictly inside a
    closed pair of brackets or quotes."""
    inside = [False] * (len(text) + 1)
    for a, b in bracket_spans(text, ALL_BRACKETS):
        for k in range(a + 1, b):
            inside[k] = True
    return inside


class Role:
    """What a comma-delimited segment of a sentence is, for deciding what may be removed."""

    #: The main clause (the last segment): always kept.
    MAIN = "main"
    #: A topic (「首相は、」) or an attribution (「…によると、」): attached to the main clause, so
    #: it stays even when clauses after it go.
    ANCHOR = "anchor"
    #: A subordinate or adverbial clause, or a date: may go.
    DROPPABLE = "droppable"
    #: Anything else (a condition, …): must stay, and so must everything after it.
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    role: str
    #: A leading topic or subject that is a plain noun phrase (「インドネシアの大統領は」); when a
    #: continuative clause (…し、 …して、) is removed, this is kept: Japanese shares it with the
    #: clause that follows. "" when there is none.
    lead: str = ""
    #: Whether the segment has a topic or subject (は or が outside brackets) of its own.
    has_subject: bool = False
    #: Whether it has a topic (は outside brackets); が is often inside an embedded clause.
    has_topic: bool = False
    #: How many は and が it has outside brackets.
    subjects: int = 0
    #: Whether the segment ends in a verb's continuative form or the te-form (…し、 …して、).
    continuative: bool = False
    #: Whether the segment says who reports what follows (「…によると、」).
    attribution: bool = False
    #: Whether the segment is only a date or time (「24日、」 「同日午後、」).
    date_only: bool = False
    #: Whether it ends in a date or time, and whether it opens with a number (date lists).
    ends_with_date: bool = False
    starts_with_number: bool = False
    #: Whether the segment opens with a particle, auxiliary or conjunction (「、と思う…」
    #: 「、そして日本全国へ」): it hangs on the segment before it, which then cannot go.
    dependent: bool = False


def _token_spans(text: str, tokens: tuple[Token, ...]) -> list[tuple[int, int, Token]] | None:
    """Character offsets of each token in ``text`` (MeCab drops spaces, so search forward)."""
    spans = []
    pos = 0
    for tok in tokens:
        at = text.find(tok.surface, pos)
        if at == -1 or text[pos:at].strip():
            return None  # the analysis does not line up with the text: do not cut it
        spans.append((at, at + len(tok.surface), tok))
        pos = at + len(tok.surface)
    return spans


def split_clauses(text: str, tokens: tuple[Token, ...]) -> list[Segment]:
    """Split at top-level commas (outside brackets and quotes) that end a clause, and give
    each segment its role."""
    inside = inside_brackets(text)
    spans = _token_spans(text, tokens)
    if spans is None:
        return [Segment(text, Role.MAIN)]
    segments: list[Segment] = []
    seg_start = 0
    seg: list[tuple[int, int, Token]] = []
    for a, b, tok in spans:
        if (
            tok.surface in COMMAS
            and not inside[a]
            and seg
            and not (text[a - 1 : a].isdigit() and text[b : b + 1].isdigit())  # 1万5,130円
        ):
            if _continues([t for _, _, t in seg]):
                # 東京、大阪、名古屋の3都市で… / 800ピクセルと、…より高い: the comma does not end
                # a clause; what comes before it belongs to the phrase after it.
                seg.append((a, b, tok))
                continue
            segments.append(_make_segment(text, seg_start, b, seg, inside, main=False))
            seg_start, seg = b, []
        else:
            seg.append((a, b, tok))
    segments.append(_make_segment(text, seg_start, len(text), seg, inside, main=True))
    return segments


def _make_segment(
    text: str, start: int, end: int, seg: list[tuple[int, int, Token]], inside: list[bool], main: bool
) -> Segment:
    seg_text = text[start:end]
    toks = [t for _, _, t in seg]
    lead = ""
    has_subject = has_topic = False
    subjects = 0
    nominal = True
    for a, b, tok in seg:
        if inside[a]:
            continue
        if tok.surface in ("は", "が") and tok.pos.startswith(("助詞-係助詞", "助詞-格助詞")):
            has_subject = True
            has_topic = has_topic or tok.surface == "は"
            subjects += 1
            if nominal and a > start and not lead:
                lead = text[start:b].lstrip(" \u3000")
            nominal = False
        elif not (tok.pos.startswith(_NOMINAL) or (tok.surface == "の" and tok.pos.startswith("助詞-格助詞"))):
            nominal = False
    if main:
        role = Role.MAIN
    elif not toks:
        role = Role.FIXED
    elif _dangling_subject(seg, inside):
        # 「…建設してきた 国務長官が記者会見で、…見解を示した」: the subject is the later
        # predicate's — who said it. Dropping its clause would hand the statement to whoever
        # else is left as the topic.
        role = Role.FIXED
    else:
        role = _role(seg_text, toks)
    content = [t for t in toks if t.surface not in COMMAS]
    return Segment(
        text=seg_text,
        role=role,
        lead=lead,
        has_subject=has_subject,
        has_topic=has_topic,
        subjects=subjects,
        attribution=bool(ATTRIBUTION_CLAUSE_END.search(seg_text) or ATTRIBUTION_IN_CLAUSE.search(seg_text)),
        date_only=bool(content) and _is_date(content),
        ends_with_date=bool(content) and _is_date(_final_phrase(content)),
        starts_with_number=bool(toks) and (toks[0].pos.startswith("名詞-数詞") or toks[0].surface[:1].isdigit()),
        continuative=bool(content) and _continuative(content[-1]),
        dependent=bool(toks) and toks[0].pos.startswith(("助詞", "助動詞", "接尾辞", "接続詞")),
    )


_PREDICATE = ("動詞", "形容詞", "助動詞", "形状詞")


def _dangling_subject(seg: list[tuple[int, int, Token]], inside: list[bool]) -> bool:
    """Whether the segment has a subject (…が, outside brackets) with no predicate after it in
    the segment: its predicate comes after the comma."""
    subject_at = -1
    for k, (a, _, tok) in enumerate(seg):
        if not inside[a] and tok.surface == "が" and tok.pos.startswith("助詞-格助詞"):
            subject_at = k
    if subject_at < 0:
        return False
    return not any(tok.pos.startswith(_PREDICATE) for a, _, tok in seg[subject_at + 1 :] if not inside[a])


def dangling_subjects(text: str, tokens: tuple[Token, ...]) -> list[str]:
    """The subjects (the nouns before …が) whose predicate lies beyond their clause's comma: who
    does or says what the rest of the sentence reports. A shortened sentence that keeps the
    predicate must keep them."""
    inside = inside_brackets(text)
    spans = _token_spans(text, tokens)
    if spans is None:
        return []
    out: list[str] = []
    segment: list[tuple[int, int, Token]] = []
    for a, b, tok in [*spans, (len(text), len(text), Token("、", "補助記号", "", "、"))]:
        if tok.surface in COMMAS and not inside[a]:
            if _dangling_subject(segment, inside):
                k = max(i for i, (x, _, t) in enumerate(segment) if not inside[x] and t.surface == "が" and t.pos.startswith("助詞-格助詞"))
                run = []
                for x, y, t in reversed(segment[:k]):
                    if not t.pos.startswith(("名詞", "接尾辞", "接頭辞")) and t.surface not in ("・", "＝"):
                        break
                    run.append(text[x:y])
                if run:
                    out.append("".join(reversed(run)))
            segment = []
        else:
            segment.append((a, b, tok))
    return out


def _continuative(tok: Token) -> bool:
    """…し、 …して、 …ており、: a verb in its continuative form, or the te-form."""
    if tok.pos.startswith(("動詞", "助動詞")) and tok.cform.startswith("連用形"):
        return True
    return tok.surface in ("て", "で") and tok.pos.startswith("助詞-接続助詞")


_NOMINAL = ("名詞", "接頭辞", "接尾辞", "代名詞", "補助記号", "記号")


def _is_date(toks: list[Token]) -> bool:
    """Whether the tokens are only a date or time: 「24日」 「同日午後」 「日本時間4日」."""
    return bool(toks) and all(
        t.pos.startswith("名詞-数詞")
        or "助数詞" in t.pos
        or t.lemma in _TIME_LEMMAS
        or t.surface in _TIME_LEMMAS
        # 日本時間, 現地時間, 米国時間: a place only as part of a time zone
        or (k + 1 < len(toks) and toks[k + 1].surface == "時間")
        for k, t in enumerate(toks)
    )


def _continues(toks: list[Token]) -> bool:
    """Whether a comma after these tokens is inside a phrase rather than after a clause: a
    bare noun (one member of a list, not a date), …たり / …など, or a conjunction (それに、)."""
    last = toks[-1]
    if last.surface in ("たり", "だり", "など", "や", "とか") and last.pos.startswith("助詞"):
        return True
    if last.pos.startswith("接続詞"):
        return True  # 「…クラブ、それに、…代表者、合わせて75人」: the list goes on
    return last.pos.startswith(("名詞", "接尾辞", "代名詞")) and not _is_date(_final_phrase(toks))


def _final_phrase(toks: list[Token]) -> list[Token]:
    """The tokens after the last comma or particle: the noun phrase a segment ends with."""
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].surface in COMMAS or toks[k].pos.startswith("助詞"):
            return toks[k + 1 :]
    return toks


def _role(seg_text: str, toks: list[Token]) -> str:
    last = toks[-1]
    if ATTRIBUTION_CLAUSE_END.search(seg_text) or ATTRIBUTION_IN_CLAUSE.search(seg_text):
        return Role.ANCHOR  # who says so matters: 「…によると、」 stays
    if last.surface == "は" and last.pos.startswith("助詞-係助詞"):
        return Role.ANCHOR  # the topic of the main clause
    if last.surface == "も" and last.pos.startswith("助詞-係助詞") and all(
        t.pos.startswith(_NOMINAL) or t.surface == "の" for t in toks[:-1]
    ):
        return Role.ANCHOR  # 「アナン事務総長も、」: a subject, like a topic
    if last.pos.startswith("助詞-格助詞"):
        if last.surface == "が":
            # A subject: of the next predicate, which need not be the main clause's
            # (「衝突が、…に達したと述べ、…を促した」), so nothing after it may go.
            return Role.FIXED
        if last.surface in ("と", "を"):
            # what is said (「…死去したと、大統領が発表した」) or what is acted on: without it
            # the rest says nothing
            return Role.FIXED
        return Role.DROPPABLE  # where, when, by what: 「…ランキングで、」 「東京から、」
    if (last.surface in CONDITIONALS and last.pos.startswith("助詞-接続助詞")) or last.cform.startswith("仮定形"):
        return Role.FIXED  # a condition: dropping it would turn "if A, B" into "B"
    if _is_date(toks):
        return Role.DROPPABLE  # a date or time: 14日、 同日午後、
    if _is_date(_final_phrase(toks)) and any(
        t.surface == "は" and t.pos.startswith("助詞-係助詞") for t in toks
    ):
        return Role.ANCHOR  # 「気象庁は同日、」: the topic and when, both of the main clause
    if last.pos1 in ("名詞", "接尾辞", "代名詞", "補助記号", "記号"):
        return Role.FIXED
    return Role.DROPPABLE  # subordinate or adverbial clause: …し、 …して、 …ので、 …も、


def last_top_level_comma(text: str) -> int:
    """Offset of the last comma outside brackets and quotes, or -1."""
    inside = inside_brackets(text)
    for k in range(len(text) - 1, -1, -1):
        if text[k] in COMMAS and not inside[k]:
            return k
    return -1


_PHRASE_HEADS = ("名詞", "代名詞", "動詞", "形容詞", "形状詞", "副詞", "連体詞", "接頭辞", "感動詞", "接続詞", "記号")
_PHRASE_NOMINAL = ("名詞", "代名詞", "接頭辞", "記号")
_FORMAL_NOUNS = frozenset("事 物 為 時 度 様 所 方 訳 筈 通り まま".split())
#: Nouns of time and extent that say nothing without the phrase and の before them (当分の間,
#: 雨のため, 試合の後): one phrase with it.
BOUND_NOUNS = frozenset("間 際 うち 内 頃 ころ 末 最中 前 後 中 ため 為 時 度 元 もと 下".split())


def _joins(prev: Token, tok: Token) -> bool:
    """Whether content word ``tok`` continues the phrase of ``prev`` rather than starting one."""
    if prev.pos.startswith(("接頭辞", "補助記号-括弧開")):
        return True
    if prev.surface in (".", "．", ",", "，") and tok.pos.startswith("名詞-数詞"):
        return True  # a decimal point or a thousands separator inside a number (2.1%)
    if prev.pos.startswith("接尾辞-名詞的") and tok.pos.startswith(_PHRASE_NOMINAL):
        return True  # a compound goes on after a suffix (中国製＋チキン, トヨタ自動車＋九州)
    if prev.surface == "の" and prev.pos.startswith("助詞-格助詞") and tok.pos.startswith("名詞") and tok.surface in BOUND_NOUNS:
        return True  # 当分の＋間 (当分の|間延期 -> を間延期)
    if prev.surface in ("%", "％") and tok.pos.startswith(_PHRASE_NOMINAL):
        return True  # a percentage with what follows it (2.1%減)
    if prev.pos.startswith(_PHRASE_NOMINAL) and tok.pos.startswith("動詞") and tok.lemma in ("為る", "出来る"):
        return True  # a サ変 noun with its する (発表＋している)
    if tok.pos.startswith(("動詞-非自立可能", "形容詞-非自立可能", "形状詞-助動詞語幹")):
        # して＋いる, 行け＋そう, 食べ＋すぎる; not 女性を＋見る
        return prev.pos.startswith(("動詞", "形容詞")) or (prev.surface in ("て", "で") and prev.pos.startswith("助詞-接続助詞"))
    if tok.pos.startswith("名詞") and (prev.cform or "").startswith("連体形") and (
        tok.pos.startswith("名詞-普通名詞-副詞可能") or tok.lemma in _FORMAL_NOUNS
    ):
        return True  # 見る＋度, 行う＋こと: a formal noun belongs to its clause
    if prev.pos.startswith(_PHRASE_NOMINAL) or prev.pos.startswith("形状詞") and not prev.pos.startswith("形状詞-助動詞語幹"):
        # a compound (世界＋遺産, 特別＋市), a number with its unit
        return tok.pos.startswith(_PHRASE_NOMINAL)
    return False


#: Verbs that make a compound particle with the に or を before them (3週間にわたって, 件に対して,
#: 買収によって, 問題をめぐって).
BOUND_VERBS = frozenset(
    ("因る", "付く", "つく", "関する", "於く", "通じる", "基づく", "向ける", "巡る", "際する", "伴う", "沿う", "渡る", "対する", "就く", "当たる", "掛ける")
)
_RANGE_MARKS = ("~", "〜", "～")


def _bound(spans: list[tuple[int, int, Token]]) -> set[int]:
    """Offsets inside :func:`phrase_starts`' phrases where no phrase may begin: a compound
    particle's verb (3週間に＋わたって) and anything inside a range (大垣駅(岐阜県)~東京駅間, 東京駅~
    豊橋駅(愛知県)間): a deletion there leaves a piece (東京駅間, 窓口で間指定席券)."""
    out: set[int] = set()
    toks = [t for _, _, t in spans]
    for i in range(1, len(spans)):
        t, prev = toks[i], toks[i - 1]
        if t.lemma in BOUND_VERBS and prev.surface in ("に", "を") and prev.pos.startswith("助詞-格助詞"):
            out.add(spans[i][0])
        if t.surface in _RANGE_MARKS and i + 1 < len(spans) and toks[i + 1].pos.startswith(("名詞", "接頭辞")):
            first = i - 1
            if toks[first].surface in (")", "）"):  # a note on the first end (大垣駅(岐阜県)~)
                first = next((j - 1 for j in range(first, 0, -1) if toks[j].surface in ("(", "（")), first)
            while first > 0 and toks[first - 1].pos.startswith(("名詞", "接尾辞", "接頭辞")):
                first -= 1
            last, j = i + 1, i + 2
            while j < len(spans):
                if toks[j].surface in ("(", "（"):  # a note on the second end, if a suffix follows
                    close = next((c for c in range(j, len(spans)) if toks[c].surface in (")", "）")), None)
                    if close is None or close + 1 >= len(spans) or not toks[close + 1].pos.startswith("接尾辞"):
                        break
                    j = close + 1
                elif not toks[j].pos.startswith(("名詞", "接尾辞")):
                    break
                last, j = j, j + 1
            out |= {a for a, _, _ in spans[first + 1 : last + 1]}
    return out


def phrase_starts(text: str, tokens: tuple[Token, ...]) -> tuple[int, ...]:
    """Character offsets in ``text`` where a phrase (文節: a content word with the particles
    and auxiliaries after it) begins, plus ``len(text)``. Deleting whole phrases cannot cut a
    word or leave its particle on another word (女性を…何が -> 女性が); () when the analysis
    does not line up with the text. Compound nouns, a サ変 noun with its する and a て-form with
    its auxiliary verb (して＋いる) stay one phrase; an opening bracket begins one."""
    spans = _token_spans(text, tokens)
    if spans is None:
        return ()
    starts = [0]
    note = 0  # depth inside a note in parentheses that follows a noun
    for (_, _, prev), (at, _, tok) in zip(spans, spans[1:]):
        if note:
            # a note right after a noun (10月16日（日）から, 夏美さん（仮名・36歳）は) goes whole or
            # stays whole; what follows it begins a phrase
            note += tok.surface in ("（", "(")
            note -= tok.surface in ("）", ")")
            if not note and (at + len(tok.surface)) < len(text):
                starts.append(at + len(tok.surface))
        elif tok.surface in ("（", "(") and prev.pos.startswith((*_PHRASE_NOMINAL, "接尾辞")):
            note = 1
            starts.append(at)
        elif tok.pos.startswith("補助記号-括弧開"):
            if not prev.pos.startswith("補助記号-括弧開"):
                starts.append(at)  # a quotation or a title begins a phrase of its own
        elif tok.pos.startswith(_PHRASE_HEADS) and not _joins(prev, tok):
            starts.append(at)
    starts.append(len(text))
    bound = _bound(spans)
    return tuple(sorted(set(starts) - bound))


#: Words whose phrase a deletion must keep: attributions and hedges.
_MUST_STAY = re.compile("|".join(map(re.escape, (*HEDGES, *ATTRIBUTIONS))))
#: Scopes of phrases after a kept phrase are counted apart (see :func:`phrase_units`).
_SEGMENT = 1 << 20
#: Scopes of phrases inside a quotation, one each (see :func:`phrase_units`).
_QUOTED = 1 << 40


def phrase_units(
    text: str, tokens: tuple[Token, ...], keep: Sequence[tuple[int, int]] = (), heads: Sequence[tuple[int, int]] = (),
    modifies: Sequence[tuple[int, int]] = (), needs: Sequence[tuple[int, int]] = (),
) -> tuple[tuple[int, int, bool, int, int, bool, int], ...]:
    """:func:`phrase_starts` with each start's scope. A deletion goes from one phrase start to
    another of the same scope, so the scope says what it may not cross: a pair of brackets (a
    quotation or a note is deleted whole or not at all: 「小旅行に…と話してくれた cannot lose its
    」) and a phrase that must stay — an attribution or a hedge outside brackets (朝日新聞によると、,
    予定, 容疑, という), or one that overlaps a span of ``keep`` (the sentence's subject, its last predicate's
    subjects and objects): a phrase
    after one begins a new scope, so no deletion reaches across it, and it is written whole once
    begun. ``heads`` are (where a phrase hands over to a predicate, where that predicate begins)
    pairs, ``modifies`` (where a modifier ends, where the last word of its noun phrase begins)
    pairs (:class:`kiku.check.DeletionGuide`). Each unit is (offset, scope, whether it must
    stay, where the predicate it hands over to begins or -1, where the last word of the noun
    phrase it modifies begins — or, for a phrase that ends in a bare noun, where the next one
    begins — or -1: the next phrase written must begin by then, whether a deletion may end
    there: not at a note in parentheses that follows a noun, which would stand without it, and
    — for a subject or an object, from ``needs`` pairs like ``heads`` — where the predicate
    begins that a line deleting it must delete too, or -1)."""
    starts = phrase_starts(text, tokens)
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for k, ch in enumerate(text):
        if ch in ALL_BRACKETS:
            stack.append((ALL_BRACKETS[ch], k))
        elif stack and ch == stack[-1][0]:
            pairs.append((stack.pop()[1], k))

    def brackets(offset: int) -> int:
        inner = max((a for a, b in pairs if a < offset <= b), default=-1)
        if inner >= 0 and any(text[a] in "「『" for a, b in pairs if a < offset <= b):
            # inside a quotation (or a title) each phrase is a scope of its own: someone's
            # words are quoted whole or not at all (肉体的、技術的、選手を選ぶ was not said)
            return _QUOTED + offset
        return inner + 1

    kept = [m.span() for m in _MUST_STAY.finditer(text) if not brackets(m.start() + 1)] + list(keep)
    # where each phrase's last token is a bare noun (片山さん|自身の…): no deletion may follow it,
    # or it would run into the next word kept (片山さん関係者), save a note in parentheses
    # (平和市民公園(大分市)内 -> 平和市民公園内)
    spans = _token_spans(text, tokens) or []
    # (and a middle dot: J2リーグ・|横浜FCに -> J2リーグ・移籍)
    bare = {b for a, b, t in spans if t.pos.startswith(("名詞", "接尾辞")) or t.surface in ("・", "＝", "=")}
    # and a と before a word (車道と|歩道を… -> 車道と手すり; 整備すると|ともに、… -> 整備すると改修)
    bare |= {
        b for (a, b, t), (_, _, nxt) in zip(spans, spans[1:])
        if t.surface == "と" and t.pos.startswith("助詞") and (nxt.pos.startswith(("名詞", "接頭辞", "形状詞")) or nxt.surface in ("ともに", "共に"))
    }
    ends = starts[1:] + (len(text) + 1,)
    units, segment = [], 0
    note_of_noun = -1  # the start of a note in parentheses right after a bare noun
    for i, (start, end) in enumerate(zip(starts, ends)):
        must = any(a < end and start < b for a, b in kept)
        head = min((h for a, h in heads if start < a <= end and h >= end), default=-1)
        noun = min((b for a, b in modifies if a == end and b >= end), default=-1)
        note = end < len(text) and text[end] in "（(" and i + 1 < len(ends) and text[ends[i + 1] - 1 : ends[i + 1]] in "）)"
        if noun < 0 and end in bare and end < len(text):
            noun = end
            if note and ends[i + 1] < len(text):
                noun = ends[i + 1]
                note_of_noun = end
        elif end < len(text) and text[end] in "（(" and text[end - 1] in "」』":
            note_of_noun = end  # 「ARROWS A 101F」（富士通製）: the note is the name's
        # a phrase that begins with a particle (after a note: 前知事(65歳)|を) is its word's
        lands = not any(a == start and t.pos.startswith(("助詞", "助動詞")) for a, _, t in spans)
        if start == note_of_noun:
            # the note itself: written only with its word, and the word's phrase goes on after
            # it (佐々木主浩(かづひろ)氏の記録 -> (かづひろ)記録; 7月30日(UTC+9)あり、…への移行 ->
            # (UTC+9)移行)
            lands = False
            if noun < 0 and end < len(text):
                noun = end
        need = min((h for a, h in needs if start < a <= end and h >= end), default=-1)
        units.append((start, brackets(start) + _SEGMENT * segment, must, head, noun, lands, need))
        segment += must
    return tuple(units)
