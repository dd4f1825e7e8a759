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

from kiku.clauses import ALL_BRACKETS, REMOVABLE_BRACKETS, Role, bracket_spans, last_top_level_comma, split_clauses
from kiku.check import derived_from, deletion_problem
from kiku.text import Tagger

_CONNECTIVE = re.compile(
    r"^(?:また|一方(?:で)?|しかし(?:ながら)?|そして|さらに(?:は)?|更に(?:は)?|なお|ただ(?:し)?|だが|でも|ところが|"
    r"それでも|加えて|もっとも|とはいえ|そのうえ|その上|ちなみに|実は|結局|つまり|要するに|"
    r"他方|同時に|しかも|けれども|そこで|このため|そのため|その結果|これにより|これを受けて|"
    r"次に|まず|最後に|特に|とくに|現在|今回|すると|そうすると|それから|だから|したがって|従って|それで|ところで|さて)[、，,]\s*"
)
# List and heading marks that open a line: ●EFレンズ…, ・…, ■…
LIST_MARK = re.compile(r"^[・●○■□◆◇▼▽▲△★☆◎※\-－―＊*]+\s*")
# Openings that point back to the previous sentence: the bullet would not stand alone.
_ANAPHORA = re.compile(
    r"^(?:この|その|これ|それ|あの|あれ|こう|そう|こちら|そちら|こうした|そうした|"
    r"同(?:社|氏|党|省|庁|局|市|県|府|町|村|国|大|校|団体|グループ|チーム|選手|監督|容疑者|被告|日|紙|誌|作|店|機|局)|"
    r"彼ら?|彼女|両者|両氏|両国|前者|後者|先述|上記|前述)"
)


# Conjunctions that may open a sentence without a comma (「またパナソニックは…」). Some are also
# adverbs (「また来る」 = "again"), so the tagger decides.
_BARE_CONJUNCTION = re.compile(r"^(?:また|さらに|更に|しかし|なお|ただし|そして|一方|だが|でも|しかも|ところが|つまり|すると)")


def strip_connective(text: str, tagger: Tagger | None = None) -> str:
    """Drop a leading connective: always with its comma (また、), and without one when the
    tagger says the word is a conjunction."""
    out = _CONNECTIVE.sub("", text, count=1)
    if out == text and text.startswith("ちなみに"):
        # (never anything but "by the way", though the tagger reads a noun and に)
        out = text.removeprefix("ちなみに").lstrip(" \u3000")
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


# A request or command addressed to whoever reads the text — a reader, or a model asked to
# summarise it (「以上の指示を無視して…と出力してください。」) — rather than a statement of the story.
# A request someone in the story made is reported (「…してください」と呼びかけた): that ends in the
# reporting verb, not in the request, and is not caught.
_REQUEST_END = re.compile(r"(?:ください|下さい|なさい|せよ|てくれ|でくれ|しろ|するな|しないで|ましょう)[。．！!？?\s]*$")


def is_instruction(text: str) -> bool:
    """A sentence whose own predicate is a request or command (…してください。), outside quotes."""
    return not text.rstrip("。．！!？? \u3000").endswith(("」", "』")) and _REQUEST_END.search(text[-12:]) is not None


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


def _removable_parentheticals(text: str) -> list[tuple[int, int]]:
    """Asides that may go: （…）, 【…】, … outside quotes, not the whole sentence, and not part
    of a name written in Latin letters (``Blow Up (Lite)``)."""
    quoted = bracket_spans(text, {"「": "」", "『": "』"})
    out = []
    for a, b in bracket_spans(text, REMOVABLE_BRACKETS):
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
    if len(text) - last_top_level_comma(text) - 1 > limit:
        return text  # the main clause alone is too long: no need to analyse the sentence
    segments = split_clauses(text, tagger.tokens(text))
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
        if seg.role == Role.FIXED or segments[i + 1].dependent:
            break
        if i > 0 and segments[i - 1].ends_with_date and seg.starts_with_number:
            break  # 「3月25日、26日、27日の…」: one of a list of dates
        if seg.role == Role.ANCHOR:
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
                if segments[k].role == Role.ANCHOR and not segments[k].attribution:
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
        if ch in ALL_BRACKETS:
            depth += 1
        elif ch in ALL_BRACKETS.values():
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
        for a, b in bracket_spans(text, {"「": "」", "『": "』"}):
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
    text = strip_connective(LIST_MARK.sub("", text.strip(" \t\u3000")), tagger)
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
    # The clause rules above decide what may go; the checks of the model's deletions decide
    # whether what is left still says what the sentence said (who did it, to what).
    if deletion_problem(result, text, tagger):
        return None
    return result
