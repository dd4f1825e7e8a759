"""Shaping a source sentence into a ✅ bullet.

A bullet is the sentence as the article wrote it, made to stand alone and fit the length limit:
a leading connective (また、しかし、…) is dropped, it ends in 。, and a sentence that is too long is
shortened by removing parentheticals, then whole subordinate or adverbial clauses at clause
boundaries. Nothing is ever added or reworded, and no word is cut: every bullet is a
subsequence of its source sentence's clauses, so it cannot state what the article does not.
Clauses whose removal could change what the rest says are kept: conditions (…ば、…なら、),
subjects and topics (…は、…が、), attributions (…によると、) and members of lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text import Tagger
from pipeline.types import Token

_CONNECTIVE = re.compile(
    r"^(?:また|一方(?:で)?|しかし(?:ながら)?|そして|さらに(?:は)?|更に(?:は)?|なお|ただ(?:し)?|だが|でも|ところが|"
    r"それでも|加えて|もっとも|とはいえ|そのうえ|その上|ちなみに|実は|結局|つまり|要するに|"
    r"他方|同時に|しかも|けれども|そこで|このため|そのため|その結果|これにより|これを受けて|"
    r"次に|まず|最後に|特に|とくに|現在|今回)[、，,]\s*"
)
# List and heading marks that open a line: ●EFレンズ…, ・…, ■…
_LIST_MARK = re.compile(r"^[・●○■□◆◇▼▽▲△★☆◎※\-－―＊*]+\s*")
# Openings that point back to the previous sentence: the bullet would not stand alone.
_ANAPHORA = re.compile(
    r"^(?:この|その|これ|それ|あの|あれ|こう|そう|こちら|そちら|こうした|そうした|"
    r"同(?:社|氏|党|省|庁|局|市|県|府|町|村|国|大|校|団体|グループ|チーム|選手|監督|容疑者|被告|日|紙|誌|作|店|機|局)|"
    r"彼ら?|彼女|両者|両氏|両国|前者|後者|先述|上記|前述)"
)
# Brackets that hold asides. ［…］ and […] are not among them: they usually hold names and labels.
_REMOVABLE_BRACKETS = {"（": "）", "(": ")", "【": "】", "〔": "〕"}
_ALL_BRACKETS = {
    **_REMOVABLE_BRACKETS, "［": "］", "[": "]", "「": "」", "『": "』", "〈": "〉", "《": "》", "“": "”",
}
_COMMAS = frozenset("、，,")
_TIME_LEMMAS = frozenset(
    "年 月 日 時 分 秒 頃 ごろ 午前 午後 同日 今日 昨日 明日 本日 当日 今月 先月 来月 今年 昨年 "
    "去年 来年 今週 先週 来週 週 曜日 朝 夜 夕方 未明 深夜 早朝 未明 今回 時間 時点 "
    "現在 以降 前後 中旬 上旬 下旬 末 初め 月曜 火曜 水曜 木曜 金曜 土曜 日曜 に から まで の 、 ".split()
)
_CONDITIONAL = frozenset({"ば", "と", "たら", "なら", "ならば", "れば"})
_ATTRIBUTION = re.compile(r"(?:によると|によれば|の話では|の調べでは|の発表では|では)[、，,]$")
_ATTRIBUTION_INSIDE = re.compile(r"によると|によれば|の話では|の調べでは|の発表では|によって明らかに")


# Conjunctions that may open a sentence without a comma (「またパナソニックは…」). Some are also
# adverbs (「また来る」 = "again"), so the tagger decides.
_BARE_CONJUNCTION = re.compile(r"^(?:また|さらに|更に|しかし|なお|ただし|そして|一方|だが|でも|しかも|ところが|つまり|すると)")


def strip_connective(text: str, tagger: Tagger | None = None) -> str:
    """Drop a leading connective: always with its comma (また、), and without one when the
    tagger says the word is a conjunction."""
    out = _CONNECTIVE.sub("", text, count=1)
    if out == text and tagger is not None and _BARE_CONJUNCTION.match(text):
        first = tagger.tokens(text)[:1]
        if first and first[0].pos.startswith("接続詞") and text.startswith(first[0].surface):
            out = text[len(first[0].surface) :].lstrip(" \u3000、，,")
    return out


def is_anaphoric(text: str) -> bool:
    """Whether the sentence opens, after any connective, by pointing back (この, 同社は, …)."""
    text = strip_connective(text)
    if _ANAPHORA.match(text):
        return True
    bare = _BARE_CONJUNCTION.match(text)
    return bare is not None and _ANAPHORA.match(text[bare.end() :].lstrip("、，, \u3000")) is not None


_QUESTION_END = re.compile(r"(?:[？?]|(?:の|だろう|あろう|でしょう|ません|ないの)か)[—―ー…‥・。\s\u3000]*$")


def is_question(text: str) -> bool:
    """A question, or a rhetorical one (「一体何があったのか——。」): not a statement."""
    return _QUESTION_END.search(text[-16:]) is not None  # the end is enough, and cheap


def is_quotation(text: str) -> bool:
    """A sentence that is mostly direct speech: 「……」 with little or nothing around it."""
    if not text.startswith(("「", "『")):
        return False
    close = text.find("」" if text[0] == "「" else "』")
    return close == -1 or close + 1 >= 0.7 * len(text)


def _finish(text: str) -> str | None:
    """Make ``text`` a sentence that ends in 。; None for a question (not a statement)."""
    text = text.strip(" \t\u3000")
    text = re.sub(r"[！!]+$", "。", text)
    text = re.sub(r"[。．.]+$", "。", text)
    if not text or is_question(text):
        return None
    if text.endswith(("、", "，", ",", "・")):
        return None  # a sentence cut by a line break (the rest is on the next line): not one
    if text.endswith("…") or text.endswith("‥"):
        return text + "。"
    if not text.endswith("。"):
        text += "。"
    return text


def _bracket_spans(text: str, openers: dict[str, str]) -> list[tuple[int, int]]:
    """Top-level spans of the given bracket pairs (an opener that is never closed is ignored)."""
    spans = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in openers:
            close = openers[ch]
            depth = 0
            for j in range(i, n):
                c = text[j]
                if c == ch:
                    depth += 1
                elif c == close:
                    depth -= 1
                    if depth == 0:
                        spans.append((i, j + 1))
                        i = j + 1
                        break
            else:
                i += 1
            continue
        i += 1
    return spans


def _removable_parentheticals(text: str) -> list[tuple[int, int]]:
    """Asides that may go: （…）, 【…】, … outside quotes, not the whole sentence, and not part
    of a name written in Latin letters (``Blow Up (Lite)``)."""
    quoted = _bracket_spans(text, {"「": "」", "『": "』"})
    out = []
    for a, b in _bracket_spans(text, _REMOVABLE_BRACKETS):
        if a == 0 and b >= len(text):
            continue
        if any(qa < a < qb for qa, qb in quoted):
            continue
        if a > 0 and (text[a - 1] == " " or (text[a - 1].isascii() and text[a - 1].isalnum())):
            continue
        if a > 0 and text[a - 1] in "」』" and len(text[b:].strip("。 \u3000")) == 0:
            continue  # 「…」（雅子さん／33歳） at the end: who said it
        out.append((a, b))
    return out


def _remove_parentheticals(text: str, limit: int) -> str:
    """Remove asides, longest first, until the text fits (or none is left)."""
    while len(text) > limit:
        spans = _removable_parentheticals(text)
        if not spans:
            break
        a, b = max(spans, key=lambda s: (s[1] - s[0], -s[0]))
        text = text[:a] + text[b:]
    return text


class _Role:
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
class _Segment:
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


def _segments(text: str, tokens: tuple[Token, ...]) -> list[_Segment]:
    """Split at top-level commas (outside brackets and quotes) that end a clause, and give
    each segment its role."""
    inside = [False] * (len(text) + 1)
    for a, b in _bracket_spans(text, _ALL_BRACKETS):
        for k in range(a + 1, b):
            inside[k] = True
    spans = _token_spans(text, tokens)
    if spans is None:
        return [_Segment(text, _Role.MAIN)]
    segments: list[_Segment] = []
    seg_start = 0
    seg: list[tuple[int, int, Token]] = []
    for a, b, tok in spans:
        if (
            tok.surface in _COMMAS
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
) -> _Segment:
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
        role = _Role.MAIN
    elif not toks:
        role = _Role.FIXED
    else:
        role = _role(seg_text, toks)
    content = [t for t in toks if t.surface not in _COMMAS]
    return _Segment(
        text=seg_text,
        role=role,
        lead=lead,
        has_subject=has_subject,
        has_topic=has_topic,
        subjects=subjects,
        attribution=bool(_ATTRIBUTION.search(seg_text) or _ATTRIBUTION_INSIDE.search(seg_text)),
        date_only=bool(content) and _is_date(content),
        ends_with_date=bool(content) and _is_date(_final_phrase(content)),
        starts_with_number=bool(toks) and (toks[0].pos.startswith("名詞-数詞") or toks[0].surface[:1].isdigit()),
        continuative=bool(content) and _continuative(content[-1]),
        dependent=bool(toks) and toks[0].pos.startswith(("助詞", "助動詞", "接尾辞", "接続詞")),
    )


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
        if toks[k].surface in _COMMAS or toks[k].pos.startswith("助詞"):
            return toks[k + 1 :]
    return toks


def _role(seg_text: str, toks: list[Token]) -> str:
    last = toks[-1]
    if _ATTRIBUTION.search(seg_text) or _ATTRIBUTION_INSIDE.search(seg_text):
        return _Role.ANCHOR  # who says so matters: 「…によると、」 stays
    if last.surface == "は" and last.pos.startswith("助詞-係助詞"):
        return _Role.ANCHOR  # the topic of the main clause
    if last.surface == "も" and last.pos.startswith("助詞-係助詞") and all(
        t.pos.startswith(_NOMINAL) or t.surface == "の" for t in toks[:-1]
    ):
        return _Role.ANCHOR  # 「アナン事務総長も、」: a subject, like a topic
    if last.pos.startswith("助詞-格助詞"):
        if last.surface == "が":
            # A subject: of the next predicate, which need not be the main clause's
            # (「衝突が、…に達したと述べ、…を促した」), so nothing after it may go.
            return _Role.FIXED
        if last.surface in ("と", "を"):
            # what is said (「…死去したと、大統領が発表した」) or what is acted on: without it
            # the rest says nothing
            return _Role.FIXED
        return _Role.DROPPABLE  # where, when, by what: 「…ランキングで、」 「東京から、」
    if (last.surface in _CONDITIONAL and last.pos.startswith("助詞-接続助詞")) or last.cform.startswith("仮定形"):
        return _Role.FIXED  # a condition: dropping it would turn "if A, B" into "B"
    if _is_date(toks):
        return _Role.DROPPABLE  # a date or time: 14日、 同日午後、
    if _is_date(_final_phrase(toks)) and any(
        t.surface == "は" and t.pos.startswith("助詞-係助詞") for t in toks
    ):
        return _Role.ANCHOR  # 「気象庁は同日、」: the topic and when, both of the main clause
    if last.pos1 in ("名詞", "接尾辞", "代名詞", "補助記号", "記号"):
        return _Role.FIXED
    return _Role.DROPPABLE  # subordinate or adverbial clause: …し、 …して、 …ので、 …も、


def _last_top_level_comma(text: str) -> int:
    """Offset of the last comma outside brackets and quotes, or -1."""
    inside = set()
    for a, b in _bracket_spans(text, _ALL_BRACKETS):
        inside.update(range(a + 1, b))
    for k in range(len(text) - 1, -1, -1):
        if text[k] in _COMMAS and k not in inside:
            return k
    return -1


def compress(text: str, limit: int, tagger: Tagger) -> str:
    """Remove subordinate clauses from the front until ``text`` fits.

    Japanese modifiers come before what they modify, so a clause can only be removed together
    with every clause before it that is not a topic or an attribution (those attach to the
    main clause): otherwise a kept clause would be left modifying nothing. A condition cannot
    be removed, nor anything after it. A continuative clause (…し、) shares its topic or subject
    with what follows: that phrase is kept when the clause goes, and a clause whose subject
    cannot be kept this way stays. Returns ``text`` unchanged when it cannot be made to fit.
    """
    if len(text) <= limit:
        return text
    if len(text) - _last_top_level_comma(text) - 1 > limit:
        return text  # the main clause alone is too long: no need to analyse the sentence
    segments = _segments(text, tagger.tokens(text))
    main = segments[-1]

    def assemble() -> str:
        kept = "".join(dropped.get(k, s.text) for k, s in enumerate(segments))
        return strip_connective(kept.lstrip(" \u3000"))

    # A date or time on its own (「24日、」) modifies nothing that could be stranded: it goes
    # first, wherever it is, unless it is one of a list of dates (「3月25日、26日、…」).
    dropped: dict[int, str] = {  # removed segment -> the phrase kept in its place
        i: ""
        for i, s in enumerate(segments[:-1])
        if s.date_only
        and not segments[i + 1].starts_with_number
        and not (i > 0 and segments[i - 1].ends_with_date)
    }
    if dropped and len(assemble()) <= limit:
        return assemble()
    for i, seg in enumerate(segments[:-1]):
        if seg.role == _Role.FIXED or segments[i + 1].dependent:
            break
        if i > 0 and segments[i - 1].ends_with_date and seg.starts_with_number:
            break  # 「3月25日、26日、27日の…」: one of a list of dates
        if seg.role == _Role.ANCHOR:
            continue
        if i > 0 and segments[i - 1].text.endswith(("のは、", "のは，")):
            break  # 「…のは、Xで、…」: X is what the clause before it is about
        kept_topics = [
            k
            for k in range(len(segments) - 1)
            if k != i and k not in dropped and segments[k].has_topic and not segments[k].attribution
        ]
        topic_before = any(k < i for k in kept_topics)
        if topic_before and main.has_subject and not main.has_topic:
            # 「今年のテーマは、Xとして開催され、70ブランドが出展し…」: whether the topic
            # belonged to the clause that would go or to the main clause cannot be told
            break
        following = next((k for k in range(i + 1, len(segments)) if k not in dropped), None)
        starts_frame = following is not None and segments[following].attribution
        # 「女性は」 + 「同地裁は…」 would stack two topics
        next_topic = following is not None and segments[following].lead.endswith("は")
        keep = ""
        if seg.lead.endswith("は") and not (main.has_topic or next_topic or starts_frame):
            # 「AはXし、Yした」 「オリンパスは8日に、…と発表した」: A is what the sentence is
            # about, so it stays when its clause goes.
            keep = seg.lead
        elif seg.continuative and seg.has_subject:
            # A continuative clause (…し、) shares its subject with the clause after it.
            if not seg.lead or seg.lead.endswith("は") or starts_frame:
                # no plain phrase to keep, a は that may be contrastive (「主人公は、昼間は
                # Xし、夜はY」), or a new 「…によると、」 after it: the subjects may differ,
                # so the clause stays
                break
            if not (main.has_subject or kept_topics) and seg.subjects == 1:
                # 「副社長が会見し、…発表した」: the subject of both. Not when the clause has
                # another は or が (「学生が延期できるのは26歳までであり、」): then the が
                # belongs to an embedded clause.
                keep = seg.lead
        dropped[i] = keep
        if main.has_topic:
            # The main clause has its own topic, so a topic before this clause (「ヴァイオリンは、
            # …としているが、同校は…」) was this clause's: it goes with it.
            for k in range(i):
                if segments[k].role == _Role.ANCHOR and not segments[k].attribution:
                    dropped[k] = ""
        candidate = assemble()
        if len(candidate) <= limit:
            return candidate
    return text


def _quote_sentence_ends(text: str, a: int, b: int) -> list[int]:
    """Offsets just after each sentence end (。！？) directly inside the quote text[a:b]."""
    ends = []
    depth = 0
    for k in range(a + 1, b - 1):
        ch = text[k]
        if ch in _ALL_BRACKETS:
            depth += 1
        elif ch in _ALL_BRACKETS.values():
            depth -= 1
        elif depth == 0 and ch in "。！？!?" and text[k + 1] not in "。！？!?":
            ends.append(k + 1)
    return ends


def trim_quotes(text: str, limit: int) -> str:
    """Shorten long quotations to their first sentences until ``text`` fits:
    「A。B。C。」と語った -> 「A。」と語った. The words kept are the speaker's own, in order; a
    quote is never cut inside a sentence."""
    while len(text) > limit:
        best = None
        for a, b in _bracket_spans(text, {"「": "」", "『": "』"}):
            ends = [e for e in _quote_sentence_ends(text, a, b) if e < b - 1]
            if ends and (best is None or b - a > best[1] - best[0]):
                best = (a, b, ends)
        if best is None:
            break
        a, b, ends = best
        # Keep as many of the quote's sentences as fit; at least the first.
        room = limit - (len(text) - (b - a))
        keep = ends[0]
        for e in ends:
            if (e - a) + 1 <= room:
                keep = e
        # 「A。」 is written 「A」: the quote's last 。 goes with the sentences after it.
        cut = keep - 1 if text[keep - 1] == "。" else keep
        text = text[:cut] + text[b - 1 :]
    return text


def shape(text: str, max_chars: int, tagger: Tagger, min_chars: int = 15) -> str | None:
    """The bullet for one source sentence, or None when it cannot be a good bullet: a
    question, or a sentence that cannot be brought within ``max_chars`` while keeping at least
    ``min_chars`` characters and a quarter of its text (a bullet like 「大統領は言った。」 says
    nothing)."""
    text = strip_connective(_LIST_MARK.sub("", text.strip(" \t\u3000")), tagger)
    finished = _finish(text)
    if finished is None:
        return None
    if len(finished) <= max_chars:
        return finished
    # Work on the text without its final 。 (added back by _finish) so clauses are measured
    # against the room left for them.
    body = finished[:-1]
    room = max_chars - 1
    body = _remove_parentheticals(body, room)
    body = compress(body, room, tagger)
    if len(body) > room:
        body = compress(trim_quotes(body, room), room, tagger)
    result = _finish(body)
    if result is None or len(result) > max_chars:
        return None
    if len(result) < max(min_chars, len(finished) // 4):
        return None
    if is_anaphoric(result) and not is_anaphoric(text):
        return None  # shortening left it opening with 「それが…」: it no longer stands alone
    return result


def derived_from(bullet: str, source: str) -> bool:
    """True when ``bullet`` is ``source`` with parts removed (and a final 。 possibly added or
    put in place of ！): the invariant of every extractive bullet. Compared after NFKC."""
    from pipeline.text import normalize

    text = normalize(bullet).rstrip("。.")
    src = normalize(source)
    pos = 0
    for ch in text:
        pos = src.find(ch, pos)
        if pos == -1:
            return False
        pos += 1
    return True
