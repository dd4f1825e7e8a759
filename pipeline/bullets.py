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
from itertools import combinations

from pipeline.text import Tagger
from pipeline.types import Token

_CONNECTIVE = re.compile(
    r"^(?:また|一方(?:で)?|しかし(?:ながら)?|そして|さらに|なお|ただ(?:し)?|だが|でも|ところが|"
    r"それでも|加えて|もっとも|とはいえ|そのうえ|その上|ちなみに|実は|結局|つまり|要するに|"
    r"他方|同時に|しかも|けれども|そこで|このため|そのため|その結果|これにより|これを受けて|"
    r"次に|まず|最後に|特に|とくに|現在|今回)[、，,]\s*"
)
# Openings that point back to the previous sentence: the bullet would not stand alone.
# List and heading marks that open a line: ●EFレンズ…, ・…, ■…
_LIST_MARK = re.compile(r"^[・●○■□◆◇▼▽▲△★☆◎※\-－―＊*]+\s*")
_ANAPHORA = re.compile(
    r"^(?:この|その|これ|それ|あの|あれ|こう|そう|こちら|そちら|こうした|そうした|"
    r"同(?:社|氏|党|省|庁|局|市|県|府|町|村|国|大|校|団体|グループ|チーム|選手|監督|容疑者|被告|日|紙|誌|作|店|機|局)|"
    r"彼ら?|彼女|両者|両氏|両国|前者|後者|先述|上記|前述)"
)
_REMOVABLE_BRACKETS = {"（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］", "[": "]"}
_ALL_BRACKETS = {**_REMOVABLE_BRACKETS, "「": "」", "『": "』", "〈": "〉", "《": "》", "“": "”"}
_COMMAS = frozenset("、，,")
_TIME_LEMMAS = frozenset(
    "年 月 日 時 分 秒 頃 ごろ 午前 午後 同日 今日 昨日 明日 本日 当日 今月 先月 来月 今年 昨年 "
    "去年 来年 今週 先週 来週 週 曜日 朝 夜 夕方 未明 深夜 早朝 未明 今回 現地 時間 日本 時点 "
    "現在 以降 前後 中旬 上旬 下旬 末 初め 月曜 火曜 水曜 木曜 金曜 土曜 日曜 に から まで の 、 ".split()
)
_CONDITIONAL = frozenset({"ば", "と", "たら", "なら", "ならば", "れば"})
_ATTRIBUTION = re.compile(r"(?:によると|によれば|の話では|の調べでは|の発表では|では)[、，,]$")


def strip_connective(text: str) -> str:
    return _CONNECTIVE.sub("", text, count=1)


def is_anaphoric(text: str) -> bool:
    return _ANAPHORA.match(strip_connective(text)) is not None


def is_question(text: str) -> bool:
    return text.rstrip(" \u3000").endswith(("？", "?"))


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
    if text.endswith("…") or text.endswith("‥"):
        return text + "。"
    if not text.endswith("。"):
        text += "。"
    return text


def _bracket_spans(text: str, openers: dict[str, str]) -> list[tuple[int, int]]:
    """Top-level spans of the given bracket pairs (unbalanced ones are ignored)."""
    spans = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in openers:
            depth, j = 0, i
            close = openers[ch]
            while j < len(text):
                if text[j] == ch:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j < len(text):
                spans.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return spans


def _remove_parentheticals(text: str, limit: int) -> str:
    """Remove asides in （）, 【】, … — longest first — until the text fits."""
    spans = _bracket_spans(text, _REMOVABLE_BRACKETS)
    # Never remove a bracket that holds the whole sentence or sits at its very end followed by
    # nothing: that would leave nothing or change what is being said.
    spans = [s for s in spans if not (s[0] == 0 and s[1] >= len(text.rstrip("。")))]
    for a, b in sorted(spans, key=lambda s: s[0] - s[1]):
        if len(text) <= limit:
            break
        removed = b - a
        text = text[:a] + text[b:]
        # Shift the spans after the removed one.
        spans = [(x - removed, y - removed) if x >= b else (x, y) for x, y in spans]
    return text


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    droppable: bool


def _segments(text: str, tokens: tuple[Token, ...]) -> list[_Segment]:
    """Split at top-level commas (outside brackets and quotes) and say which clauses may go."""
    depth = [0] * (len(text) + 1)
    for a, b in _bracket_spans(text, _ALL_BRACKETS):
        for k in range(a + 1, b):
            depth[k] = 1
    # Map tokens onto character offsets of ``text`` (MeCab drops spaces, so search forward).
    spans: list[tuple[int, int, Token]] = []
    pos = 0
    for tok in tokens:
        at = text.find(tok.surface, pos)
        if at == -1:
            return [_Segment(text, False)]
        spans.append((at, at + len(tok.surface), tok))
        pos = at + len(tok.surface)
    segments: list[_Segment] = []
    seg_start = 0
    seg_tokens: list[Token] = []
    for a, b, tok in spans:
        if tok.surface in _COMMAS and depth[a] == 0 and seg_tokens:
            if _is_list_member(seg_tokens):
                # 東京、大阪、名古屋の3都市で… : a comma inside an enumeration is no clause
                # boundary; the members stay together with the phrase they belong to.
                seg_tokens.append(tok)
                continue
            seg_text = text[seg_start:b]
            segments.append(_Segment(seg_text, _droppable(seg_text, seg_tokens)))
            seg_start, seg_tokens = b, []
        else:
            seg_tokens.append(tok)
    segments.append(_Segment(text[seg_start:], False))  # the main clause always stays
    return segments


def _is_date(toks: list[Token]) -> bool:
    return all(
        t.pos.startswith("名詞-数詞")
        or "助数詞" in t.pos
        or t.lemma in _TIME_LEMMAS
        or t.surface in _TIME_LEMMAS
        for t in toks
    )


def _is_list_member(toks: list[Token]) -> bool:
    """A segment that ends in a bare noun (not a date): one member of an enumeration."""
    return toks[-1].pos1 in ("名詞", "接尾辞", "代名詞") and not _is_date(_since_last_comma(toks))


def _since_last_comma(toks: list[Token]) -> list[Token]:
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].surface in _COMMAS:
            return toks[k + 1 :]
    return toks


def _droppable(seg_text: str, toks: list[Token]) -> bool:
    if not toks:
        return False
    last = toks[-1]
    if _ATTRIBUTION.search(seg_text):
        return False  # who says so matters: keep 「…によると、」
    if last.pos.startswith("助詞-係助詞") and last.surface in ("は", "も"):
        return False  # the topic of the main clause
    if last.pos.startswith("助詞-格助詞") and last.surface == "が":
        return False  # the subject
    if (last.surface in _CONDITIONAL and last.pos.startswith("助詞-接続助詞")) or last.cform.startswith("仮定形"):
        return False  # a condition: dropping it would turn "if A, B" into "B"
    if _is_date(toks):
        return True  # a date or time: 14日、 同日午後、
    if last.pos1 in ("名詞", "接尾辞", "代名詞", "補助記号"):
        return False  # a bare noun: likely one member of a list (東京、大阪、…)
    return True  # subordinate or adverbial clause: …し、 …して、 …ので、 …に対し、


def compress(text: str, limit: int, tagger: Tagger) -> str:
    """Drop the fewest droppable clauses (keeping the most text) so that ``text`` fits."""
    if len(text) <= limit:
        return text
    segments = _segments(text, tagger.tokens(text))
    optional = [i for i, s in enumerate(segments) if s.droppable]
    excess = len(text) - limit
    for count in range(1, len(optional) + 1):
        best: tuple[int, ...] | None = None
        best_removed = 0
        for combo in combinations(optional, count):
            removed = sum(len(segments[i].text) for i in combo)
            if removed >= excess and (best is None or removed < best_removed):
                best, best_removed = combo, removed
        if best is not None:
            kept = "".join(s.text for i, s in enumerate(segments) if i not in best)
            return strip_connective(kept.lstrip(" \u3000"))
    return text


def shape(text: str, max_chars: int, tagger: Tagger) -> str | None:
    """The bullet for one source sentence, or None when it cannot be a good bullet."""
    text = strip_connective(_LIST_MARK.sub("", text.strip(" \t\u3000")))
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
    result = _finish(body)
    if result is None or len(result) > max_chars:
        return None
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
