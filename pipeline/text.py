"""The Japanese text layer: normalisation, sentence splitting and tokenisation.

Source text is never rewritten for output: sentences keep their characters as written and their
offsets into the article body. NFKC-normalised copies are used for tokenising and scoring only.
"""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, cached_property

from kiku.clauses import inside_brackets
from kiku.errors import ArticleError
from kiku.types import Article, Document, Sentence, SentenceKind, Token, decode_analysis

# --------------------------------------------------------------------------------------------
# Normalisation


def normalize(text: str) -> str:
    """NFKC for matching and scoring: full-width digits and Latin become ASCII, half-width
    katakana becomes full-width. Never used for output."""
    # Most Japanese sentences are already NFKC, and checking is far cheaper than normalising.
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


# Characters that never belong in article text. C0 and C1 controls (NUL, BEL, ESC, …) can drive a
# terminal that shows a title; bidirectional overrides and isolates can make text read in
# another order than it is stored; zero-width spaces, word joiners and stray byte-order marks
# hide inside words and defeat matching. Tabs and line breaks stay; the other line and page
# separators become line breaks. Zero-width (non-)joiners stay: emoji and some scripts need them.
_LINE_SEPARATORS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


# Terminal escape sequences as a whole (a colour, a screen clear, a window title), so that no
# remnant like "]0;title" is left in the text when their ESC is removed.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean_text(text: str) -> str:
    """``text`` without terminal escape sequences, control, bidirectional-override and
    zero-width characters (see above)."""
    if _UNWANTED.search(text) is None and _LINE_SEPARATORS.search(text) is None:
        return text
    return _UNWANTED.sub("", _LINE_SEPARATORS.sub("\n", _ESCAPE_SEQUENCE.sub("", text)))


def show_safely(text: str) -> str:
    """``text`` for a terminal: control characters written as escapes (``\\x1b``), never sent raw."""
    return _UNWANTED.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def is_jis_kanji(ch: str) -> bool:
    """Whether a CJK ideograph is one Japanese text uses: JIS X 0208 (cp932) covers them; the
    simplified Chinese forms (决, 尔, 达, 种) are outside it."""
    try:
        ch.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def simplified_chinese_share(text: str) -> float:
    """The share of ``text``'s ideographs that Japanese does not use."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return sum(not is_jis_kanji(ch) for ch in han) / len(han) if han else 0.0


# --------------------------------------------------------------------------------------------
# Sentence splitting

_BRACKETS = {
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "【": "】",
    "〔": "〕",
    "［": "］",
    "[": "]",
    "〈": "〉",
    "《": "》",
    "“": "”",
    "｛": "｝",
    "≪": "≫",
}
_CLOSERS = frozenset(_BRACKETS.values())
# Sentence-final marks. Half-width ! and ? appear in text that was normalised upstream.
_FULL_STOPS = frozenset("。．！？!?")
# Characters that may follow a sentence-final mark and still belong to the same sentence:
# runs like ！？ or 。。, a trailing ellipsis, and closing brackets left unmatched.
_TAIL = frozenset("。．！？!?…‥") | _CLOSERS
_INTERESTING = re.compile(
    "[" + re.escape("".join(_FULL_STOPS) + "".join(_BRACKETS) + "".join(_CLOSERS)) + "]"
)
_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+")

# Blocks of links that sites append to an article: everything from such a heading on is not
# article text.
_RELATED_HEADING = re.compile(
    r"^\s*(?:[【\[［＜<〈■□◆◇●▼▽★☆]\s*)?(?:関連(?:記事|ニュース|情報|リンク|サイト)|あわせて読みたい|こちらもおすすめ|おすすめ記事)"
)
# Headings of "more articles" blocks: ■Googleの記事をもっと見る, ▼記事一覧.
_MORE_HEADING = re.compile(r"^\s*[■□◆◇●▼▽★☆＞>].{0,40}(?:もっと見る|記事一覧|一覧はこちら|の記事$)")
# Wikinews-style lists of related stories: 2016年8月16日(火):見出し…, 【2014年4月14日】.
_DATED_LINKS = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日\s*[(（][月火水木金土日][)）]\s*[:：]|【\d{4}年\d{1,2}月\d{1,2}日】"
)
_CAPTION = re.compile(
    r"^\s*(?:[▲△▼▽↑↓←→]|[（(]?(?:写真|画像|図|表|撮影|動画|提供|資料)\s*(?:[左右上下中]|[0-9０-９]+)?\s*[:：／/=＝]|"
    r"※?(?:写真|画像)は(?:イメージ|資料)|(?:写真|画像)(?:提供|説明|著作権)\s*[:：,、，]|[（(](?:写真|画像|撮影)[^）)]*[）)]\s*$)"
)
_HEADING = re.compile(r"^\s*[■□◆◇●○▼▽★☆◎＜<〈【]")
# Wikinews and wiki boilerplate: 「英語版ウィキペディアに…に関する記事があります。」
_WIKI_POINTER = re.compile(r"(?:ウィキペディア|ウィキメディア・コモンズ|ウィキブックス|ウィキクォート)[^。]{0,80}(?:があります|を参照)")
_LINK_LINE = re.compile(r"^\s*(?:さらに読む|続きを読む|もっと見る|全文を読む|>>|＞＞|→|⇒)|^\s*(?:https?://|www\.)\S+\s*$")
# Wikinews-style source lists: 『title』。 and "publisher、2011年4月8日。"
_CITATION = re.compile(
    r"^[^。]{0,80}『[^』]+』[。.]?$"
    r"|^[^、。\s]{1,40}、\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:\s*\d{1,2}時\d{1,2}分)?\s*(?:[(（]UTC[^)）]*[)）])?[。.]?$"
    # a source or related story cited by its date and quoted title: ウィキニュース、2005年11月14日
    # "探査機はやぶさ、…判明"。, JR西日本ニュースリリース2010年11月4日"…"。
    r"|^.{0,80}?\d{4}年\d{1,2}月\d{1,2}日\s*[\"“][^\"”]+[\"”][。.]?$"
    # Wikinews's English-dated sources: "USGS、May13,200802:53:21(UTC±0)。"
    r"|^[^、。\s]{1,40}、\s*[A-Z][a-z]{2,8}\s*\d{1,2},\s*\d{4}[\d:\s]*(?:[(（]UTC[^)）]*[)）])?[。.]?$"
)
# 「位置:」「面積：」: the labels of a fact box (not "http:").
_FIELD_LABEL = re.compile(r"(?:^|[^A-Za-z:：/])[^\s:：、。/A-Za-z0-9]{1,6}[:：](?!//)")
_LABEL_START = re.compile(r"^[^\s:：、。「」（）()]{1,8}[:：](?!//)")


#: A note in parentheses (one level: a note in a note is deleted with it).
NOTE = re.compile(r"[（(][^（）()]*[）)]")


def opening_label(text: str) -> str | None:
    """The label before a colon that opens a line (a speaker in an interview, 高田：…, ひがし紀子
    （以下、ひがし）：… with its note, an item of a list, 価格：…), without its note; None when
    there is none, for a time (10:00) or for a colon inside a note (…を超えた（観客動員数：…）)."""
    found = _LABEL_START.match(NOTE.sub("", normalize(text)))
    if found is None or found[0][-2].isdigit():
        return None
    return found[0]
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]|「[^「」]*」")
_ONLY_BRACKETED = re.compile(r"^[（(〔［\[【〈《＜<][^）)〕］\]】〉》＞>]*[）)〕］\]】〉》＞>][。.]?$")


def _url_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL.finditer(line)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of ``spans`` (sorted, not overlapping): a binary search, so
    that a line of thousands of URLs is not scanned once per full stop."""
    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


_PARTICLES = frozenset("のをがはもに")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")


def _is_full_stop(line: str, i: int, urls: list[tuple[int, int]]) -> bool:
    ch = line[i]
    if ch not in _FULL_STOPS:
        return False
    if urls and _inside(i, urls):
        return False
    prev = line[i - 1] if i > 0 else ""
    nxt = line[i + 1] if i + 1 < len(line) else ""
    if ch == "．" and prev.isdigit() and nxt.isdigit():
        return False  # a full-width decimal point: ３．５％
    if ch in "!?" and prev.isascii() and prev.isalnum():
        return False  # part of a name: Yahoo!ニュース, Jeopardy!
    if ch == "。" and nxt in _PARTICLES and not _HIRAGANA.match(line[i + 2 : i + 3]) and line[i + 2 : i + 3] != "、":
        return False  # part of a name: モーニング娘。の元メンバー (no sentence opens with a lone particle)
    return True


# Half-width corner brackets (｢…｣) are the same quotes, and text mixes them (「…｣): read as 「」
# for splitting, character for character, so that offsets into the line stay right.
_BRACKET_VARIANTS = str.maketrans({"｢": "「", "｣": "」"})


def _split_line(line: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) spans of the sentences in one line (no line breaks inside)."""
    line = line.translate(_BRACKET_VARIANTS)
    urls = _url_spans(line)
    stack: list[str] = []
    start = 0
    n = len(line)
    pos = 0
    while True:
        m = _INTERESTING.search(line, pos)
        if m is None:
            break
        i = m.start()
        ch = line[i]
        pos = i + 1
        if ch in _BRACKETS and not (urls and _inside(i, urls)):
            closer = _BRACKETS[ch]
            # Only an opener that is closed later on the line protects what follows it;
            # a stray 「 must not swallow the rest of the paragraph.
            if line.find(closer, i + 1) != -1:
                stack.append(closer)
            continue
        if ch in _CLOSERS and ch not in _FULL_STOPS:
            if ch in stack:
                while stack and stack.pop() != ch:
                    pass
            elif stack and {ch, stack[-1]} <= {"」", "』"}:
                stack.pop()  # 『スーパーおおぞら14号」: a quote closed with the other corner bracket
            continue
        if stack or not _is_full_stop(line, i, urls):
            continue
        end = i + 1
        while end < n and line[end] in _TAIL:
            end += 1
        yield start, end
        start = end
        pos = end
    if start < n:
        yield start, n


# A run of spaces between two non-ASCII characters. Japanese prose puts no space inside a
# sentence, so in text flattened from a page it is where a headline, caption, byline or related
# headline ends and the story goes on: "天安門事件から30年 中国が忘れた映像 魏氏は…受けた。".
_GLUE = re.compile(r"(?<=[^\x00-\x7f\s])[ \u3000]+(?=[^\x00-\x7f\s])")
# 「ローラ・ビッカー、BBCニュース、米ケンタッキー州ホワイツバーグ」: a name, then the outlet.
_BYLINE = re.compile(
    r"^[\u30a0-\u30ff\u4e00-\u9fff・]{2,16}、[A-Za-zＡ-Ｚａ-ｚ\u30a0-\u30ff\u4e00-\u9fff・]{0,12}"
    r"(?:ニュース|新聞|通信|放送|記者|特派員|編集委員)[^\u3040-\u309f]*$"
)
_NOUN_ENDS = frozenset(("名詞", "代名詞", "接尾辞"))
_PREDICATE_ENDS = frozenset(("動詞", "助動詞", "形容詞"))
# A fragment shorter than this is more likely part of the sentence (東京都 新宿区で…) than a
# headline.
_MIN_FRAGMENT = 5


@cache
def _shared_tagger() -> Tagger:
    return Tagger()


# A navigation box flattened into the text with no break at all (Wikinews: 「2009年衆議院解散・
# 総選挙最近の記事[headlines…]」, 「鉄道2013年鉄道関連ニュース[headlines…]」): its heading glued to
# the word before it, then a run of headlines, often glued in turn to the story's sentence.
_GLUED_BOX = re.compile(r"[^\s。、，．「『（(【\[]\s*(?:最近の記事|関連ニュース)")
# Where that sentence resumes: a news organisation named as its source (毎日新聞・産経新聞によると、,
# 47NEWS(共同通信)・朝日新聞によると、): names as written, so that a headline's last words are not
# taken for one.
_MEDIA = (
    "(?:読売新聞|朝日新聞|毎日新聞|産経新聞|日本経済新聞|日経新聞|東京新聞|中日新聞|中国新聞|西日本新聞|北海道新聞|神戸新聞"
    "|京都新聞|神奈川新聞|河北新報|琉球新報|岩手日報|秋田魁新報|四国新聞|朝鮮日報|時事通信|共同通信|AP通信|ロイター(?:通信)?"
    "|AFP(?:通信)?|47NEWS|NHK|CNN|BBC|Response\\.|ITmedia|日刊スポーツ|スポーツニッポン|スポニチ|サンケイスポーツ"
    "|デイリースポーツ|スポーツ報知|中日スポーツ|読売|朝日|毎日|産経|時事|日経)(?:[(（][^)）]{0,20}[)）])?"
)
_SOURCED = re.compile(f"{_MEDIA}(?:(?:・|、|や|と|および|及び){_MEDIA})*(?:の(?:別の)?(?:記事|報道))?によると[、，]")


# A photo gallery flattened into the text: captions each followed by its licence (…観客達CC-by-sa-4.0
# …の表彰式(CC-by-sa-4.0)), glued to the sentence after the last one.
_LICENCE = re.compile(r"[(（]?CC[- ]?BY(?:[- ]?SA)?[- ]?\d\.\d[)）]?", re.IGNORECASE)


def glued_gallery(text: str) -> int:
    """Where the captions of a flattened photo gallery end in ``text`` (after the last licence
    tag), or 0 when it holds none."""
    last = None
    for last in _LICENCE.finditer(text):
        pass
    return last.end() if last is not None else 0


def glued_box(text: str, tagger: Tagger | None = None, inside: bool = False) -> int | None:
    """For one sentence that holds a navigation box glued into it (see ``_GLUED_BOX``), or that
    goes on with one (``inside``: the sentence before was a box cut short by a headline's ？):
    where the story resumes after the box (the attribution that opens the sentence proper), or
    ``len(text)`` when all of it is the box (it ends in a headline's noun or question, not a
    predicate); None when it holds no box, or when the box's end cannot be told (it stands)."""
    box = None if inside else _GLUED_BOX.search(text)
    if box is None and not inside:
        return None
    resumes = _SOURCED.search(text, box.end() if box else 0)
    if resumes is not None:
        return resumes.start()
    if text.rstrip()[-1:] in "?？!！":
        return len(text)  # 台風が西日本に接近か?: a headline's question, and the box goes on
    words = [t for t in (tagger or _shared_tagger()).tokens(normalize(text)) if not t.pos.startswith("補助記号")]
    return len(text) if words and words[-1].pos1 in _NOUN_ENDS else None


def glued_fragments(text: str, tagger: Tagger | None = None) -> list[tuple[int, int, SentenceKind]]:
    """The (start, end, kind) of the headlines, captions and bylines that open ``text`` (one
    sentence) before the sentence proper, in order; empty for a sentence that has none.

    A fragment is text before a space between Japanese characters, outside brackets, that ends
    a noun phrase (a headline: HEADING; a byline: BYLINE; a related-links label and its
    headline: RELATED) or a predicate with no 。 (a caption: CAPTION), and is followed by more
    sentence. Without the cut, a bullet would state the headline and the sentence as one
    thing, or give the sentence's predicate to the caption's subject.
    """
    if not _ends_sentence(text) or _GLUE.search(text) is None:
        return []
    inside = inside_brackets(text.translate(_BRACKET_VARIANTS))
    tagger = tagger or _shared_tagger()
    out: list[tuple[int, int, SentenceKind]] = []
    start = 0
    for m in _GLUE.finditer(text):
        if inside[m.start()]:
            continue
        fragment, rest = text[start : m.start()], text[m.end() :]
        kind = _fragment_kind(fragment, rest, tagger, out[-1][2] if out else None)
        if kind is not None:
            out.append((start, m.start(), kind))
            start = m.end()
    return out


def _fragment_kind(
    fragment: str, rest: str, tagger: Tagger, previous: SentenceKind | None
) -> SentenceKind | None:
    boilerplate = boilerplate_kind(fragment)
    if boilerplate is not None:
        return boilerplate
    if (
        len(fragment) < _MIN_FRAGMENT
        or len(rest) < 10
        or _FULL_STOPS.intersection(fragment)
        or _NOT_HEADLINE.search(fragment)
        or _GLUE.search(fragment)
        or not _balanced(fragment)
    ):
        return None
    tokens = tagger.tokens(normalize(fragment))
    last = tokens[-1]
    if previous is SentenceKind.RELATED and last.pos1 in _NOUN_ENDS | _PREDICATE_ENDS:
        return SentenceKind.RELATED  # the headline after 【関連記事】
    if _BYLINE.match(fragment):
        return SentenceKind.BYLINE if _opens_clause(rest, tagger) else None
    if tokens[0].pos1 in ("接続詞", "連体詞", "副詞", "助詞", "助動詞") or not _opens_clause(rest, tagger):
        return None  # the fragment opens a sentence (このうち…), or the rest goes on with it
    if _splits_word(fragment, rest, tagger) or "人名" in last.pos or last.surface in _HONORIFICS:
        return None  # a space inside a word, after a name or a person: 手 帳, 福森 大喜, 清水崇 監督
    if _KATAKANA.match(fragment[-1]) and _KATAKANA.match(rest[0]):
        return None  # a name written in words: アディダス ジャパン, クリスタル ケイ
    if last.pos1 in _PREDICATE_ENDS:
        # A clause that ends without its 。 (a caption under a photo), then the story.
        clause = last.cform.startswith("終止形") and any(
            t.pos.startswith("助詞-格助詞") or t.surface == "は" for t in tokens
        )
        return SentenceKind.CAPTION if clause else None
    if not (last.pos1 in _NOUN_ENDS or last.surface in _CLOSERS) or "、" in fragment:
        return None  # a noun phrase after a comma is the sentence's own: 〜より、A劇場、B劇場 ほか
    if "人名" in tagger.tokens(normalize(rest[:20]))[0].pos and not any(
        t.pos1 in _PREDICATE_ENDS for t in tokens
    ):
        return None  # a title before a name (ソフトバンクグループの代表 孫正義氏は): one phrase
    return SentenceKind.HEADING


# Labels, dialogue and lists (ジミー：…, 入場料：無料, おじさん→…) are not headlines.
_NOT_HEADLINE = re.compile(r"[:：→⇒＝=]")
_HONORIFICS = frozenset(("氏", "さん", "様", "さま", "君", "くん", "ちゃん", "容疑者", "被告"))
_KATAKANA = re.compile(r"[\u30a1-\u30faー\uff66-\uff9f]")


def _balanced(text: str) -> bool:
    return all(text.count(o) == text.count(c) for o, c in _BRACKETS.items() if o != c)


# What a sentence's first noun phrase can be followed by: a topic or subject marker (魏氏は,
# 国務長官が, 政府も) or a comma after a time or place (30日、).
_CLAUSE_OPENERS = frozenset(("は", "が", "も", "、", ","))


def _opens_clause(text: str, tagger: Tagger) -> bool:
    """Whether ``text`` begins a clause of its own: a short noun phrase marked as topic or
    subject, or a connective; not a phrase that goes on with what precedes it (運動広場にて…,
    部長の河内氏が…, シャンテほか…) or a longer name (加齢制御医学講座教授　白澤卓二先生は)."""
    head = normalize(text[:24])
    tokens = tagger.tokens(head)
    if tokens and tokens[0].pos1 in ("接続詞", "副詞", "連体詞", "代名詞"):
        return True
    at = 0
    for k, t in enumerate(tokens):
        at = head.find(t.surface, at) + len(t.surface)
        if t.pos1 in ("名詞", "接頭辞", "接尾辞", "記号") or t.pos.startswith("補助記号-一般"):
            continue
        if k == 0 or t.surface not in _CLAUSE_OPENERS or " " in head[:at]:
            return False
        # A comma closes a time or a place (30日、), not a list of titles (工学科准教授、).
        return t.surface not in "、," or at <= 6 or any(c.isdigit() for c in head[:at])
    return False


def _splits_word(fragment: str, rest: str, tagger: Tagger) -> bool:
    """Whether the two sides of the space read as one word when joined (手 帳 → 手帳)."""
    left, right = normalize(fragment[-6:]), normalize(rest[:6])
    at = 0
    for t in tagger.tokens(left + right):
        end = at + len(t.surface)
        if at < len(left) < end:
            return True
        at = end
    return False


def _story_after_glued(line: str, tagger: Tagger | None) -> bool:
    """Whether a line that opens with a related-links label goes on, after the label and its
    glued headline, with a sentence of the story."""
    text = line.strip(" \t\u3000")
    fragments = glued_fragments(text, tagger)
    rest = text[fragments[-1][1] :].strip(" \u3000") if fragments else ""
    return len(rest) >= 20 and _ends_sentence(rest) and _URL.search(rest) is None


# Every character str.splitlines() ends a line at.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def boilerplate_kind(line: str) -> SentenceKind | None:
    """What a whole line is when it is not article text: the heading of a related-articles
    block (``RELATED``; what follows it belongs to the block), a "read more" link or bare URL
    (``LINK``), or a photo caption or credit (``CAPTION``). None for anything else."""
    if _RELATED_HEADING.match(line) or _MORE_HEADING.match(line):
        return SentenceKind.RELATED
    if _LINK_LINE.match(line) or line.lstrip(" \t\u3000")[:1] in ("・", "･") and _SITE_SUFFIX.search(line):
        return SentenceKind.LINK  # a link, or a listed headline with its site: ・…を発表！ - S-MAX
    if _CAPTION.match(line):
        return SentenceKind.CAPTION
    return None


def split_sentences(body: str, article_id: str = "", tagger: Tagger | None = None) -> tuple[Sentence, ...]:
    """Split an article body into sentences.

    Right on real news text: 「…。」 and （…） stay whole, runs like ！？ end one sentence, a last
    sentence without 。 is kept, line breaks end sentences, and decimals, URLs and ellipses do
    not split. Captions, link blocks, bylines and source citations are kept but marked with a
    ``kind`` other than ``BODY`` so that summarizers skip them, and so are the headlines,
    captions and bylines that flattened pages glue to the next sentence with a space (see
    :func:`glued_fragments`; ``tagger`` analyses them, a shared one when not given).
    """
    pieces: list[tuple[str, int, int, SentenceKind]] = []  # text, start, paragraph, kind
    paragraph = 0
    blank_run = True
    in_related = False
    in_box = False  # a glued navigation box goes on past a headline's ？ (see glued_box)
    offset = 0
    for raw_line in body.splitlines(keepends=True):
        line = raw_line.rstrip(_LINE_BREAKS)  # without its terminator: \n, \r\n, U+2028, …
        line_start = offset
        offset += len(raw_line)
        if not line.strip():
            if not blank_run:
                paragraph += 1
            blank_run = True
            continue
        blank_run = False
        line_kind = boilerplate_kind(line)
        if line_kind is SentenceKind.RELATED and _story_after_glued(line, tagger):
            line_kind = None  # "＜関連記事＞ headline The story goes on…。" on one line
            in_related = False
        elif line_kind is SentenceKind.RELATED:
            in_related = True
        elif in_related and line_kind is None and _resumes_story(line):
            in_related = False  # pages that interleave related links with the story
        elif in_related:
            line_kind = SentenceKind.RELATED
        elif line_kind is None and _HEADING.match(line) and not _ends_sentence(line) and len(line.strip()) <= 40:
            line_kind = SentenceKind.HEADING
        elif line_kind is None and line.lstrip(" \t\u3000")[:1] in ("・", "･") and not line.rstrip(" \t\u3000」』）)").endswith(("。", "．")):
            # A list item that is not a sentence: a related story's headline (・中日・落合監督「…」,
            # ・…は弱い？ 「…」と語る) or a feature in a list.
            line_kind = SentenceKind.HEADING
        for a, b in _split_line(line):
            piece = line[a:b]
            stripped = piece.strip(" \t\u3000")
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip(" \t\u3000"))
            s_start = line_start + a + lead
            gallery = glued_gallery(stripped) if line_kind is None and ("CC" in stripped or "cc" in stripped) else 0
            if gallery:
                pieces.append((stripped[:gallery], s_start, paragraph, SentenceKind.CAPTION))
                rest = stripped[gallery:]
                if not rest.strip(" \t\u3000"):
                    continue
                s_start += gallery
                stripped = rest
            if line_kind is None and (in_box or "記事" in stripped or "ニュース" in stripped):
                cut = glued_box(stripped, tagger, inside=in_box)
                in_box = cut == len(stripped) and stripped.rstrip()[-1:] in "?？!！"
                if cut is not None:
                    if cut:
                        pieces.append((stripped[:cut], s_start, paragraph, SentenceKind.RELATED))
                    rest = stripped[cut:]
                    if not rest.strip():
                        continue
                    s_start += cut
                    stripped = rest
            if line_kind is None:
                # Headlines, captions and bylines glued to the sentence become pieces of their own.
                fragments = glued_fragments(stripped, tagger)
                for f_start, f_end, f_kind in fragments:
                    pieces.append((stripped[f_start:f_end], s_start + f_start, paragraph, f_kind))
                if fragments:
                    rest = fragments[-1][1]
                    rest += len(stripped[rest:]) - len(stripped[rest:].lstrip(" \u3000"))
                    s_start += rest
                    stripped = stripped[rest:]
            pieces.append((stripped, s_start, paragraph, line_kind or _sentence_kind(stripped)))
    return tuple(
        Sentence(
            article_id=article_id,
            index=k,
            text=text,
            start=start,
            end=start + len(text),
            paragraph=par,
            kind=kind,
            normalized=normalize(text),
        )
        for k, (text, start, par, kind) in enumerate(pieces)
    )


def _resumes_story(line: str) -> bool:
    """Whether a line inside a related-links block is the story again: prose — a long line that
    ends a sentence — rather than a headline, a list item or a link."""
    text = line.strip(" \t\u3000")
    return (
        len(text) >= 40
        and _ends_sentence(text)
        and not _HEADING.match(text)
        and not _LIST_ITEM.match(text)
        and _URL.search(text) is None
        and _DATED_LINKS.search(text) is None
    )


# "headline | site name": the title of a page, as link lists give it.
_PAGE_TITLE = re.compile(r"\s[|｜]\s*[^|｜。]{2,40}$")
_SITE_SUFFIX = re.compile(r"\s[-－–—]\s+[^。\s][^。]{1,40}$")
_LIST_ITEM = re.compile(r"^[・･\-－―＊*>＞→⇒]")


def _ends_sentence(line: str) -> bool:
    return line.rstrip(" \t\u3000」』）)")[-1:] in _FULL_STOPS


# A headline quoted whole, as in a list of sources ("訃報涌井紀夫氏-最高裁判事"。, 「「巡査長に1000万円」
# パチンコ業者、03年ごろからと供述/茨城県」。): not a sentence of the story, and no one's words.
_QUOTED_WHOLE = re.compile(r'^(?:"[^"]+"|“[^”]+”|「(?:[^「」]|「[^「」]*」)+」)[。.]?$')


def _sentence_kind(text: str) -> SentenceKind:
    # The cheap membership tests keep the patterns off the many sentences they cannot match.
    if text[0] in "（(〔［[【〈《＜<" and _ONLY_BRACKETED.match(text):
        return SentenceKind.ASIDE
    if "ウィキ" in text and _WIKI_POINTER.search(text):
        return SentenceKind.LINK
    if text.startswith(("http://", "https://", "www.")):
        return SentenceKind.LINK  # a URL, with whatever trails it: not prose
    if ("|" in text or "｜" in text) and _PAGE_TITLE.search(text) and not _ends_sentence(text):
        return SentenceKind.LINK  # a linked page's title: "■Google、…を正式発表 | ゼロから始めるスマートフォン"
    if "年" in text and _DATED_LINKS.search(text):
        return SentenceKind.RELATED
    if ":" in text or "：" in text:
        if len(_FIELD_LABEL.findall(_BRACKETED.sub("", text))) >= 2:
            return SentenceKind.DATA
        if _LABEL_START.match(text) and not text.endswith("。"):
            return SentenceKind.DATA  # 「期間：9月1日から9月17日まで」
    if ("』" in text or "日" in text or "UTC" in text) and _CITATION.match(text):
        return SentenceKind.CITATION
    if text[:1] in "\"“「" and _QUOTED_WHOLE.match(text) and (text[0] != "「" or ("/" in text or "／" in text) and len(text) <= 60):
        return SentenceKind.CITATION
    return SentenceKind.BODY


# --------------------------------------------------------------------------------------------
# Tokenisation

# MeCab output format: one token per line, surface, part of speech, conjugation form, lemma.
# Unknown words have no lemma in UniDic, so the unknown-word format repeats the surface.
# ``-O ''`` turns off the dictionary's own output format, which would override ours.
_NODE_FORMAT = r"%m\t%F-[0,1,2,3]\t%f[5]\t%f[7]\n"
_UNK_FORMAT = r"%m\t%F-[0,1,2,3]\t%f[5]\t%m\n"


class Tagger:
    """fugashi + unidic-lite, pinned to unidic-lite's own files.

    The dictionary and its mecabrc are passed explicitly, so another UniDic installed on the
    machine (or a MECABRC in the environment) cannot change the tokens. Build one per process
    and reuse it: construction loads the dictionary.
    """

    def __init__(self) -> None:
        try:
            import fugashi
            import unidic_lite
        except ImportError as exc:  # pragma: no cover - both are hard dependencies
            raise ImportError(
                f"{exc.name} is missing; install Kiku with: pip install -e ."
            ) from None
        self.dicdir: str = unidic_lite.DICDIR
        self.mecabrc: str = os.path.join(self.dicdir, "mecabrc")
        self.args = (
            f"-d '{self.dicdir}' -r '{self.mecabrc}' -O '' "
            f"--node-format='{_NODE_FORMAT}' --unk-format='{_UNK_FORMAT}' --eos-format=''"
        )
        self._tagger = fugashi.GenericTagger(self.args)

    @cached_property
    def dictionary_version(self) -> str:
        with open(os.path.join(self.dicdir, "version"), encoding="utf-8") as fh:
            return fh.read().strip()

    def analyse(self, text: str) -> str:
        """MeCab's analysis of ``text``: one ``surface\tpos\tcform\tlemma`` line per token."""
        return self._tagger.parse(text) if text else ""

    def tokens(self, text: str) -> tuple[Token, ...]:
        """Tokenise one piece of text (normalise it first with :func:`normalize`)."""
        return decode_analysis(self.analyse(text))


def versions(tagger: Tagger | None = None) -> list[tuple[str, str]]:
    """What ``kiku info`` shows: Kiku, Python, the tokeniser and its dictionary, torch and
    transformers (read from the installed packages' metadata; nothing heavy is imported)."""
    import sys
    from importlib.metadata import PackageNotFoundError, version

    from kiku import __version__

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    tagger = tagger or Tagger()
    return [
        ("kiku", __version__),
        ("python", sys.version.split()[0]),
        ("fugashi", ver("fugashi")),
        ("unidic-lite", f"{ver('unidic-lite')} ({tagger.dictionary_version})"),
        ("dictionary", tagger.dicdir),
        ("torch", ver("torch")),
        ("transformers", ver("transformers")),
    ]


# Terms for scoring and matching sentences without a full analysis: runs of kanji, katakana
# and Latin letters or digits, plus the kanji bigrams inside longer kanji runs (so 停戦案 also
# matches 停戦). On real news this ranks sentences as well as content-word lemmas do, at a
# fraction of the cost (see benchmarks/bench_summarize.py).
_TERM = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ]+|[\u30a1-\u30faー]{2,}|[A-Za-z0-9]{2,}")


def terms(normalized: str) -> list[str]:
    """Content terms of NFKC-normalised text."""
    out = []
    for run in _TERM.findall(normalized):
        out.append(run)
        if len(run) > 2 and "\u3400" <= run[0] <= "\ufaff":
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


# --------------------------------------------------------------------------------------------
# The preprocessing stage


class Preprocessor:
    """Article -> Document: split into sentences; MeCab analyses each on demand (see Document)."""

    def __init__(self, tagger: Tagger | None = None) -> None:
        self.tagger = tagger or Tagger()

    def __call__(self, article: Article) -> Document:
        if not article.body.strip():
            raise ArticleError(article.id, "the article body is empty; give it some text")
        if not has_japanese(article.body):
            raise ArticleError(
                article.id,
                "the article has no Japanese text (kana or kanji); Kiku summarises Japanese news",
            )
        return Document(
            article=article,
            sentences=split_sentences(article.body, article.id, self.tagger),
            analyzer=self.tagger.analyse,
        )
