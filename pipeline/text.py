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
from functools import cached_property

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
    r"※?(?:写真|画像)は(?:イメージ|資料)|(?:写真|画像)提供[:：]|[（(](?:写真|画像|撮影)[^）)]*[）)]\s*$)"
)
_HEADING = re.compile(r"^\s*[■□◆◇●○▼▽★☆◎＜<〈【]")
# Wikinews and wiki boilerplate: 「英語版ウィキペディアに…に関する記事があります。」
_WIKI_POINTER = re.compile(r"(?:ウィキペディア|ウィキメディア・コモンズ|ウィキブックス|ウィキクォート)[^。]{0,80}(?:があります|を参照)")
_LINK_LINE = re.compile(r"^\s*(?:さらに読む|続きを読む|もっと見る|全文を読む|>>|＞＞|→|⇒)|^\s*(?:https?://|www\.)\S+\s*$")
# Wikinews-style source lists: 『title』。 and "publisher、2011年4月8日。"
_CITATION = re.compile(
    r"^[^。]{0,80}『[^』]+』[。.]?$"
    r"|^[^、。\s]{1,40}、\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:\s*\d{1,2}時\d{1,2}分)?\s*(?:[(（]UTC[^)）]*[)）])?[。.]?$"
    # Wikinews's English-dated sources: "USGS、May13,200802:53:21(UTC±0)。"
    r"|^[^、。\s]{1,40}、\s*[A-Z][a-z]{2,8}\s*\d{1,2},\s*\d{4}[\d:\s]*(?:[(（]UTC[^)）]*[)）])?[。.]?$"
)
# 「位置:」「面積：」: the labels of a fact box (not "http:").
_FIELD_LABEL = re.compile(r"(?:^|[^A-Za-z:：/])[^\s:：、。/A-Za-z0-9]{1,6}[:：](?!//)")
_LABEL_START = re.compile(r"^[^\s:：、。「」（）()]{1,8}[:：](?!//)")
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]|「[^「」]*」")
_ONLY_BRACKETED = re.compile(r"^[（(〔［\[【〈《＜<][^）)〕］\]】〉》＞>]*[）)〕］\]】〉》＞>][。.]?$")


def _url_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL.finditer(line)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of ``spans`` (sorted, not overlapping): a binary search, so
    that a line of thousands of URLs is not scanned once per full stop."""
    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


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


# Every character str.splitlines() ends a line at.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def boilerplate_kind(line: str) -> SentenceKind | None:
    """What a whole line is when it is not article text: the heading of a related-articles
    block (``RELATED``; what follows it belongs to the block), a "read more" link or bare URL
    (``LINK``), or a photo caption or credit (``CAPTION``). None for anything else."""
    if _RELATED_HEADING.match(line) or _MORE_HEADING.match(line):
        return SentenceKind.RELATED
    if _LINK_LINE.match(line):
        return SentenceKind.LINK
    if _CAPTION.match(line):
        return SentenceKind.CAPTION
    return None


def split_sentences(body: str, article_id: str = "") -> tuple[Sentence, ...]:
    """Split an article body into sentences.

    Right on real news text: 「…。」 and （…） stay whole, runs like ！？ end one sentence, a last
    sentence without 。 is kept, line breaks end sentences, and decimals, URLs and ellipses do
    not split. Captions, link blocks, bylines and source citations are kept but marked with a
    ``kind`` other than ``BODY`` so that summarizers skip them.
    """
    pieces: list[tuple[str, int, int, SentenceKind]] = []  # text, start, paragraph, kind
    paragraph = 0
    blank_run = True
    in_related = False
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
        if line_kind is SentenceKind.RELATED:
            in_related = True
        elif in_related and line_kind is None and _resumes_story(line):
            in_related = False  # pages that interleave related links with the story
        elif in_related:
            line_kind = SentenceKind.RELATED
        elif line_kind is None and _HEADING.match(line) and not _ends_sentence(line) and len(line.strip()) <= 40:
            line_kind = SentenceKind.HEADING
        for a, b in _split_line(line):
            piece = line[a:b]
            stripped = piece.strip(" \t\u3000")
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip(" \t\u3000"))
            s_start = line_start + a + lead
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


_LIST_ITEM = re.compile(r"^[・･\-－―＊*>＞→⇒]")


def _ends_sentence(line: str) -> bool:
    return line.rstrip(" \t\u3000」』）)")[-1:] in _FULL_STOPS


def _sentence_kind(text: str) -> SentenceKind:
    # The cheap membership tests keep the patterns off the many sentences they cannot match.
    if text[0] in "（(〔［[【〈《＜<" and _ONLY_BRACKETED.match(text):
        return SentenceKind.ASIDE
    if "ウィキ" in text and _WIKI_POINTER.search(text):
        return SentenceKind.LINK
    if text.startswith(("http://", "https://", "www.")):
        return SentenceKind.LINK  # a URL, with whatever trails it: not prose
    if "年" in text and _DATED_LINKS.search(text):
        return SentenceKind.RELATED
    if ":" in text or "：" in text:
        if len(_FIELD_LABEL.findall(_BRACKETED.sub("", text))) >= 2:
            return SentenceKind.DATA
        if _LABEL_START.match(text) and not text.endswith("。"):
            return SentenceKind.DATA  # 「期間：9月1日から9月17日まで」
    if ("』" in text or "日" in text or "UTC" in text) and _CITATION.match(text):
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
            sentences=split_sentences(article.body, article.id),
            analyzer=self.tagger.analyse,
        )
