"""Faithfulness checks for generated sentences.

A model-written bullet is signed by an editor as if the article said it, so every generated
sentence is compared with the source sentences it claims to restate, and rejected on the first
sign that it says something they do not: a number or a proper noun they lack, a negation they do
not have (or lost), content words mostly foreign to them, script the article does not use
(simplified Chinese from a multilingual model), a loop, a repeat of another bullet or of the
headline, or a length outside the bullet rules. The checks are deliberately strict: a rejected
bullet is replaced by an extractive one, which is always safe.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kiku.clauses import BOUND_NOUNS, BOUND_VERBS, CONDITIONALS, _token_spans, bracket_spans, dangling_subjects, inside_brackets
from kiku.text import NOTE, Tagger, has_japanese, is_jis_kanji, normalize, opening_label, terms
from kiku.types import Token
from kiku.vocab import APPROXIMATIONS, HEDGES, jaccard

# --------------------------------------------------------------------------------------------
# Numbers

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
_KANJI_LARGE = {"万": 10**4, "億": 10**8, "兆": 10**12}
# A number as written after NFKC: Arabic digits (with thousands commas and a decimal part) or
# kanji numerals, each optionally followed by 万/億/兆 groups ("1億2000万", "三千五百万").
_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_KANJI = r"[〇零一二三四五六七八九十百千]+"
_GROUP = re.compile(rf"({_DIGITS}|{_KANJI})([万億兆])")
# A bare kanji numeral counts only when no other kanji touches it: 一部, 一方, 統一, 三人 are
# words (or left unchecked), 一つ and 二〇二五年 are numbers.
_NUMBER = re.compile(
    rf"(?:(?:{_DIGITS}|{_KANJI})[万億兆])+(?:{_DIGITS}|{_KANJI})?|{_DIGITS}"
    rf"|(?<![\u4e00-\u9fff]){_KANJI}(?![\u4e00-\u9fff])"
)


def _kanji_value(text: str) -> float:
    total = current = 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch]  # 二〇二五 as well as 二十五
        else:
            total += (current or 1) * _KANJI_SMALL[ch]
            current = 0
    return float(total + current)


def _simple_value(text: str) -> float:
    return float(text.replace(",", "")) if text[0].isdigit() else _kanji_value(text)


def number_values(text: str) -> set[float]:
    """The quantities written in ``text`` (NFKC first: full-width digits are digits), so that
    ``1万5000``, ``15,000`` and ``一万五千`` are the same number."""
    values: set[float] = set()
    for match in _NUMBER.finditer(normalize(text)):
        token = match.group(0)
        value = sum(_simple_value(n) * _KANJI_LARGE[unit] for n, unit in _GROUP.findall(token))
        tail = _GROUP.sub("", token)
        values.add(value + (_simple_value(tail) if tail else 0.0))
    return values


# --------------------------------------------------------------------------------------------
# Negation

# Morphemes that negate what they attach to (UniDic lemmas): the auxiliaries ない / ず (ません's
# ん and 〜ず, 〜ぬ are lemma ず or ぬ), the adjective 無い, and the prefixes 非/不/未/無.
_NEGATING_LEMMAS = frozenset({"ない", "ず", "ぬ", "無い"})
_NEGATING_PREFIXES = frozenset({"非", "不", "未", "無"})


def negated_words(tokens: Sequence[Token]) -> list[str]:
    """The lemmas of the words that a negation applies to (見逃す in 見逃さない, 可能 in 不可能)."""
    out = []
    for k, t in enumerate(tokens):
        if t.pos.startswith("接頭辞") and t.surface in _NEGATING_PREFIXES and k + 1 < len(tokens):
            out.append(tokens[k + 1].lemma)
        elif (t.pos.startswith("助動詞") and t.lemma in _NEGATING_LEMMAS) or (
            t.pos.startswith("形容詞") and t.lemma in ("無い", "ない")
        ):
            stem = next((p for p in reversed(tokens[:k]) if p.pos.startswith(_CONTENT)), None)
            out.append(stem.lemma if stem else "")
    return out


def flipped_negation(tokens: Sequence[Token], source: Sequence[Token]) -> bool:
    """For a sentence made by deleting words from ``source``: whether a negation went while the
    word it negates stayed (見逃さないようにと… -> 見逃す…), or a negation appeared. A negation
    deleted together with its clause changes nothing the sentence still says."""
    kept = {t.lemma for t in tokens}
    negated_here, negated_there = negated_words(tokens), negated_words(source)
    if any(w not in negated_there for w in negated_here):
        return True
    lost = list(negated_there)
    for w in negated_here:
        lost.remove(w)
    return any(w in kept for w in lost)


def negations(tokens: Iterable[Token]) -> int:
    """How many negating morphemes ``tokens`` hold."""
    count = 0
    for t in tokens:
        if t.pos.startswith("助動詞") and t.lemma in _NEGATING_LEMMAS:
            count += 1
        elif t.pos.startswith("形容詞") and t.lemma in ("無い", "ない"):
            count += 1
        elif t.pos.startswith("接頭辞") and t.surface in _NEGATING_PREFIXES:
            count += 1
    return count


# --------------------------------------------------------------------------------------------
# Hedges and attribution (the list: kiku.vocab.HEDGES)


def dropped_hedges(text: str, source: str) -> list[str]:
    """Hedges that ``source`` has and ``text`` lacks (both NFKC), and the approximations next to
    the numbers that ``text`` keeps (約, 頃, 以上). A quotation that ``text`` leaves out whole takes its words with
    it: a という inside someone's words is not the article hedging its claim."""
    source = _QUOTED.sub(lambda m: m.group(0) if m.group(1) in text else "「」", source)
    hedges = [h for h in HEDGES if h in source and h not in text]
    def pairs(x: str) -> set[tuple[str, str]]:
        return {(m.group(1) or m.group(4), m.group(2) or m.group(3)) for m in APPROXIMATIONS.finditer(x)}

    # Only where the number stays: a bullet that leaves the quantity out drops nothing.
    # (the number itself, not digits of another: 約1時間 is gone from 14日朝, …運転を見合わせた)
    dropped = {word for word, number in pairs(source) - pairs(text) if re.search(rf"(?<![0-9]){re.escape(number)}(?![0-9])", text)}
    return hedges + sorted(dropped)


# --------------------------------------------------------------------------------------------
# Deletions that rewire a sentence

_CONTENT = ("名詞", "代名詞", "動詞", "形容詞", "形状詞", "接尾辞")


def _bracket_depths(tokens: Sequence[Token]) -> list[int]:
    """How many pairs of brackets each token lies in (an opening bracket counts as inside its
    pair, a closing one as outside)."""
    out, depth = [], 0
    for t in tokens:
        if t.pos.startswith("補助記号-括弧開"):
            depth += 1
        elif t.pos.startswith("補助記号-括弧閉"):
            depth = max(0, depth - 1)
        out.append(depth)
    return out


def _unnoted(tokens: Sequence[Token]) -> list[Token]:
    """``tokens`` without the notes in parentheses (委員会（JOC）の -> 委員会の)."""
    outside, depth = [], 0
    for t in tokens:
        depth += t.surface in ("（", "(")
        if not depth:
            outside.append(t)
        depth -= depth > 0 and t.surface in ("）", ")")
    return outside


def _aligned(tokens: Sequence[Token], source: Sequence[Token]) -> set[int]:
    """The indices of the ``source`` tokens that a deletion from it kept, matched in order
    (longest runs first), so that a word the line keeps is told apart from the same word
    elsewhere in the sentence."""
    return set(_alignment(tokens, source).values())


def _alignment(tokens: Sequence[Token], source: Sequence[Token]) -> dict[int, int]:
    """Index in ``source`` of each token of ``tokens`` that :func:`_aligned` matches."""
    matcher = difflib.SequenceMatcher(None, [t.surface for t in source], [t.surface for t in tokens], autojunk=False)
    return {block.b + i: block.a + i for block in matcher.get_matching_blocks() for i in range(block.size)}


def reattached_particle(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a sentence made by deleting words from ``source``: a word followed by a particle it
    is never followed by in the source ("パ・リーグは3月25日、…ことを決定" -> "パ・リーグを決定"), i.e.
    a deletion that tied the word to another predicate. None when every word keeps its particle."""
    pairs = {(a.surface, b.surface) for a, b in zip(source, source[1:])}
    # Quotation marks may go (「レンズケア」では -> レンズケアでは), and a parenthesis with what
    # it holds (委員会（JOC）の -> 委員会の): the word keeps its particle.
    bare = [t for t in source if not t.pos.startswith(("補助記号-括弧開", "補助記号-括弧閉"))]
    pairs |= {(a.surface, b.surface) for a, b in zip(bare, bare[1:])}
    outside = _unnoted(source)
    pairs |= {(a.surface, b.surface) for a, b in zip(outside, outside[1:])}
    line = list(tokens)
    for words in (line, _unnoted(line)):  # (発(UTC+9)の…券を -> 発(UTC+9)を: the note hides 発を)
        for a, b in zip(words, words[1:]):
            if a.pos.startswith(_CONTENT) and b.pos.startswith("助詞") and (a.surface, b.surface) not in pairs:
                return a.surface + b.surface
    return None


_CASE_PARTICLES = frozenset(("を", "に", "で", "と", "から", "まで", "へ", "より"))
#: Verbs that with に or を make a compound particle in any form (によって, によると, について,
#: をめぐって); the others of :data:`BOUND_VERBS` are taken as particles only in their て-form
#: (にわたって, に対して; 海外に渡った is a predicate).
_PARTICLE_VERBS = BOUND_VERBS - {"渡る", "対する", "就く", "当たる", "掛ける"}


def _head(tokens: Sequence[Token], k: int) -> str | None:
    """The lemma of the predicate that the phrase ending in particle ``tokens[k]`` attaches to
    (:func:`head_index`)."""
    j = head_index(tokens, k)
    return None if j is None else tokens[j].lemma


#: Nouns that make a compound particle of を…に (AをベースにBを作る: A is the base, not what is made).
_FRAME_NOUNS = frozenset("ベース 基 もと 中心 軸 柱 前 機 契機 皮切り 元".split())


def head_index(tokens: Sequence[Token], k: int) -> int | None:
    """Where the predicate that the phrase ending in particle ``tokens[k]`` attaches to is,
    taken as the first predicate after it outside brackets (Japanese modifiers precede their
    head, most often the nearest one): a verb, an adjective, or a サ変 noun with する (the
    noun's index). The し of として and the auxiliary verbs after a て-form are not predicates
    of their own."""
    if tokens[k].surface == "を" and k + 2 < len(tokens) and tokens[k + 1].pos.startswith("名詞-普通名詞") and tokens[k + 2].surface == "に":
        if tokens[k + 1].surface in _FRAME_NOUNS:
            return k + 1  # …レンズをベースに: the phrase is ベース's, not the next verb's
    depth = 0
    for j in range(k + 1, len(tokens)):
        t, prev = tokens[j], tokens[j - 1]
        if t.pos.startswith("補助記号-括弧開"):
            depth += 1
        elif t.pos.startswith("補助記号-括弧閉"):
            depth = max(0, depth - 1)
        if depth:
            continue
        if t.lemma in _PARTICLE_VERBS and prev.surface in ("に", "を"):
            continue  # 買収によって, 件について, 問題をめぐって: a particle, not a predicate
        if t.pos.startswith("動詞-非自立可能"):
            if prev.pos.startswith("名詞-普通名詞-サ変"):
                return j - 1
            if prev.surface == "に" and j >= 2 and tokens[j - 2].pos.startswith("形状詞"):
                return j - 2  # 明らかにした: the adjectival noun with its にする
            as_ = prev.surface == "と" and t.lemma == "為る" and j + 1 < len(tokens) and tokens[j + 1].surface == "て"
            if as_ or prev.surface in ("て", "で") and prev.pos.startswith("助詞-接続助詞"):
                continue  # として (not 本拠地とする); してきた, している
            return j
        if t.pos.startswith(("動詞", "形容詞-一般")):
            return j
        if t.pos.startswith("名詞-普通名詞-サ変") and (j + 1 == len(tokens) or tokens[j + 1].surface in ("、", "，", "。", "！", "？", "!", "?")):
            return j  # ホームランを被弾、, …事を理事会で確認: a サ変 noun that ends its clause is its predicate
    return None


def _bound_at(tokens: Sequence[Token], k: int) -> bool:
    """Whether ``tokens[k]`` ends a compound particle (打者に対し, 16メートルにわたって)."""
    verb = k - 1 if tokens[k].surface in ("て", "で") else k
    return verb > 0 and tokens[verb].lemma in BOUND_VERBS and tokens[verb - 1].surface in ("に", "を")


def _attachments(tokens: Sequence[Token]) -> Iterable[tuple[int, tuple[str, str]]]:
    """Where a phrase hands over to the predicate it modifies: a word and its case particle
    (東京で, 選手と), and a clause that ends in a conjunctive form and a comma (対し、)."""
    depths = _bracket_depths(tokens)
    for k in range(1, len(tokens)):
        t, prev = tokens[k], tokens[k - 1]
        if prev.surface in (")", "）") and t.surface in _CASE_PARTICLES:
            # 献納台(幅約6メートル…)に: the word before the note hands over
            opening = next((j for j in range(k - 2, -1, -1) if tokens[j].surface in ("(", "（")), 0)
            prev = tokens[opening - 1] if opening > 0 else prev
        elif prev.surface in ("など", "等") and k >= 2 and t.surface in _CASE_PARTICLES:
            prev = tokens[k - 2]  # 汚れの種類などを学ぶ: the word before など hands over
        # (まで is tagged an adverbial particle, but hands over as one of case does: 停車位置まで後退させ)
        if t.surface in _CASE_PARTICLES and (t.pos.startswith("助詞-格助詞") or t.surface == "まで") and (prev.pos.startswith(_CONTENT) or prev.surface in ("」", "』", "］", "】", "]")):
            after = tokens[k + 2].surface if k + 2 < len(tokens) else ""
            if k + 1 < len(tokens) and t.surface in ("に", "を") and (
                tokens[k + 1].lemma in _PARTICLE_VERBS or tokens[k + 1].lemma in BOUND_VERBS and after in ("て", "で", "、")
            ):
                # a compound particle (買収によって, 件について): it hands over from its end;
                # によると and によれば name a source and frame the whole sentence
                end = k + 1
                while end + 1 < len(tokens) and tokens[end + 1].pos.startswith(("助詞-接続助詞", "助動詞")) and tokens[end + 1].surface not in ("と", "ば"):
                    end += 1
                if tokens[end].surface in ("て", "で") and not (end + 1 < len(tokens) and tokens[end + 1].surface in ("の", "、", "，")):
                    # (not 3日にかけての報道: it describes a noun; nor 水着について、: a frame
                    # for the whole sentence)
                    yield end, (prev.surface, "".join(x.surface for x in tokens[k : end + 1]))
                continue
            if t.surface == "と" and k + 1 < len(tokens) and tokens[k + 1].pos.startswith("名詞"):
                continue  # ソフトバンクモバイルとヤフーは: two nouns joined, not a phrase and its head
            if k + 1 < len(tokens) and tokens[k + 1].surface == "の":
                continue  # 巨人軍との対戦: the phrase describes the noun after の (a modifier)
            if t.surface == "で" and [x.surface for x in tokens[k + 1 : k + 3]] == ["は", "、"]:
                continue  # 「…の報道では、」 「決勝では、」: a frame for all that follows
            if t.surface == "で" and k + 1 < len(tokens) and tokens[k + 1].surface in ("、", "，"):
                continue  # 臨時理事会で、: a place or an occasion set off by a comma frames what follows
            yield k, (prev.surface, t.surface)
        elif t.surface in _CONCESSIVE and t.pos.startswith("助詞-接続助詞") and prev.pos.startswith(("動詞", "形容詞", "助動詞")) and k + 1 < len(tokens):
            # a clause of concession or accompaniment (期待されながら[メダルを逃していた]2人は…獲得
            # した: the hopes went with the failure, not with the medal)
            yield k, (prev.surface + t.surface, "")
        elif k + 1 < len(tokens) and k >= 2 and not depths[k] and (
            (t.surface == "で" and t.lemma == "だ" and prev.surface == "の" and prev.pos.startswith("助詞-準体助詞"))
            or (t.surface == "に" and t.lemma == "だ" and prev.lemma == "様" and prev.pos.startswith("形状詞-助動詞語幹"))
            or (t.surface in ("ので", "から") and t.pos.startswith("助詞-接続助詞"))
        ) and tokens[k - 2 if prev.surface in ("の", "よう") else k - 1].pos.startswith(("動詞", "形容詞", "助動詞")):
            # a clause that gives a reason or a manner (表示されるので[…手間が省ける]ランチャー
            # アプリ: the reason was for the deleted 省ける, not for the app being one; 最前面になる
            # ように[表示される]: how it is shown, not what it became; a quotation's clauses are
            # someone's words, shortened only at a sentence's end)
            two = prev.surface in ("の", "よう")
            yield k, ("".join(x.surface for x in tokens[k - 2 : k + 1]) if two else prev.surface + t.surface, "")
        elif t.surface == "、" and prev.pos.startswith(("動詞", "形容詞")) and prev.cform.startswith("連用形"):
            word = tokens[k - 2].surface + prev.surface if k >= 2 and prev.lemma == "為る" else prev.surface
            yield k, (word, t.surface)  # 対応し、 (a サ変 noun with its する), 対し、
        elif k + 1 < len(tokens) and tokens[k + 1].pos.startswith(("名詞", "動詞-一般", "接頭辞", "副詞", "補助記号-括弧開")) and not _bound_at(tokens, k) and (
            (t.surface in ("て", "で") and t.pos.startswith("助詞-接続助詞") and prev.pos.startswith("動詞"))
            or (t.pos.startswith("動詞-一般") and t.cform.startswith("連用形-一般") and prev.pos.startswith("助詞") and not tokens[k + 1].pos.startswith("動詞"))
        ):
            # a continuative clause with no comma (期待を込めて|語った, 調整を加え|ワンランク上の…):
            # it goes on to the next predicate
            yield k, (prev.surface + t.surface if t.surface in ("て", "で") else t.surface, "")


#: Conjunctive particles of a clause that qualifies the predicate it goes on to.
_CONCESSIVE = frozenset({"ながら", "つつ", "ものの", "のに", "にもかかわらず"})


def rewired_phrase(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a sentence made by deleting words from ``source``: a phrase that now attaches to
    another predicate than in the source, or to none, because the one it modified was deleted
    ("卓球選手として…能力を持つ一方、モデルとしても活動してきた" -> "卓球選手としてモデルとしても活動してきた":
    she is a model *as* a table-tennis player; "開催に対し、「…」と説明した長谷部" -> "開催に対し、長谷部").
    None when every kept phrase keeps its head."""
    heads: dict[tuple[str, str], set[str | None]] = {}
    for k, key in _attachments(source):
        heads.setdefault(key, set()).add(_adjectival_head(source, k) or _head(source, k))
    for k, key in _attachments(tokens):
        if key in heads and (_adjectival_head(tokens, k) or _head(tokens, k)) not in heads[key]:
            return key[0] + key[1]
    return None


def _adjectival_head(tokens: Sequence[Token], k: int) -> str | None:
    """The adjectival noun that the case phrase ending in ``tokens[k]`` qualifies right after it
    (究極に危険な, 生活に必要な, 日本で一般的な: only adverbs between), its lemma; None when the
    phrase goes on to a verb. (:func:`head_index` takes no adjectival noun for a predicate: 究極に
    kept while 危険な went would qualify the next verb.)"""
    if tokens[k].surface not in ("に", "で", "より") or not tokens[k].pos.startswith("助詞-格助詞"):
        return None
    j = k + 1
    while j < len(tokens) and tokens[j].pos.startswith("副詞"):
        j += 1
    start = j
    while j < len(tokens) and tokens[j].pos.startswith("名詞") and not tokens[j].pos.startswith("名詞-普通名詞-形状詞可能"):
        j += 1  # the noun of 一般的, 国際的
    if j + 1 >= len(tokens) or tokens[j + 1].lemma != "だ" or not tokens[j + 1].pos.startswith("助動詞"):
        return None
    if tokens[j + 1].cform.startswith("連用形"):
        return None  # (別ウィンドウで新たに起動する: 新たに qualifies the verb, as the phrase does)
    adjectival = tokens[j].pos.startswith(("形状詞-一般", "名詞-普通名詞-形状詞可能")) and j == start
    if not adjectival and not (tokens[j].pos.startswith("接尾辞-形状詞") and j > start):
        return None
    return "".join(t.lemma for t in tokens[start : j + 1])


#: Adverbs that describe a number or a word rather than a predicate (およそ457万人, ほぼ全員).
_WORD_ADVERBS = frozenset("凡そ 略 僅か 実に 少なくとも 最も 大体 丁度 殆ど 大凡 約 更に 特に 主に 唯 只 単に 計".split())


#: Adverbs that place an act among others (まず, 再び, 既に): they modify a predicate even
#: when a noun follows them (まず2月11日から…販売させることを決め).
_STEP_ADVERBS = frozenset("先ず 初めて 再び 改めて 既に 直ちに 次いで 引き続き 続いて 一時 同時 最初 最終的".split())


def rewired_adverb(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """An adverb kept while the predicate it modified was deleted, so that it modifies another
    (まず…3日間限定で…復活販売させることを決め、3月以後も…予定していた -> まず3月以後も…予定していた:
    the first step was the three-day sale)."""
    where = _alignment(tokens, source)
    at = {i: b for b, i in where.items()}  # source index -> line index
    for i, head in _adverbs(source):
        b = at.get(i)
        if b is None or head in at:
            continue
        line_head = head_index(tokens, b)
        if line_head is not None and tokens[line_head].lemma != source[head].lemma:
            return source[i].surface + tokens[line_head].surface
    return None


def _adverbs(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """Adverbs that modify a predicate, each with the index of that predicate (:func:`head_index`)."""
    for i, t in enumerate(tokens[:-1]):
        if not t.pos.startswith("副詞") or t.lemma in _WORD_ADVERBS:
            continue  # (およそ457万人, ほぼ全員: it describes a word, not a predicate)
        if tokens[i + 1].pos.startswith(("名詞", "接頭辞", "形状詞", "連体詞")) and t.lemma not in _STEP_ADVERBS:
            continue  # (もう1機種, 大分合同新聞 read as だいぶ: a word's, or not an adverb at all)
        head = head_index(tokens, i)
        if head is not None:
            yield i, head


def _genitive_subjects(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """A noun's の that is the subject of the relative clause right after it (ミレニアムリテイリング
    の保有する株式: the company holds them): the index of the の and of the clause's predicate."""
    for k in range(1, len(tokens) - 2):
        t, prev, nxt = tokens[k], tokens[k - 1], tokens[k + 1]
        if t.surface != "の" or not t.pos.startswith("助詞-格助詞") or not prev.pos.startswith(("名詞", "接尾辞", "補助記号-括弧閉")):
            continue
        verb = k + 1
        if nxt.pos.startswith("名詞-普通名詞-サ変") and tokens[k + 2].lemma == "為る":
            verb = k + 2
        elif not nxt.pos.startswith(("動詞-一般", "形容詞-一般")):
            continue
        end = verb + 1
        while end < len(tokens) and tokens[end].pos.startswith("助動詞"):
            end += 1
        if tokens[end - 1].cform.startswith("連体形") and end < len(tokens) and tokens[end].pos.startswith("名詞"):
            yield k, k + 1


#: Suffixes that make a noun a person's or a body's (オルテガ氏, 山田さん, 鈴木容疑者).
_PERSON_SUFFIXES = frozenset("氏 さん 容疑者 被告 選手 監督 首相 大統領 会長 社長 知事 市長 議員 議長 代表 党 社".split())


def _event_owners(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """A named person's or body's の before the event noun or the figure it owns, within one noun
    phrase (ダニエル・オルテガ氏(60)の16年ぶりの当選, トヨタの発表, オリックスの4423勝): the index of
    the owner's last word and of the event noun (a サ変 noun that ends the phrase) or the figure's
    number."""
    for k in range(1, len(tokens) - 1):
        if tokens[k].surface != "の" or not tokens[k].pos.startswith("助詞-格助詞"):
            continue
        owner = k - 1
        if tokens[owner].pos.startswith("補助記号-括弧閉"):  # オルテガ氏(60)の
            opening = next((j for j in range(owner - 1, -1, -1) if tokens[j].pos.startswith("補助記号-括弧開")), None)
            if opening is None or opening == 0:
                continue
            owner = opening - 1
        who = tokens[owner]
        # (a name in Latin letters is a product's or a body's: GALAXY NEXUS SC-04Dのソフトウェア更新)
        latin = who.surface.isascii() and any(c.isalpha() for c in who.surface)
        if not (who.pos.startswith("名詞-固有名詞") or latin or who.surface in _PERSON_SUFFIXES and who.pos.startswith(("接尾辞", "名詞"))):
            continue
        end = k + 1
        while end + 1 < len(tokens) and _in_noun_phrase(tokens[end + 1]) and not tokens[end + 1].pos.startswith(("動詞", "形容詞", "助動詞")):
            end += 1
        if tokens[end].pos.startswith("名詞-普通名詞-サ変"):
            yield owner, end
            continue
        # a figure it owns (オリックス(旧:阪急)の4423勝: whose wins), not a date (トヨタの2012年)
        figure = next((i for i in range(k + 1, end) if tokens[i].pos.startswith("名詞-数詞") and not tokens[i + 1].pos.startswith("名詞-数詞")), None)
        if figure is not None and not _is_time(tokens, figure + 1):
            yield owner, figure


def dropped_owner(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """The named owner of an event or a figure deleted while it stays (…ダニエル・オルテガ氏(60)の
    16年ぶりの当選が決まった -> 7日までに当選が決まった: whose election is gone; オリックス(旧:阪急)の
    4423勝を抜いた -> 4423勝を抜いた: whose wins)."""
    kept = _aligned(tokens, source)
    for owner, event in _event_owners(source):
        if event in kept and owner not in kept:
            first = owner
            while first > 0 and (source[first - 1].pos.startswith(("名詞", "接尾辞", "接頭辞")) or source[first - 1].surface in ("・", "＝", "-")):
                first -= 1  # (the whole name: SC-04D)
            return "".join(x.surface for x in source[first : owner + 1]) + "の" + "".join(x.surface for x in source[event : event + 2 if source[event].pos.startswith("名詞-数詞") else event + 1])
    return None


def orphaned_subject(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a sentence made by deleting words from ``source``: a subject (…が) deleted while its
    predicate stays ("携帯電話充電機能が充実しはじめ" -> "充実しはじめ"). A subject deleted with its
    whole clause ("W杯の開催が迫り、") is fine."""
    text = "".join(t.surface for t in tokens)
    aligned = _aligned(tokens, source)
    depths = _bracket_depths(source)
    for k in range(1, len(source)):
        t, prev, depth = source[k], source[k - 1], depths[k]
        if depth or t.surface != "が" or not t.pos.startswith("助詞-格助詞"):
            continue
        if prev.surface in ("」", "』"):
            # a quoted name as the subject (『交通安全展~事故ゼロをめざして~』が…開催された)
            opening = next((j for j in range(k - 2, -1, -1) if source[j].surface in ("「", "『") and depths[j] == 1), None)
            if opening is None:
                continue
            who = "".join(x.surface for x in source[opening:k])
        elif prev.pos.startswith(("名詞", "接尾辞")):
            # (a counter's whole number: 1頭が, whose 頭 alone may stand elsewhere: 23頭を)
            who = _nouns_before(source, k) if prev.pos.startswith("接尾辞") else prev.surface
        else:
            continue
        head = head_index(source, k)
        if who not in text and head is not None and ({head} | _clause_predicates(source, k)) & aligned:
            return _nouns_before(source, k) or who
    # (and a の that is a relative clause's subject: …の保有する株式 -> 保有する株式)
    for k, verb in _genitive_subjects(source):
        if verb in aligned and k - 1 not in aligned and not depths[k]:
            return _nouns_before(source, k) or source[k - 1].surface
    return None


def _clause_predicates(tokens: Sequence[Token], k: int) -> set[int]:
    """Where the predicates are that the subject ending in ``tokens[k]`` (its が) governs after
    its first (:func:`head_index`): those its clause goes on to through a continuative form
    (1頭が壁を乗り越えて…脱走した: 脱走), up to a predicate with a subject or topic of its own or
    one that describes a noun (彼女の開いた“パンドラの箱”)."""
    out: set[int] = set()
    j = head_index(tokens, k)
    while j is not None:
        end = j + 1  # the predicate's auxiliaries and particles
        while end < len(tokens) and tokens[end].pos.startswith(("助動詞", "助詞-接続助詞", "動詞-非自立可能")):
            end += 1
        last = tokens[end - 1]
        if not (last.surface in ("て", "で") or last.cform.startswith("連用形")):
            break
        after = head_index(tokens, end - 1)
        if after is None or any(t.surface in ("が", "は", "も") and t.pos.startswith(("助詞-格助詞", "助詞-係助詞")) for t in tokens[end:after]):
            break  # the next predicate has a subject of its own
        last_of_next = after + 1
        while last_of_next < len(tokens) and tokens[last_of_next].pos.startswith(("助動詞", "動詞-非自立可能")):
            last_of_next += 1
        if tokens[last_of_next - 1].cform.startswith("連体形") and last_of_next < len(tokens) and tokens[last_of_next].pos.startswith(("名詞", "補助記号-括弧開")):
            break  # a relative clause: it has its own subject
        out.add(after)
        j = after
    return out


def broken_word(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a sentence made by deleting from ``source``: a word that is a piece of one of the
    source's words (キャル（ジェフリー・ドノヴァン） -> ル・ドノヴァン): a deletion cut inside it. A word
    that the tagger split differently (三星 read as 三 + 星 once its reading in brackets went) is
    not a piece when it stands in the source with its neighbour."""
    whole = {t.surface for t in source}
    source_text = "".join(t.surface for t in source)
    for i, t in enumerate(tokens):
        if t.surface in whole or not t.pos.startswith(("名詞", "動詞", "形容詞")):
            continue
        if any(t.surface in w and len(w) > len(t.surface) for w in whole):
            before = tokens[i - 1].surface + t.surface if i else None
            after = t.surface + tokens[i + 1].surface if i + 1 < len(tokens) else None
            if not any(pair and pair in source_text for pair in (before, after)):
                return t.surface
    return None


def final_predicate(tokens: Sequence[Token]) -> tuple[str, bool]:
    """The sentence's last predicate, and whether all that follows it must be kept with it:
    発表しています。 -> (発表しています。, True); 迫ってきて欲しいものです。 -> (迫ってきて欲しい,
    False). A deletion must keep it (and the sentence's last words, checked apart), or the
    statement changes its mood or becomes ungrammatical (迫ってきてものです). An auxiliary verb
    after a て-form (している, てほしい) belongs to the verb before it, する to its サ変 noun, なる
    to its と/に. A predicate that describes the noun the sentence ends on (木を用いたビクター独自
    技術のスピーカー。) must stay, but the words between may go. ("", True): none to keep."""
    depth, outside = 0, []
    for t in tokens:
        if t.pos.startswith("補助記号-括弧閉"):
            depth = max(0, depth - 1)
        outside.append(not depth)
        if t.pos.startswith("補助記号-括弧開"):
            depth += 1
    # A verb inside brackets is someone else's (「…と思いました」とアイさん): no predicate to keep.
    k = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].pos.startswith(("動詞", "形容詞")) and outside[k]), None)
    if k is None or any(t.surface in ("、", "，") and outside[j] for j, t in enumerate(tokens[k:], k)):
        # no verb, or its clause ends before the sentence does (…ご紹介した、…を実施中です):
        # the predicate is a noun's, and the check of the sentence's last words suffices
        return "", True
    if _modifies_argument(tokens, k) or _cleft(tokens, k):
        # ちょっとしたインテリアも…100円だった, 用いたのは…だ: the verb describes a noun (or is
        # the clause) that is an argument of the sentence's noun predicate, which the check of
        # its last words covers
        return "", True
    end = k + 1
    while end < len(tokens) and tokens[end].pos.startswith(("助動詞", "動詞-非自立可能", "形容詞-非自立可能", "助詞-接続助詞")):
        end += 1
    after = end
    while after < len(tokens) and tokens[after].pos.startswith("補助記号-括弧開"):
        after += 1  # 生まれた「ウッドコーン」
    # 連体形 + a noun, or what begins a noun phrase (収まらない身近な出来事だ): a description
    at_end = not (
        after < len(tokens)
        and tokens[after].pos.startswith(("名詞", "形状詞", "連体詞", "接頭辞"))
        and (tokens[end - 1].cform or "").startswith("連体形")
    )
    while k > 0 and tokens[k].pos.startswith(("動詞-非自立可能", "形容詞-非自立可能")):
        prev = tokens[k - 1]
        if prev.surface in ("て", "で") and prev.pos.startswith("助詞-接続助詞"):
            # back to the verb the て-form belongs to (past its auxiliaries: 提供されている)
            j = next((j for j in range(k - 2, -1, -1) if tokens[j].pos.startswith(("動詞", "形容詞"))), None)
            if j is None or k - j > 4:
                break
            k = j
        elif prev.pos.startswith(("名詞-普通名詞-サ変", "助詞-格助詞")):
            k -= 1
            break
        elif prev.surface == "に" and k >= 2 and tokens[k - 2].pos.startswith("形状詞"):
            k -= 2  # 明らかにしている: the adjectival noun with its にする
            break
        else:
            break
    return "".join(t.surface for t in tokens[k : len(tokens) if at_end else end]), at_end


def _modifies_argument(tokens: Sequence[Token], k: int) -> bool:
    """Whether the verb at ``k`` (with its auxiliaries) modifies a noun that a particle then
    makes an argument (した＋インテリア＋も): an attribute, not the sentence's predicate."""
    j = k + 1
    while j < len(tokens) and tokens[j].pos.startswith("助動詞"):
        j += 1
    if j == len(tokens) or not tokens[j].pos.startswith("名詞") or not (tokens[j - 1].cform or "").startswith("連体形"):
        return False
    while j < len(tokens) and tokens[j].pos.startswith(("名詞", "接尾辞")):
        j += 1
    # …した新婚の|ユイさん: の makes the noun describe another, the clause is still the predicate's
    return j < len(tokens) and tokens[j].surface != "の" and tokens[j].pos.startswith(("助詞-係助詞", "助詞-格助詞", "助詞-副助詞"))


def _cleft(tokens: Sequence[Token], k: int) -> bool:
    """Whether the verb at ``k`` (with its auxiliaries) ends a clause made a noun by の and
    marked as topic or subject (用いたのは…だ): the sentence's predicate is what follows."""
    j = k + 1
    while j < len(tokens) and tokens[j].pos.startswith("助動詞"):
        j += 1
    return j + 1 < len(tokens) and tokens[j].surface == "の" and tokens[j].pos.startswith("助詞-準体助詞") and tokens[j + 1].surface in ("は", "が")




def dropped_condition(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a deletion from ``source``: a condition left out while the predicate it governs stays
    (見出しだけみると、…ともとれる -> …ともとれる): what held under a condition would read as holding
    always. A condition deleted with its predicate (タイヤといえば…決まっているが、) is fine."""
    text = "".join(t.surface for t in tokens)
    kept = {t.lemma for t in tokens}
    depth = 0
    for k, t in enumerate(source):
        if t.pos.startswith("補助記号-括弧開"):
            depth += 1
        elif t.pos.startswith("補助記号-括弧閉"):
            depth = max(0, depth - 1)
        # a quotation's conditions are someone's words, kept or left whole
        if depth or not ((t.surface in CONDITIONALS and t.pos.startswith("助詞-接続助詞")) or t.cform.startswith("仮定形")):
            continue
        if k + 1 < len(source) and source[k + 1].lemma in ("同時", "共", "共に"):
            continue  # 着くと同時に: when, not if
        if not any(x.pos.startswith(("名詞", "代名詞")) for x in source[:k]):
            continue  # となると、そうすれば、: a connective that opens the sentence, not a condition
        phrase = "".join(x.surface for x in source[max(0, k - 2) : k + 1])
        if phrase not in text and _head(source, k) in kept:
            return phrase
    return None


def detached_note(text: str, source: str) -> str | None:
    """A note in parentheses that no longer follows the word it annotates (…みちこさん（34歳） ->
    …というのは、（34歳）): whose age or post it gives is lost."""
    for match in NOTE.finditer(text):
        # after a quotation (「…」（雅子さん）) the note gives its speaker, however much of it is kept
        # after an opening bracket (「(同行した男性)2人は…」) it annotates what follows, wherever
        # the quotation now stands
        width = 1 if text[match.start() - 1 : match.start()] in ("」", "』", "「", "『") else 2
        before = text[max(0, match.start() - width) : match.start()]
        spots = [m.start() for m in re.finditer(re.escape(match.group()), source)]
        if spots and not any(source[max(0, at - width) : at] == before for at in spots):
            return match.group()
    return None


def dangling_genitive(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A noun's の that now runs into a verb or adjective (100文字以内のメッセージを…選ぶ ->
    100文字以内の選ぶ): the phrase it described was deleted."""
    pairs = {(a.surface, b.surface) for a, b in zip(source, source[1:])}
    for k in range(1, len(tokens) - 1):
        t, nxt = tokens[k], tokens[k + 1]
        if t.surface == "の" and t.pos.startswith("助詞-格助詞") and nxt.pos.startswith(("動詞", "形容詞", "助動詞")):
            if (t.surface, nxt.surface) not in pairs:
                return tokens[k - 1].surface + t.surface + nxt.surface
    return None


#: What a noun phrase is made of between a modifier and its head noun (日本の[サッカー界の]
#: 功労者, 指定されている[ニホンザル]): words, marks, の, and clauses that end in 連体形.
def _in_noun_phrase(t: Token) -> bool:
    if t.pos.startswith(("名詞", "接頭辞", "接尾辞", "連体詞", "形状詞")):
        return True
    if t.pos.startswith("補助記号"):
        return t.surface not in ("、", "，", "。", "．", "！", "？")
    if t.pos.startswith("助詞"):
        return t.surface == "の" or t.pos.startswith("助詞-並立助詞")
    return t.pos.startswith(("動詞", "形容詞", "助動詞")) and t.cform.startswith("連体形")


def _modifier(tokens: Sequence[Token], k: int) -> bool:
    """``tokens[k]`` hands a phrase to the noun after it: a noun's の (平和像』の傍), a case
    particle's (巨人軍との対戦, 東京からの便) or a て-form's (3週間にわたっての治療), a pre-noun word
    (この制度), or a clause that ends in 連体形 (経営する企画会社, 開始した1992年)."""
    t = tokens[k]
    if t.surface == "の" and t.pos.startswith("助詞-格助詞"):
        before = tokens[k - 1] if k > 0 else None
        return before is not None and (
            before.pos.startswith(("名詞", "接尾辞", "補助記号-括弧閉", "形状詞-一般", "代名詞"))  # (ぴったりのツール, いずれの候補者)
            or before.surface in ("など", "等", "まで", "だけ", "ほど", "ばかり")  # 8月16日までの1ヶ月間
            or (before.surface in _CASE_PARTICLES and before.pos.startswith("助詞-格助詞"))
            or (before.surface in ("て", "で") and before.pos.startswith("助詞-接続助詞"))  # 3週間にわたっての治療
        )
    if t.pos.startswith("連体詞"):
        return True  # この制度, その結果
    return t.pos.startswith(("動詞", "形容詞", "助動詞")) and t.cform.startswith("連体形")


def rewired_modifier(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a sentence made by deleting words from ``source``: a modifier that now describes
    another noun than in the source, because the words up to the noun it described were deleted
    (片山さん自身の経営する企画会社の関係者を通じて…御殿場署 -> 経営する御殿場署: he does not run
    the police station; 統計を開始した1992年以降の最低水準を…更新した -> 開始した更新した). The noun
    after the modifier must be one the source reaches from it within the noun phrase, or one
    that a deleted relative clause described; a note in parentheses between them may go."""
    variants = (list(source), _unnoted(source))
    for k in range(len(tokens) - 1):
        nxt = tokens[k + 1]
        if not _modifier(tokens, k) or not nxt.pos.startswith(("名詞", "接頭辞", "補助記号-括弧開", "連体詞")):
            continue
        # (which の it is, by the word before it; a pre-noun word is itself: この秋)
        before = tokens[k - 1] if k and not tokens[k].pos.startswith("連体詞") else None
        if not any(_reaches(variant, before, tokens[k], nxt) for variant in variants):
            return tokens[k].surface + nxt.surface
    return None


def _reaches(source: Sequence[Token], before: Token | None, modifier: Token, noun: Token) -> bool:
    for i in range(len(source) - 1):
        if source[i].surface != modifier.surface or (before is not None and i and source[i - 1].surface != before.surface):
            continue
        inside = True  # still within the modifier's noun phrase
        # a clause describes a person, not what past the person's の belongs to (知られる岩隈久志の
        # 不倫 -> 知られる不倫), nor an event past a の (手に入れるDVDブックの登場 -> 手に入れる登場);
        # past another の it may describe the whole (注目を集める日本のファッション)
        clause = not modifier.pos.startswith(("助詞", "連体詞"))
        past = False  # past a の
        for j in range(i + 1, len(source)):
            if source[j].surface in ("、", "，", "。"):
                break
            if clause and source[j].surface == "の" and source[j].pos.startswith("助詞-格助詞"):
                past = True
                inside = inside and not source[j - 1].pos.startswith("名詞-固有名詞-人名")
            word = source[j].surface + (source[j + 1].surface if j + 1 < len(source) and source[j + 1].pos.startswith("接尾辞") else "")
            if clause and past and (source[j].pos.startswith("名詞-普通名詞-サ変") or source[j].surface in _CONTENT_NOUNS or word in _CONTENT_NOUNS):
                inside = False  # (…投開票される補欠選挙の前哨戦: the election's, not the prelude's)
            # the noun itself, or a noun that a deleted relative clause described (上野公園内の
            # [不忍池付近にある]食堂: the の still describes 食堂)
            same = source[j].surface.startswith(noun.surface) or noun.surface.startswith(source[j].surface)  # 三星 read as 三 + 星
            if same and (inside or _modifier(source, j - 1) and source[j - 1].surface != "の"):
                return True
            inside = inside and _in_noun_phrase(source[j])
    return False


def orphaned_object(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """For a sentence made by deleting words from ``source``: an object (…を), a partner
    (ポルシェと…経営統合する) or what was said (長谷部は「…」と語った -> 長谷部は語った: true and
    empty), deleted while the predicate it belongs to stays (160km越えを成し遂げた -> 成し遂げた, 今年度18セーブを挙げ -> 挙げ):
    what was done is lost. Fine: an object deleted with its predicate, one of two objects of one
    predicate (「V09シリーズ」4機種を…、「L46-S08」を…発売する), a を that belongs to a fixed phrase
    (大会を前に), and an object of a light verb (する, なる, ある)."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    objects: dict[int, list[int]] = {}  # head -> the objects' particles
    for k in range(1, len(source)):
        t, prev, depth = source[k], source[k - 1], depths[k]
        # what was said, expected or asked for: 「…」と述べた, …訪れるのではないかと見込まれている,
        # …行動を起こすように呼びかけた
        said = depth == 0 and (_said_at(source, k) or _asked_at(source, k))
        if not said and (depth or t.surface not in ("を", "と") or not t.pos.startswith("助詞-格助詞") or not (prev.pos.startswith(("名詞", "接尾辞")) or prev.surface in ("%", "％"))):
            continue
        if k + 1 < len(source) and t.surface == "と" and (source[k + 1].pos.startswith("名詞") or source[k + 1].surface in ("、", "，")):
            continue  # AとBが: two nouns joined, not a partner of the predicate
        if k + 2 < len(source) and source[k + 1].pos.startswith("名詞") and source[k + 2].surface == "に":
            continue  # を前に, を中心に
        head = head_index(source, k)
        # (a light verb's object may go with it; what a する says — 「…」としたうえで — may not)
        if head is None or source[head].lemma in ("為る", "成る", "有る", "居る") and not (said and source[head].lemma == "為る"):
            continue
        if any(x.surface in ("、", "，") for x in source[k:head]):
            continue  # …4機種を11月上旬から順次、…を発売する; …をお買い上げの方に、…込めて: not surely its head
        objects.setdefault(head, []).append(k)
        outer = _beyond_relative(source, head) if head > k + 1 else None  # (幕を開ける: surely its own)
        if outer is not None and outer[0] not in kept:
            # the first predicate describes a noun (…事を[5月13日に行った理事会で]決めた): the
            # object may be the next one's; with that noun deleted too, it is nobody's
            objects.setdefault(outer[1], []).append(k)
    for head, particles in objects.items():
        if head in kept and not any(k in kept for k in particles):
            k = particles[-1]
            if source[k - 1].pos.startswith(("動詞", "助動詞", "形容詞", "助詞", "形状詞")):
                return "…" + "".join(x.surface for x in source[max(0, k - 3) : k + 1])  # (…起こすように)
            if source[k - 1].surface in ("」", "』"):
                opening = next((j for j in range(k - 2, -1, -1) if source[j].surface in ("「", "『")), k - 1)
                quote = "".join(x.surface for x in source[opening:k])
                return quote if len(quote) <= 12 else quote[:10] + "…" + quote[-1]
            return _nouns_before(source, k) or source[k - 1].surface  # (97.7%を: no noun run)
    return None


#: Verbs that ask someone to do what a ように clause says (…起こすように呼びかけた).
_ASKING_VERBS = frozenset("呼び掛ける 求める 促す 訴える 命じる 勧める 要請 要求 指示 依頼 要望 指導 注意".split())


def _said_at(tokens: Sequence[Token], k: int) -> bool:
    """Whether ``tokens[k]`` is the と that closes what was said, thought or expected: after a
    quotation (「…」と述べた) or after a clause's own end (…休止すると発表した, …訪れるのではない
    かと見込まれている)."""
    t, prev = tokens[k], tokens[k - 1]
    if t.surface != "と" or not t.pos.startswith("助詞-格助詞"):
        return False
    return prev.surface in ("」", "』") or prev.pos.startswith(("動詞", "助動詞", "形容詞")) or prev.surface == "か" and prev.pos.startswith(("助詞-終助詞", "助詞-副助詞"))


def _asked_at(tokens: Sequence[Token], k: int) -> bool:
    """Whether ``tokens[k]`` is the に of a ように clause that says what a verb of asking asks
    for (…起こすように呼びかけた; not 前述したように, a manner)."""
    if tokens[k].surface != "に" or k < 2 or tokens[k - 1].surface != "よう" or not tokens[k - 2].pos.startswith(("動詞", "助動詞")):
        return False
    head = head_index(tokens, k)
    return head is not None and tokens[head].lemma in _ASKING_VERBS


def _beyond_relative(tokens: Sequence[Token], j: int) -> tuple[int, int] | None:
    """When the predicate at ``tokens[j]`` ends a relative clause (行った臨時理事会で決めた): the
    noun it describes and the predicate that the noun's phrase attaches to — or None."""
    end = j + 1
    while end < len(tokens) and tokens[end].pos.startswith(("助動詞", "動詞-非自立可能")):
        end += 1
    if not (tokens[end - 1].cform.startswith("連体形") and end < len(tokens) and tokens[end].pos.startswith("名詞")):
        return None
    p = end
    while p < len(tokens) and tokens[p].pos.startswith(("名詞", "接尾辞", "接頭辞")):
        p += 1
    if p >= len(tokens) or tokens[p].surface not in _CASE_PARTICLES or not tokens[p].pos.startswith("助詞-格助詞"):
        return None
    head = head_index(tokens, p)
    return None if head is None else (p - 1, head)


#: Verbs bound to the particle before them: compound particles, and the する of 「…」とする.
_BOUND_VERBS = BOUND_VERBS | {"為る"}


#: What joins two words into one (ビデオ／オーディオ, 大阪・関西万博): a deletion keeps both or neither.
_JOINERS = frozenset({"／", "/", "・", "＆", "&", "＝"})


def split_bond(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """Words that belonged together and a deletion split: a compound particle kept without the
    phrase it takes (3週間にわたっての治療の結果 -> わたっての結果; 「…」としたうえで -> はしたうえで),
    a noun of time or extent without its の (当分の間 -> を間延期), a suffix kept without its word
    (大垣駅~東京駅間指定席券 -> 窓口で間指定席券), and a range or words joined by ／ or ・
    kept in part (大垣駅~東京駅間 -> 東京駅間; ビデオ／オーディオフォーマット -> ビデオ／)."""
    where = _alignment(tokens, source)
    kept = set(where.values())
    whole = "".join(x.surface for x in source)
    whole += "\n" + NOTE.sub("", whole)  # a note between them may go: 森理世(もり・りよ)さん
    for b, i in where.items():
        t = source[i]
        if i == 0 or b == 0:
            continue
        before = tokens[b - 1]
        # (as written, not as aligned: a name may be tokenised otherwise in the line)
        joined = where.get(b - 1) == i - 1 or before.surface + t.surface in whole
        bound = t.lemma in _BOUND_VERBS and source[i - 1].surface in ("に", "を", "と") and source[i - 1].pos.startswith("助詞-格助詞")
        if bound and t.lemma == "為る":
            bound = source[i - 1].surface == "と" and i >= 2 and source[i - 2].surface in ("」", "』")  # 「…」とした
        # a noun of time or extent without its の (当分の間延期 -> 販売を間延期)
        bound = bound or t.surface in BOUND_NOUNS and t.pos.startswith("名詞") and source[i - 1].surface == "の"
        if bound and not joined:
            return before.surface + t.surface
        if t.pos.startswith("接尾辞") and not joined and source[i - 1].pos.startswith(("名詞", "接尾辞", "補助記号-括弧閉")):
            return before.surface + t.surface
        # a compound's last word after a reading's note (山口観弘(あきひろ)選手 -> 決勝で選手が)
        if t.pos.startswith("名詞") and source[i - 1].surface in (")", "）") and not joined:
            opening = next((j for j in range(i - 2, 0, -1) if source[j].surface in ("(", "（")), 0)
            if opening and source[opening - 1].pos.startswith("名詞-固有名詞"):
                return before.surface + t.surface
    for i in range(1, len(source) - 1):
        # words joined by ／ or ・ kept in part (ビデオ／オーディオフォーマットのコンテンツ -> ビデオ／)
        if source[i].surface in _JOINERS and all(source[j].pos.startswith(("名詞", "接頭辞", "接尾辞")) for j in (i - 1, i + 1)):
            parts = [x in kept for x in (i - 1, i, i + 1)]
            # (a place that only locates the next one may go: 東京・上野動物園 -> 上野動物園)
            place = source[i - 1].pos.startswith("名詞-固有名詞-地名") or source[i - 1].pos.startswith("接尾辞") and i >= 2 and source[i - 2].pos.startswith("名詞-固有名詞-地名")
            if any(parts) and not all(parts) and not (place and parts == [False, False, True]):
                return "".join(x.surface for x in source[max(0, i - 1) : i + 2])
        if source[i].surface in ("~", "〜", "～") and source[i + 1].pos.startswith(("名詞", "接頭辞")):
            start = i - 1
            if source[start].pos.startswith("補助記号-括弧閉"):  # 10月18日（火）〜: the word before its note
                start = next((j - 1 for j in range(start, 0, -1) if source[j].pos.startswith("補助記号-括弧開")), start)
            parts = [x in kept for x in (start, i, i + 1)]
            if any(parts) and not all(parts):
                return "".join(x.surface for x in source[max(0, i - 2) : i + 3])
    return None


def merged_referents(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A noun that stands twice in the line, one of them stripped of the modifier that told the
    two apart (中国製のチキンを…中止し、今後タイで生産されたチキンに変更 -> 中国製のチキンを…、チキンに
    変更: now they change chicken for chicken)."""
    where = _alignment(tokens, source)
    kept = set(where.values())
    for b, i in where.items():
        t = source[i]
        if i == 0 or not t.pos.startswith(("名詞-普通名詞", "名詞-固有名詞")) or len(t.surface) < 2:
            continue
        if (i - 1) in kept or not _modifier(source, i - 1) or not _bare(tokens, b):
            continue
        if any(x.surface == t.surface and c != b and _bare(tokens, c) for c, x in enumerate(tokens)):
            return t.surface
    return None


def _bare(tokens: Sequence[Token], k: int) -> bool:
    """Whether ``tokens[k]`` is a noun of its own, not a part of a compound (上野公園, 厚生年金)."""
    compound = ("名詞", "接尾辞", "接頭辞")
    return not (k and tokens[k - 1].pos.startswith(compound) or k + 1 < len(tokens) and tokens[k + 1].pos.startswith(compound))


def _conjuncts(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """Nouns joined by と or や before a case or topic particle (両島の住民と、中国からの観光客が,
    警察幹部らやサマワ民間防衛局筋が): for each, the index of the と or や and of the particle after
    the second noun's phrase."""
    for k in range(1, len(tokens) - 1):
        t, prev = tokens[k], tokens[k - 1]
        joining = t.surface == "と" and t.pos.startswith(("助詞-格助詞", "助詞-並立助詞")) or t.surface == "や" and t.pos.startswith("助詞")
        if not joining or not prev.pos.startswith(("名詞", "接尾辞")):
            continue
        j = k + 1 + (tokens[k + 1].surface in ("、", "，"))
        if j >= len(tokens) or not tokens[j].pos.startswith(("名詞", "接頭辞")):
            continue
        while j < len(tokens) and tokens[j].surface not in ("「", "『", "（", "(") and (
            _in_noun_phrase(tokens[j]) or j + 1 < len(tokens) and tokens[j + 1].surface == "の"  # 中国からの
        ):
            j += 1
        if j < len(tokens) and tokens[j].surface in ("が", "は", "を", "も", "に") and tokens[j - 1].surface != "の":
            yield k, j


#: Nouns that name a content the words before them give (…に参加する方針, 道路交通法違反の疑い,
#: …が行き詰まる可能性): without it, a line says only that there is one.
_CONTENT_NOUNS = frozenset(
    "方針 可能性 疑い 容疑 意向 考え 見通し 見込み 恐れ おそれ 条件 理由 見解 姿勢 結論 趣旨 旨 内容 計画 予定 懸念 狙い 目的 "
    "前哨戦 一環 きっかけ 原因 要因 前提 頻度 割合 比率 必要 義務 制覇 達成".split()
)


#: Words of a superlative (最も大きい, 史上最多).
_SUPERLATIVES = frozenset("最も 一番 最大 最高 最多 最小 最少 最長 最古 最新 最低 最悪 最速".split())
#: Nouns of a person that say nothing but what their modifier says (元力士の男, 30代の女性).
_PERSON_NOUNS = frozenset("男 女 男性 女性 人物 少年 少女".split())


def _content_nouns(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """Each noun of :data:`_CONTENT_NOUNS`, and a common noun that is the sentence's predicate,
    with a modifier right before it (a noun's の, a clause in 連体形, a pre-noun word): the index
    of the modifier's last token and of the noun's first (a prefix: 諸条件)."""
    for i in range(1, len(tokens)):
        word = tokens[i].surface
        if i + 1 < len(tokens) and tokens[i + 1].pos.startswith("接尾辞"):
            word += tokens[i + 1].surface  # 可能＋性
        # (and a change named by 化: 子ども医療費の無料化 — what is made free)
        making = word.endswith("化") and len(word) >= 3 and tokens[i + 1].surface == "化"
        # (a person noun that ends its phrase: 男が, not 男性医師)
        person = word in _PERSON_NOUNS and not (i + 1 < len(tokens) and tokens[i + 1].pos.startswith(("名詞", "接尾辞")))
        if not (word in _CONTENT_NOUNS or making or person) or not tokens[i].pos.startswith(("名詞", "形状詞")):
            continue
        first = i - 1 if tokens[i - 1].pos.startswith("接頭辞") else i
        if first > 0 and _modifier(tokens, first - 1):
            yield first - 1, first
    # and the set a superlative compares within (太陽系で見つかった天体の中では最も大きい:
    # not of all bodies)
    if any(t.surface in _SUPERLATIVES for t in tokens):
        for i in range(1, len(tokens) - 2):
            if tokens[i + 1].surface == "の" and tokens[i + 2].surface in ("中", "うち") and tokens[i].pos.startswith("名詞"):
                if _modifier(tokens, i - 1):
                    yield i - 1, i
    # and the noun that is the sentence's predicate: what it is, it says by its modifier
    # (ダウンロード用の番号は16桁の数字だ -> …番号は数字だ)
    end = len(tokens)
    while end > 0 and (tokens[end - 1].pos.startswith(("補助記号", "助動詞")) or tokens[end - 1].surface in ("ある",)):
        end -= 1
    last = end - 1
    if 1 < last and end < len(tokens) and tokens[last].pos.startswith("名詞-普通名詞") and not tokens[last].pos.startswith("名詞-普通名詞-サ変"):
        first = last - 1 if tokens[last - 1].pos.startswith("接頭辞") else last
        if first > 0 and _modifier(tokens, first - 1):
            yield first - 1, first


def emptied_noun(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A noun that names a content kept without the words that give it (…経営に参加する方針を
    固めた -> 方針を固めた; 道路交通法違反の疑いで逮捕 -> 疑いで逮捕): the line says there is a
    policy, not which."""
    where = _alignment(tokens, source)
    kept = set(where.values())
    at = {i: b for b, i in where.items()}
    for modifier, noun in _content_nouns(source):
        # (another modifier of the source's may describe it still: 収まらない[身近な]出来事だ; not
        # of a person, whom it then describes as what the deleted one did not say: 大相撲力士の
        # [野球賭博問題元力士の]男 is no sumo wrestler)
        person = source[noun].surface in _PERSON_NOUNS
        if noun in kept and modifier not in kept and (person or not (at[noun] > 0 and _modifier(tokens, at[noun] - 1))):
            return "".join(x.surface for x in source[noun : noun + 2] if x.pos.startswith(("名詞", "形状詞", "接尾辞")))
    return None


def _denied(tokens: Sequence[Token], j: int) -> bool:
    """Whether the predicate at ``tokens[j]`` is negated (歪めたわけではない, 使わない, 認めず)."""
    for t in tokens[j + 1 : j + 8]:
        if t.lemma in _NEGATING_LEMMAS:
            return True
        if t.surface in ("、", "。", "，") or t.pos.startswith(("名詞", "動詞-一般")) and t.surface not in ("わけ", "訳"):
            return False
    return False


def _manner(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """Adverbs and adverbial forms (意図的に, 十分) of a negated predicate: what the negation
    denies (意図的に歪めたわけではない denies intent, not the distortion). Each as (its last index,
    the predicate's)."""
    for k, t in enumerate(tokens[:-1]):
        adverbial = t.pos.startswith("副詞") or (
            t.surface == "に" and k > 0 and tokens[k - 1].pos.startswith(("形状詞", "接尾辞-形状詞的"))
            and not tokens[k - 1].pos.startswith("形状詞-助動詞語幹")  # (証明したように、: not a manner)
        )
        if not adverbial or tokens[k + 1].surface in ("、", "，"):
            continue
        j = head_index(tokens, k)
        if j is not None and _denied(tokens, j):
            yield k, j


def narrowed_denial(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """An adverb of a negated predicate deleted while the predicate stays (意図的に…事実を歪めた
    わけではない -> 事実を歪めたわけではない: the paper denied intent, not the distortion)."""
    kept = _aligned(tokens, source)
    for k, j in _manner(source):
        if j in kept and k not in kept:
            first = k - 1 if source[k].surface == "に" else k
            while first > 0 and source[first - 1].pos.startswith(("名詞", "形状詞")) and source[first].pos.startswith(("接尾辞", "形状詞")):
                first -= 1
            return "".join(x.surface for x in source[first : k + 1])
    return None


def dropped_restriction(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """What a denial is restricted to (以外, しか) deleted while the denial stays (当社は送信された
    情報を、ソフトウェア更新以外の目的には利用いたしません -> …情報を、利用いたしません: a narrow
    promise becomes a total one; 1台しか売れなかった -> 売れなかった)."""
    if not negations(tokens):
        return None
    kept = _aligned(tokens, source)
    for i, t in enumerate(source):
        if t.surface in ("以外", "しか") and t.pos.startswith(("名詞", "助詞")) and i not in kept:
            first = i
            while first > 0 and source[first - 1].pos.startswith(("名詞", "接頭辞")):
                first -= 1
            return "".join(x.surface for x in source[first : i + 1])
    return None


#: Adverbs of degree: without them the word they qualify says more (一番売れた -> 売れた: the
#: best-seller becomes a seller; ほぼ全員 -> 全員; 充分確保できなくなった -> 確保できなくなった).
_DEGREE_ADVERBS = frozenset("一番 最も 略 殆ど 十分 唯一 僅か 全然".split())


def _degrees(tokens: Sequence[Token]) -> Iterable[int]:
    """Where an adverb of degree (:data:`_DEGREE_ADVERBS`) stands before the word it qualifies."""
    for i, t in enumerate(tokens[:-1]):
        if t.pos.startswith("副詞") and t.lemma in _DEGREE_ADVERBS and not tokens[i + 1].pos.startswith("補助記号"):
            yield i


def dropped_degree(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """An adverb of degree deleted while the word it qualifies stays (この期間で一番売れたカメラ ->
    期間で売れたカメラ)."""
    kept = _aligned(tokens, source)
    for i in _degrees(source):
        if i not in kept and i + 1 in kept:
            return source[i].surface
    return None


#: Words that bound a number (最大で70分の遅れ, 最高で3位): kept, they need it.
_BOUNDS = frozenset("最大 最高 最低 最長 最短 最多 最少 最小 最速 最年少 最年長".split())
# The time a count has reached (今年で11年目, 今回で3回目).
_COUNTED_TO = frozenset("今年 今回 今季 今大会 今シーズン 今年度 今月 今週 本年".split())


def stranded_bound(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A word that bounds a number kept while the number is deleted (最大で70分の遅れが出て ->
    最大で遅れが出て: the most of what?; 今年で11年目、全国地ビールフェスティバル -> 今年で全国
    地ビールフェスティバル, a heading cut from a title)."""
    kept = _aligned(tokens, source)
    for i in range(len(source) - 2):
        bound = source[i].surface in _BOUNDS and source[i + 1].surface in ("で", "に", "の")
        if not (bound or source[i].surface in _COUNTED_TO and source[i + 1].surface == "で") or i not in kept:
            continue
        j = i + 2
        while j < len(source) and source[j].pos.startswith("接頭辞"):
            j += 1  # (約)
        if j < len(source) and source[j].pos.startswith("名詞-数詞") and j not in kept:
            return source[i].surface + source[i + 1].surface
    return None


def dropped_conjunct(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """One of two nouns joined by と or や dropped while the other keeps their particle (両島の住民と、
    中国からの観光客が対象 -> 観光客が対象: the residents were also eligible; 警察幹部らやサマワ民間
    防衛局筋が否定 -> サマワ民間防衛局筋が否定). Only nouns joined before a case or topic particle
    count; :func:`dropped_partner` takes "A と B の"."""
    kept = _aligned(tokens, source)
    for k, j in _conjuncts(source):
        left, right = k - 1 in kept, j - 1 in kept
        if right and not left and k not in kept:
            return _nouns_before(source, k) + "と"
        if left and not right and k not in kept and j in kept:
            return "と" + source[j - 1].surface
    return None


def joined_words(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """Words that a deletion brought together although they were apart in ``source``: two
    numbers (前年比2.1%減の4億… -> 2.1%4億), a comma and a particle (…によると、全国高校野球大会は
    -> によると、は), a note and a noun (7月30日(UTC+9)あり、…移行 -> (UTC+9)移行), a noun joined by
    と to another noun than in the source (車道と歩道を分けている…手すり -> 車道と手すり), a list's や
    and another word (肉やし), two particles (はを), a range's mark and another word (大垣駅~転売), two
    compounds spliced (ついっぷるフォト…写真共有サービス -> ついっぷるサービス), and an
    item of a list joined to what followed the list (3年、2年連続の赤字で、かつ過去最大の… ->
    3年、過去最大の)."""
    pairs = {(a.surface, b.surface) for a, b in zip(source, source[1:])}
    listed = {
        source[k].surface
        for k in range(len(source) - 2)
        if source[k + 1].surface == "、" and _listable(source[k]) and _listable(source[k + 2]) and not _frame(source, k)
    }
    triples = {(a.surface, b.surface) for a, c, b in zip(source, source[1:], source[2:]) if c.surface == "、"}
    outside = _unnoted(source)
    unnoted = {(a.surface, b.surface) for a, b in zip(outside, outside[1:])}  # 『…』(大阪市)社長
    # nouns that began and ended compounds of the source (ついっぷる|フォト, 共有|サービス)
    nominal = [t.pos.startswith(("名詞-普通名詞", "名詞-固有名詞")) for t in source]
    # (a kana name the dictionary splits may end in any word class: ついっ|ぷる, ぷる an adverb)
    wordlike = [t.pos.startswith(("名詞", "副詞", "接尾辞")) for t in source]
    heads = {source[i].surface for i in range(len(source) - 1) if wordlike[i] and nominal[i + 1]}
    tails = {source[i + 1].surface for i in range(len(source) - 1) if nominal[i] and nominal[i + 1]}
    for k, (a, b) in enumerate(zip(tokens, tokens[1:])):
        numbers = b.pos.startswith("名詞-数詞") and (a.pos.startswith(("名詞-数詞", "接尾辞")) or a.surface in ("%", "％"))
        bare = a.surface in ("、", "，") and b.pos.startswith("助詞")
        noted = a.surface in (")", "）") and b.pos.startswith("名詞")
        # (also a と cut from とともに: 更新するとともに、…記録も -> 更新すると同一騎手…)
        partner = a.surface == "と" and a.pos.startswith("助詞") and k > 0 and b.pos.startswith(("名詞", "形状詞", "接頭辞"))
        # a list's や and whatever follows it (肉や魚を…などし -> 肉やし; Aや「B」は…イベント -> Aやイベント)
        # (や read as an auxiliary once what followed it went: 肉や|し)
        listed_with = a.surface in ("や", "とか") and a.pos.startswith(("助詞", "助動詞", "接尾辞")) and k > 0  # (や read as 屋: Ultrabookや「…」)
        # (or a conjunction that joins nouns: Shuttle ならびに[HyperDeckStudio に、]タイムコード機能を)
        conjunction = a.surface if a.pos.startswith("接続詞") else (tokens[k - 1].surface + a.surface if k and a.surface == "に" else "")
        listed_with = listed_with or conjunction in ("ならびに", "並びに", "および", "及び", "または", "又は", "もしくは", "若しくは")
        # two particles run together (宮崎県警察本部は…前知事(65歳)を逮捕した -> はを逮捕した)
        particles = a.pos.startswith("助詞") and b.pos.startswith("助詞-格助詞") and b.surface not in ("の", "と")
        # a range's mark and what followed the range (大垣駅~東京駅間…転売した -> 大垣駅~転売した)
        ranged = a.surface in ("~", "〜", "～", "－", "-") and k > 0
        # a name in brackets and the word after the words that followed it («Intel 7»シリーズ…
        # サードウェーブ -> 「Intel 7」サードウェーブ)
        closed = a.surface in ("」", "』", "］", "】", "]") and b.pos.startswith(("名詞", "接頭辞")) and (a.surface, b.surface) not in unnoted
        # two compounds cut and spliced into a word the source does not have (ついっぷる[フォトなどの
        # 写真共有]サービス -> ついっぷるサービス)
        spliced = a.surface in heads and b.surface in tails and a.pos.startswith(("名詞", "副詞", "接尾辞")) and b.pos.startswith(("名詞-普通名詞", "名詞-固有名詞"))
        if (numbers or bare or noted or partner or listed_with or particles or ranged or closed or spliced) and (a.surface, b.surface) not in pairs:
            return a.surface + b.surface
        if b.surface == "、" and a.surface in listed and k + 2 < len(tokens) and (a.surface, tokens[k + 2].surface) not in triples:
            return a.surface + b.surface + tokens[k + 2].surface
    # an item of a list of nouns joined to a noun after the list (気象局はフィリピン北部、東部、中部の
    # 20州に暴風雨警報を -> 東部、暴風雨警報を): the list and its particle went
    # (a list is three items or more, each a noun between commas: 市議会、子ども医療費の… is a
    # headline's frame, and an item may go from the middle of a list: 東京新聞、[時事通信社、]警視庁)
    items: set[str] = set()
    for i in range(len(source) - 4):
        a, c1, b, c2, d = source[i : i + 5]
        if c1.surface in ("、", "，") and c2.surface in ("、", "，") and _item(a) and _item(b) and _item(d):
            items |= {a.surface, b.surface, d.surface}
    for a, c, b in zip(tokens, tokens[1:], tokens[2:]):
        if c.surface in ("、", "，") and a.surface in items and _item(b) and b.surface not in items and (a.surface, b.surface) not in triples:
            return a.surface + c.surface + b.surface
    return None


def _item(t: Token) -> bool:
    """A noun that can be an item of a list of nouns (北部、東部): not a number, a counter or a
    time (30日、; 今回、)."""
    return _listable(t) and t.pos.startswith(("名詞-普通名詞", "名詞-固有名詞")) and "助数詞" not in t.pos


def _frame(tokens: Sequence[Token], k: int) -> bool:
    """Whether the noun run ending at ``tokens[k]`` opens the sentence or follows its topic or
    a comma (ヤフーは30日、…): a frame for what follows, not an item of a list."""
    j = k
    while j > 0 and tokens[j - 1].pos.startswith(("名詞", "接尾辞", "接頭辞")) and "副詞可能" not in tokens[j - 1].pos:
        j -= 1  # (それぞれ3年、2年連続: それぞれ is not part of the item)
    return j == 0 or tokens[j - 1].surface in ("は", "が", "も", "、", "，", "では", "には")


def _listable(t: Token) -> bool:
    """A word that can be an item of a list (静岡県内、長野県内; 3年、2年連続): a noun that is not
    a time or a frame (今回、, 頃、)."""
    return t.pos.startswith(("名詞", "接尾辞")) and "副詞可能" not in t.pos and t.surface not in ("頃", "ごろ")


#: What makes a は "not only" (スポーツをする人はもちろん、…).
_NOT_ONLY = frozenset({"もちろん", "勿論", "むろん", "無論", "おろか"})


def orphaned_topic(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A later topic (…は after the sentence's first) deleted while the predicate it goes to
    stays, so that the earlier topic takes it (アンドロイドは出荷台数450万台でシェアは27％に上昇した
    -> アンドロイドは出荷台数450万台で上昇した: the share rose, not Android; a noun predicate
    likewise). A time or a place (今回は, 現在は) is not a topic of who or what."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    first = True
    for k in range(1, len(source)):
        t, prev = source[k], source[k - 1]
        if t.surface != "は" or not t.pos.startswith("助詞-係助詞") or depths[k] or not prev.pos.startswith(("名詞", "接尾辞")):
            continue
        if prev.pos.startswith("名詞-普通名詞-副詞可能") or k + 1 < len(source) and source[k + 1].surface in _NOT_ONLY:
            continue  # (…人はもちろん、: not only them, not a topic)
        if first:
            first = False
            continue
        head = head_index(source, k)
        if head is None:
            # no verb after it: its predicate is the noun the sentence ends on (更新にかかる時間は
            # 約7分で、更新期間は2015年7月31日まで -> 更新にかかる時間は2015年7月31日まで)
            head = next((j for j in range(len(source) - 1, k, -1) if source[j].pos.startswith(("名詞", "接尾辞"))), None)
        # (its は may be kept in the line: then it marks the topic before, 時間は…まで)
        if k - 1 not in kept and head is not None and head in kept:
            return _nouns_before(source, k) + "は"
    return None


def bare_light_verb(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """行う (or 実施する, 運営する) kept without any of the phrases that said who, what, where or
    with whom (製造は中国で行われている -> 製造は行われている, …は2011年7月より、NECレノボ・ジャパン
    グループの元で運営されている -> …より、運営されている: that it is done says nothing)."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    phrases: dict[int, list[int]] = {}
    for k in range(1, len(source)):
        t = source[k]
        if depths[k] or t.surface not in ("が", "で", "に", "を", "と", "から", "まで") or not t.pos.startswith("助詞-格助詞"):
            continue
        # (a と between two nouns joins them, レノボとNEC: no phrase of the verb)
        if t.surface == "と" and k + 1 < len(source) and source[k + 1].pos.startswith("名詞"):
            continue
        head = head_index(source, k)
        if head is not None and source[head].lemma in _LIGHT_VERBS:
            phrases.setdefault(head, []).append(k)
    for head, particles in phrases.items():
        if head in kept and not any(k in kept or k - 1 in kept for k in particles):
            return source[head].surface
    return None


#: Verbs that say only that something is done: the phrases around them say what.
_LIGHT_VERBS = frozenset(("行う", "実施", "運営"))


def bare_modifier(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A clause that describes a noun kept as its verb alone, every phrase of it deleted (GPUは
    Galaxy S IIなどで使われているMali400 MP4 -> GPUは使われているMali400 MP4: used where? The
    verb says nothing of the noun without them)."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    phrases: dict[int, list[int]] = {}
    for k in range(1, len(source)):
        t = source[k]
        if depths[k] or not t.pos.startswith("助詞-格助詞") or t.surface in ("の", "と"):
            continue
        head = head_index(source, k)
        if head is not None and source[head].pos.startswith("動詞"):
            phrases.setdefault(head, []).append(k)
    for head, particles in phrases.items():
        # (only a phrase right before its verb surely is the verb's: one further back, past a
        # comma or other words, may belong to a later predicate)
        if head not in kept or head - 1 not in particles or any(k in kept or k - 1 in kept for k in particles):
            continue
        # the verb describes the noun after it (its auxiliaries between): 使われているMali400
        j = head + 1
        while j < len(source) and (source[j].pos.startswith(("助動詞", "動詞-非自立可能", "接尾辞")) or source[j].surface == "て"):
            j += 1
        if j < len(source) and j in kept and source[j].pos.startswith(("名詞", "接頭辞")) and not source[j].pos.startswith("名詞-普通名詞-副詞可能"):
            return source[head].surface + "".join(x.surface for x in source[head + 1 : j])
    return None


def bare_clause(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A clause of a chain (…、逃れ、…) kept as its verb alone: the phrase right before it deleted
    and nothing of its own left before it in the line (定職に就かず、パチンコ狂いの母から逃れ、… ->
    定職に就かず、逃れ、…: escaped what?)."""
    where = _alignment(tokens, source)
    for i in range(len(tokens)):
        k = where.get(i)
        if k is None or k < 2 or not source[k].pos.startswith("動詞") or source[k].pos.startswith("動詞-非自立可能"):
            continue
        if not (i == 0 or tokens[i - 1].surface in ("、", "，")) or (i and where.get(i - 1) == k - 1):
            continue
        if not source[k - 1].pos.startswith("助詞-格助詞") or source[k - 1].surface in ("の", "と") or k - 1 in where.values():
            continue
        j = k + 1
        while j < len(source) and (source[j].pos.startswith("助動詞") or source[j].surface in ("て", "で")):
            j += 1
        if j < len(source) and source[j].surface in ("、", "，") and i + (j - k) < len(tokens) and tokens[i + (j - k)].surface == source[j].surface:
            return tokens[i].surface
    return None


def _figure_phrase(source: Sequence[Token], start: int) -> tuple[str, int] | None:
    """A phrase at ``start`` that gives a figure for a noun (上方向に約180度, 下方向に約13度まで):
    its particle and its end (exclusive), or None."""
    i = start
    while i < len(source) and source[i].pos.startswith(("接頭辞", "名詞-普通名詞", "名詞-固有名詞")):
        i += 1
    if i == start or i >= len(source) or not source[i].pos.startswith("助詞-格助詞") or source[i].surface == "の":
        return None
    particle, i = source[i].surface, i + 1
    if i < len(source) and source[i].pos.startswith("接頭辞"):
        i += 1
    if i >= len(source) or not source[i].pos.startswith("名詞-数詞"):
        return None
    while i < len(source) and source[i].pos.startswith("名詞-数詞"):
        i += 1
    if i < len(source) and source[i].pos.startswith(("名詞-普通名詞-助数詞可能", "接尾辞")):
        i += 1
    if i < len(source) and source[i].pos.startswith("助詞-副助詞"):
        i += 1
    return particle, i


def dropped_parallel(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """One of two figures given side by side deleted while the other stays (液晶モニターは上方向に
    約180度、下方向に約13度まで角度を調節できる -> …上方向に約180度、角度を調節できる: it seems
    to tilt up only)."""
    kept = _aligned(tokens, source)
    for c in range(2, len(source) - 2):
        if source[c].surface not in ("、", "，") or c not in kept:
            continue
        second = _figure_phrase(source, c + 1)
        if second is None:
            continue
        a = c - 1
        while a > 0 and not (source[a - 1].surface in ("、", "，", "。") or source[a - 1].pos.startswith("助詞-係助詞")):
            a -= 1
        first = _figure_phrase(source, a)
        if first is None or first[1] != c or first[0] != second[0]:
            continue
        if all(i in kept for i in range(a, c)) and not any(i in kept for i in range(c + 1, second[1])):
            return "".join(x.surface for x in source[c + 1 : second[1]])
    return None


def dropped_target(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """Whom or what an act is aimed at (…に対して, …に対する) deleted while the act stays (法務省は、
    当時の大阪地検の幹部らに対して処分を行うべきかどうかを検討 -> 法務省は、処分を行うべきかどうかを
    検討: the act's target is its point)."""
    kept = _aligned(tokens, source)
    for k in range(1, len(source) - 2):
        if source[k].surface != "に" or not source[k].pos.startswith("助詞-格助詞") or source[k + 1].lemma != "対する":
            continue
        if k in kept or k + 1 in kept or k - 1 in kept:
            continue
        end = k + 2 + (source[k + 2].surface == "て")
        # the act: the noun that 対する describes, else the predicate that 対して goes to
        head = end if source[k + 1].cform.startswith("連体形") else head_index(source, end - 1)
        while head is not None and head < len(source) and source[head].pos.startswith(("補助記号", "名詞-普通名詞-副詞可能")):
            head += 1
        # (a verb of asking or saying still says enough: 3社に対し、…改善を求めることにした ->
        # …改善を求めることにした; an act done — 処分を行う — or a noun of one does not)
        if head is None or head >= len(source) or head not in kept:
            continue
        if source[k + 1].cform.startswith("連体形") or source[head].lemma in _LIGHT_VERBS:
            return _nouns_before(source, k) + "に" + "".join(x.surface for x in source[k + 1 : end])
    return None


def dropped_place(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """Where something is, or is not, deleted while its being there stays (…充電端子のmicroUSB
    端子にカバーがありません -> …カバーがありません: the phone has no cover at all?). A time (夏に)
    or a formal noun (ために, 場合に) may go."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    for k in range(1, len(source) - 1):
        t, prev = source[k], source[k - 1]
        if depths[k] or t.surface != "に" or not t.pos.startswith("助詞-格助詞") or k in kept or k - 1 in kept:
            continue
        if not prev.pos.startswith(("名詞-普通名詞", "名詞-固有名詞", "接尾辞-名詞的-一般")) or _is_time(source, k - 1) or prev.surface in _FORMAL_PLACES:
            continue
        j = head_index(source, k)
        if j is not None and j in kept and source[j].lemma in ("有る", "無い", "居る"):
            return _nouns_before(source, k) + "に"
    return None


#: Nouns that make a に phrase a time or a condition, not a place (ために, 場合に, 際に).
_FORMAL_PLACES = frozenset("ため 場合 際 折 とき 時 うち 間 前 後 以外 ほか 他 上 中".split())


def handed_topic(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A topic whose own predicate, a passive one, was deleted while a later active one stays
    (子猫は同駅の駅長室に一時保護され、…センターに連絡 -> 子猫は…センターに連絡: the kitten was
    kept; someone else called). The topic now does what was done to it, or by another."""
    kept = _aligned(tokens, source)
    predicates = _predicates(source)
    for k in range(1, len(source) - 1):
        if source[k].surface != "は" or not source[k].pos.startswith("助詞-係助詞") or k not in kept or not source[k - 1].pos.startswith(("名詞", "接尾辞")):
            continue
        first = head_index(source, k)
        if first is None or first in kept or not _passive(source, first):
            continue
        # (the topic's own: no subject of its own between — 大統領選は5日に投票が行われ — and a
        # clause of the chain, not one that describes a noun — 日本で発売されたXperia)
        if any(x.surface == "が" and x.pos.startswith("助詞-格助詞") for x in source[k + 1 : first]):
            continue
        end = first + 1
        while end < len(source) and (source[end].pos.startswith(("助動詞", "動詞-非自立可能")) or source[end].surface in ("て", "で")):
            end += 1
        if end >= len(source) or source[end].surface not in ("、", "，"):
            continue  # (…に必要とされていた加入料: a clause that describes a noun)
        later = next((q for q in predicates if q > first + 1 and q in kept), None)
        if later is None or _passive(source, later):
            continue
        # (a later act with an object of its own is most often the topic's too: 管理会社は、
        # [家主から…依頼され、]…男性を不法に部屋から閉め出した)
        if any(i in kept and source[i].surface == "を" and source[i].pos.startswith("助詞-格助詞") for i in range(end, later)):
            continue
        return _nouns_before(source, k) + "は"
    return None


def _passive(tokens: Sequence[Token], j: int) -> bool:
    """Whether the predicate at ``j`` is passive (保護され, 贈られた)."""
    for x in tokens[j + 1 : j + 4]:
        if x.lemma in ("れる", "られる") and x.pos.startswith("助動詞"):
            return True
        if not x.pos.startswith(("助動詞", "動詞-非自立可能")):
            return False
    return False


#: Words that put an event in the past (昨年7月の「北斗賞」で…遂げてみせる).
_PAST_TIMES = frozenset("昨年 去年 一昨年 昨日 先月 先週 前年 先日 前日 前回 昨季 昨シーズン 前季".split())


def dropped_past_time(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A word that sets the event in the past deleted while the sentence tells it in the
    present, as news narration does (コンビは昨年7月の「北斗賞」で、…重賞制覇を遂げてみせる ->
    コンビは…重賞制覇を遂げてみせる: now it reads as a promise)."""
    kept = _aligned(tokens, source)
    gone = next((t.surface for i, t in enumerate(source) if t.surface in _PAST_TIMES and i not in kept), None)
    if gone is None:
        return None
    return gone if final_tense(tokens) == "now" else None


#: Nouns that make a clause the occasion of what follows (勝利した際に, 来日した時).
_OCCASIONS = frozenset(("際", "時", "とき", "場合", "折"))


def narrowed_occasion(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A phrase of the clause that sets the occasion (…際に, …時, …場合) deleted while the
    clause stays: the occasion is widened (記念メダルはレコードタイムで勝利した際に贈られた ->
    勝利した際に贈られた: the medal marks the record, not any win)."""
    kept = _aligned(tokens, source)
    phrases = None  # (found once, when the sentence has an occasion)
    for p in range(1, len(source) - 1):
        if source[p].surface not in _OCCASIONS or not source[p].pos.startswith("名詞"):
            continue
        verb = p - 1
        while verb > 0 and source[verb].pos.startswith("助動詞"):
            verb -= 1
        if not source[verb].pos.startswith(("動詞", "形容詞")) or verb not in kept or p not in kept:
            continue
        if source[verb].pos.startswith("動詞-非自立可能") and verb > 0 and source[verb - 1].pos.startswith("名詞-普通名詞-サ変"):
            verb -= 1  # (勝利した: the サ変 noun is the predicate)
        phrases = phrases if phrases is not None else list(_attachments(source))
        for k, key in phrases:
            if k < verb and k not in kept and head_index(source, k) == verb and source[k].surface in _CASE_PARTICLES:
                return key[0] + key[1]
    return None


def dropped_schedule(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """The date of what is to come deleted while the line tells it as to come, and keeps no
    date of its own (後篇は4月21日より公開される -> 後篇は公開される: that it will open says
    nothing without when)."""
    if final_tense(tokens) != "now" or any(_date_at(tokens, i) for i in range(len(tokens))):
        return None
    kept = _aligned(tokens, source)
    predicates = _predicates(source)
    for i in range(len(source) - 1):
        if _date_at(source, i) and i not in kept:
            nxt = source[i + 1]
            # (the date of the predicate the line ends on: not of a clause deleted whole, as in
            # 1995年7月30日に…起きた事件で、…支払うことを明らかにした)
            head = head_index(source, i + 1)
            if head is None or head not in kept or not predicates or head != predicates[-1]:
                continue
            if nxt.surface in ("より", "から", "に") and nxt.pos.startswith("助詞") and i + 1 not in kept:
                start = i
                while start > 0 and source[start - 1].pos.startswith(("名詞-数詞", "名詞-普通名詞-助数詞可能")):
                    start -= 1
                return "".join(x.surface for x in source[start : i + 2])
    return None


def _date_at(tokens: Sequence[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is the 日 or 月 of a date (21日, 4月)."""
    return tokens[i].surface in ("日", "月") and i > 0 and tokens[i - 1].pos.startswith("名詞-数詞")


def bare_opening(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A line that opens with a verb its sentence did not open with: every phrase before it
    deleted (2チームで争い、スタートは… -> 争い、スタートは…: who competes, and how?)."""
    where = _alignment(tokens, source)
    # (as it stood in its sentence: alone, 争い opening a line reads as a noun)
    first = where.get(0)
    if first and source[first].pos.startswith("動詞") and not source[first].pos.startswith("動詞-非自立可能"):
        return tokens[0].surface
    return None


def dropped_also(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A word with も right before its predicate deleted while the predicate stays (4冠の立場も
    守った -> 守った: what was kept is gone; 彼も来た -> 来た; その電波の送信も実施される ->
    実施される, the predicate a サ変 noun with its する)."""
    where = _alignment(tokens, source)
    kept = set(where.values())
    depths = _bracket_depths(source)
    for k in range(1, len(source) - 1):
        t, prev, nxt = source[k], source[k - 1], source[k + 1]
        if t.surface != "も" or not t.pos.startswith("助詞-係助詞") or depths[k] or not prev.pos.startswith(("名詞", "接尾辞")):
            continue
        verb = nxt.pos.startswith(("動詞", "形容詞")) or (
            nxt.pos.startswith("名詞-普通名詞-サ変可能") and k + 2 < len(source) and source[k + 2].lemma == "為る"
        )
        if verb and k + 1 in kept and k not in kept and k - 1 not in kept:
            return _nouns_before(source, k) + "も"
    return None


def stacked_subject(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A subject (…が) left with no predicate of its own: the words up to its predicate were
    deleted and another subject or topic follows it at once (番組内容が、児童養護施設の…を侵害して
    いるとして…委員会は -> 番組内容が、…委員会は; 手すりが…崩れ、…見物客4人が -> 手すりが見物客4人が)."""
    return _stacked(tokens, source, "が", ("が", "は"))


def stacked_topic(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A topic (…は) left with no predicate of its own before another topic (…男性客たちは[彼女に
    罵声を浴びせ、]未来は…お金を拾い集めます -> 男性客たちは未来は…拾い集めます: the customers
    now pick up the money)."""
    return _stacked(tokens, source, "は", ("は",))


#: Words that make a statement hold for all of its topic (映画は…恋愛物語ばかり).
_UNIVERSAL = frozenset(("ばかり", "全て", "総て", "何れも", "どれも", "全部", "皆", "全員"))


def widened_topic(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A statement about all of its topic (…ばかり, すべて, いずれも) whose topic lost the modifier
    that narrowed it (今作られる映画は…恋愛物語ばかり -> 映画は…恋愛物語ばかり: every film, not the
    films made now). What narrows the predicate may go (ピュアな恋愛物語 -> 恋愛物語 says less)."""
    if not any(t.lemma in _UNIVERSAL or t.surface in _UNIVERSAL for t in tokens):
        return None
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    for k in range(1, len(source)):
        if source[k].surface != "は" or not source[k].pos.startswith("助詞-係助詞") or depths[k] or k not in kept:
            continue
        m = k
        while m > 0 and source[m - 1].pos.startswith(("名詞", "接尾辞", "接頭辞")):
            m -= 1
        if m == k or m == 0 or m not in kept:
            continue
        before = source[m - 1]
        modifier = (
            before.pos.startswith(("動詞", "形容詞")) and before.cform.startswith("連体形")
            or before.pos.startswith("助動詞") and before.cform.startswith("連体形")
            or before.surface == "の" and before.pos.startswith("助詞-格助詞")
        )
        if modifier and m - 1 not in kept:
            return "".join(x.surface for x in source[m:k])
    return None


def uncoupled_topic(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A topic kept while its predicate, a copula after a noun or a quotation (…感想は「…」だった
    のだが), was deleted, so that the topic takes what follows as its predicate (私の感想はさすが
    旬の2人: the impression was the doubt, not the praise)."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    for k in range(1, len(source) - 1):
        t = source[k]
        if t.surface != "は" or not t.pos.startswith("助詞-係助詞") or depths[k] or k not in kept:
            continue
        if not source[k - 1].pos.startswith(("名詞", "接尾辞")):
            continue
        for j in range(k + 1, len(source)):
            x = source[j]
            if depths[j] or x.pos.startswith("補助記号-括弧"):
                continue
            if x.pos.startswith(("動詞", "形容詞")) or x.surface in ("、", "。", "，"):
                break
            # (a copula that ends a predicate: not 別に, 有名な — an adverb, an attribute)
            if x.lemma in ("だ", "です") and x.pos.startswith("助動詞") and x.surface not in ("に", "な") and source[j - 1].pos.startswith(("名詞", "補助記号-括弧閉")):
                if j not in kept and any(i in kept for i in range(j + 1, len(source)) if not source[i].pos.startswith("補助記号")):
                    return _nouns_before(source, k) + "は"
                break
    return None


def orphaned_adjectival_subject(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A subject (…が) kept while the adjectival noun right after it, its own predicate, was
    deleted (フルHD撮影が[可能な]約800万画素カメラを搭載し -> フルHD撮影が…搭載し): the subject now
    reads as the next predicate's."""
    where = _alignment(tokens, source)
    kept = set(where.values())
    for k in range(1, len(source) - 2):
        t = source[k]
        if t.surface != "が" or not t.pos.startswith("助詞-格助詞") or k not in kept:
            continue
        if source[k + 1].pos.startswith("形状詞") and source[k + 2].surface == "な" and k + 1 not in kept:
            return _nouns_before(source, k) + "が"
    return None


def stacked_object(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """An object (…を) left with no predicate of its own, so that the next predicate has two
    (K-POPアーティストを[はじめとして…振付師としても]カリスマ的人気を誇っている -> アーティストを
    カリスマ的人気を誇っている)."""
    return _stacked(tokens, source, "を", ("を",))


def _stacked(tokens: Sequence[Token], source: Sequence[Token], particle: str, following: tuple[str, ...]) -> str | None:
    where = _alignment(tokens, source)
    # (a topic inside a quotation is the quotation's: 金田師は「…持ち味は出せない…」という)
    quoted = _bracket_depths(tokens) if particle == "は" else [0] * len(tokens)
    for k in range(1, len(tokens)):
        t = tokens[k]
        # (a clause closed by か is an object too: …実施できているかを[確認できる]資料を)
        if t.surface != particle or not t.pos.startswith("助詞-係助詞" if particle == "は" else "助詞-格助詞") or not (tokens[k - 1].pos.startswith(("名詞", "接尾辞")) or tokens[k - 1].surface == "か"):
            continue
        for j in range(k + 1, len(tokens)):
            x = tokens[j]
            if x.pos.startswith(("動詞", "形容詞")) or x.pos.startswith("名詞-普通名詞-サ変") and j + 1 < len(tokens) and tokens[j + 1].pos.startswith(("動詞", "助動詞")):
                break  # its predicate
            if particle == "が" and x.surface in ("、", "，") and tokens[j - 1].pos.startswith(("名詞", "接尾辞")):
                break  # a noun predicate that closes its clause (男性が白組、女性が紅組)
            if x.surface in following and not quoted[j] and x.pos.startswith(("助詞-格助詞", "助詞-係助詞")) and tokens[j - 1].pos.startswith(("名詞", "接尾辞", "補助記号-括弧閉")):
                # another before any predicate: fine only if so in the source as well
                between = source[where[k] + 1 : where[j]] if k in where and j in where else []
                # (a noun before a comma closes a clause as its predicate: 上段が優勝国、下段が)
                closed = any(a.pos.startswith(("名詞", "接尾辞")) and b.surface in ("、", "，") for a, b in zip(between, between[1:]))
                if any(s.pos.startswith(("動詞", "形容詞")) for s in between) or closed and particle == "が":
                    return (_nouns_before(tokens, k) or "…" + tokens[k - 1].surface) + particle
                break
        else:
            # no predicate after it at all: a subject whose own predicate right after it was
            # deleted, so that the noun the sentence ends on reads as what it is (オシャレが大好き
            # な普通の28歳の女性 -> オシャレが28歳の女性)
            between = source[where[k] + 1 : where[k + 1]] if particle == "が" and k in where and k + 1 in where else []
            if any(s.pos.startswith(("動詞", "形容詞", "形状詞")) for s in between):
                return (_nouns_before(tokens, k) or "…" + tokens[k - 1].surface) + particle
    return None


def bare_junction(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A noun (or a mark) run straight into a verb that did not follow it in the source
    (スマートフォン「…」を開発したことをあきらかにした -> スマートフォンあきらかにした): the particle
    and the predicate between were deleted, and what was done is lost."""
    pairs = {(a.surface, b.surface) for a, b in zip(source, source[1:])}
    whole = "".join(t.surface for t in source)
    whole += "\n" + NOTE.sub("", whole)  # a note between them may go: 買い付け(TOB)する
    for a, b in zip(tokens, tokens[1:]):
        verb = b.pos.startswith(("動詞", "形状詞", "形容詞")) and (
            a.pos.startswith(("名詞", "接尾辞")) or (a.pos.startswith("補助記号") and a.surface not in "、。，．「『（(")
        )
        # a name cut after its middle dot: セントラル・リーグは…決定した -> セントラル・決定した
        dot = a.surface in ("・", "＝", "=")
        if (verb or dot) and (a.surface, b.surface) not in pairs and a.surface + b.surface not in whole:
            # (not in the source as written either: the same words, tokenised otherwise in context)
            return a.surface + b.surface
    # the same across a comma: a noun left with no particle before another clause's verb
    # (強い意思と勇気、そして…様々なシーンに登場している -> 勇気、登場している); a date or a time
    # before its comma is an adverb (13日、発表した)
    for k in range(len(tokens) - 2):
        a, comma, b = tokens[k : k + 3]
        doing = b.pos.startswith("名詞-普通名詞-サ変") and k + 3 < len(tokens) and tokens[k + 3].lemma == "為る"  # 登場している
        if comma.surface not in ("、", "，") or not (b.pos.startswith(("動詞", "形容詞")) or doing) or not a.pos.startswith("名詞-普通名詞"):
            continue
        if a.pos.startswith(("名詞-普通名詞-副詞可能", "名詞-普通名詞-助数詞可能")):
            continue
        if a.surface + comma.surface + b.surface not in whole:
            return a.surface + comma.surface + b.surface
    return None


def dropped_comparison(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """A superlative kept without the set it compares within (太陽系で見つかった天体の中では最も
    大きい -> 最も大きい: the largest of what?)."""
    if not any(t.surface in _SUPERLATIVES for t in tokens):
        return None
    kept = _aligned(tokens, source)
    for i in range(1, len(source) - 1):
        if source[i].surface in ("中", "うち") and source[i - 1].surface == "の" and source[i + 1].surface == "で" and i not in kept:
            return _nouns_before(source, i - 1) + "の" + source[i].surface + "で"
    return None


def dropped_standard(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """What a comparison is made against (…より) deleted while what it compares stays: an
    adjective or 上/下 right after it, past adverbs (平均より少し上といったところ -> 上といったところ:
    above what?; 例年より早い -> 早い says another thing)."""
    kept = _aligned(tokens, source)
    for k in range(1, len(source) - 1):
        t = source[k]
        if t.surface != "より" or not t.pos.startswith("助詞-格助詞") or k in kept or not source[k - 1].pos.startswith(("名詞", "接尾辞")):
            continue
        j = k + 1
        while j < len(source) and source[j].pos.startswith("副詞"):
            j += 1
        if j < len(source) and j in kept and (source[j].pos.startswith("形容詞-一般") or source[j].surface in ("上", "下")):
            return _nouns_before(source, k) + "より"
    return None


def orphaned_complement(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """What a verb becomes, is called, reaches or fits — a に or と phrase right before it (past
    a は, も or an adverb) — deleted while the verb stays (急速充電対応とはなっていません ->
    なっていません, 「ブラックヘッド」と呼び -> 呼び, 一眼レフの画質には到底およばない -> 到底
    およばない): the verb says nothing, or something else, without it. A time (1日に発売) or a
    formal noun (ために, 際に) may go."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    for k in range(1, len(source) - 1):
        t, prev = source[k], source[k - 1]
        if depths[k] or t.surface not in ("に", "と") or not t.pos.startswith("助詞-格助詞") or k in kept:
            continue
        # (a noun that may be a counter when no number precedes it: 馬術部に所属する; not 1日に)
        counter = prev.pos.startswith("名詞-普通名詞-助数詞可能") and k >= 2 and not source[k - 2].pos.startswith("名詞-数詞")
        if not (prev.pos.startswith(("名詞-普通名詞-一般", "名詞-普通名詞-サ変", "名詞-固有名詞", "接尾辞-名詞的-一般")) or counter or prev.surface in ("」", "』")):
            continue
        j = k + 1
        while j < len(source) and (source[j].pos.startswith("副詞") or source[j].surface in ("は", "も") and source[j].pos.startswith("助詞-係助詞")):
            j += 1
        if t.surface == "に" and j < len(source) and source[j].surface in ("、", "，"):
            # set off by a comma, the phrase may reach past a clause to its verb (…部門に、…を追った、
            # NHKスペシャル…が選ばれ), unless another に phrase comes first
            j = next((i for i in range(j + 1, len(source)) if source[i].lemma in _BECOMES_TO and not depths[i]
                      or source[i].surface in ("に", "。") and source[i].pos.startswith(("助詞-格助詞", "補助記号-句点"))), len(source))
            if j < len(source) and source[j].lemma not in _BECOMES_TO:
                continue
        if j >= len(source) or j not in kept:
            continue
        if source[j].lemma not in (_BECOMES_TO if t.surface == "に" else _CALLED):
            continue  # (…に指定された, …と会談した: the verb says enough, or a partner: orphaned_object's)
        if prev.surface in ("」", "』"):
            opening = next((i for i in range(k - 2, -1, -1) if source[i].surface in ("「", "『")), k - 1)
            if any(i in kept for i in range(opening, k)):
                continue
            return "".join(x.surface for x in source[opening : k + 1])
        if k - 1 in kept:
            continue
        return _nouns_before(source, k) + t.surface
    return None


#: Verbs that say nothing without what they become or reach (…に), or what they call or deem
#: something (…と).
#: (and what one is chosen or appointed as: …の時事問題部門に選ばれ, 大使に任命された)
#: (and what one enters or joins: 電気自動車関連事業に参入する, W杯に出場する; what it is limited to)
_BECOMES_TO = frozenset((
    "成る", "及ぶ", "達", "達する", "該当", "対応", "就任", "相当", "匹敵", "至る", "変わる", "選ぶ", "選出", "任命", "指名", "輝く",
    "参入", "進出", "加盟", "参加", "出場", "限る", "のめり込む", "没頭", "熱中", "当てる", "充てる", "所属",
))
#: (and what a figure is estimated at: 被災者数を250万人と推定し)
_CALLED = frozenset(("成る", "呼ぶ", "言う", "名付ける", "見なす", "推定", "見積もる", "試算", "算出", "予測", "予想"))


def orphaned_figure(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """What a とする puts a figure on deleted while the figure stays (朝日新聞は、[パキスタン
    での犠牲者の数を]2万3,000人としている -> 朝日新聞は、2万3,000人としている: a number of what?)."""
    kept = _aligned(tokens, source)
    for k in range(1, len(source) - 2):
        if source[k].surface != "を" or not source[k].pos.startswith("助詞-格助詞") or k in kept or k - 1 in kept:
            continue
        for j in range(k + 1, len(source) - 1):
            x = source[j]
            if x.surface in ("、", "，") or x.pos.startswith(("動詞", "形容詞")):
                break
            if x.surface == "と" and source[j + 1].lemma == "為る":
                if j in kept and j + 1 in kept:
                    return _nouns_before(source, k) + "を"
                break
    return None


def dropped_each(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """それぞれ deleted while the predicate it distributes stays (…2004年4月にアメリカ合衆国で、
    2005年4月に日本でそれぞれ始まった -> …2004年4月にアメリカ合衆国で、日本で始まった): what was
    said of each is said of all."""
    kept = _aligned(tokens, source)
    for k, t in enumerate(source):
        if t.surface != "それぞれ" or k in kept:
            continue
        verb = next((j for j in range(k + 1, len(source)) if source[j].pos.startswith(("動詞-一般", "名詞-普通名詞-サ変"))), None)
        # (only while two of the parts it distributes over stay: 米国で、日本で始まった; one
        # part alone, 米国で始まった, is said of itself)
        particle = source[k - 1].surface if k and source[k - 1].pos.startswith("助詞") else None
        if verb is not None and verb in kept and particle and sum(x.surface == particle and x.pos.startswith("助詞") for x in tokens) >= 2:
            return "それぞれ"
    return None


def dropped_scope(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """Whom a judgement holds for deleted while the judgement stays (…チャット機能が社会人カップル
    には人気だ -> チャット機能が人気だ; LINEも恋人同士にはぴったりのツールだ): a には or にとって
    phrase before a predicate that is a noun or an adjective, no verb after it; without it the
    judgement holds for everyone. Where it holds (日本では…イメージが強い) likewise."""
    kept = _aligned(tokens, source)
    depths = _bracket_depths(source)
    for k in range(1, len(source) - 1):
        t, nxt = source[k], source[k + 1]
        if depths[k] or t.surface not in ("に", "で") or not t.pos.startswith("助詞-格助詞") or not source[k - 1].pos.startswith(("名詞", "接尾辞")):
            continue
        if nxt.surface == "は" and nxt.pos.startswith("助詞-係助詞"):
            end = k + 2
        elif t.surface == "に" and nxt.surface == "とっ" and k + 2 < len(source) and source[k + 2].surface == "て":
            end = k + 3
        else:
            continue
        rest = source[end:]
        # (a quoted noun's という is no verb of the sentence: 日本では「…」というイメージが強い)
        verbs = [i for i, x in enumerate(rest) if x.pos.startswith("動詞") and not (x.lemma == "言う" and i and rest[i - 1].surface == "と")]
        if verbs or not any(x.pos.startswith(("名詞", "形状詞", "形容詞")) for x in rest):
            continue
        if any(i in kept for i in range(k - 1, end)) or not any(i in kept for i in range(end, len(source)) if source[i].pos.startswith(("名詞", "形状詞", "形容詞"))):
            continue
        return _nouns_before(source, k) + "".join(x.surface for x in source[k:end])
    return None


def dropped_former(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """元, 前 or 旧 deleted from before the noun it qualifies, which stays (元力士の男 -> 力士の
    男; 安藤忠恕前知事 -> 安藤忠恕知事): the former one becomes the present one."""
    kept = _aligned(tokens, source)
    for i in range(len(source) - 1):
        t, nxt = source[i], source[i + 1]
        if t.surface not in ("元", "前", "旧") or not t.pos.startswith(("名詞", "接頭辞")) or not nxt.pos.startswith("名詞-普通名詞"):
            continue
        if nxt.pos.startswith(("名詞-普通名詞-副詞可能", "名詞-普通名詞-助数詞可能")) or i and source[i - 1].pos.startswith(("名詞-数詞", "接尾辞-名詞的-助数詞")):
            continue  # (3日前, 前年)
        if i + 1 in kept and i not in kept:
            return f"{t.surface} of {t.surface}{nxt.surface}"
    return None


def stripped_light_verb(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """する or ある kept without the noun it made a word with (美学を具現化したもの -> 美学を
    したもの; 名誉ある賞 -> ある賞: "a certain prize")."""
    where = _alignment(tokens, source)
    kept = set(where.values())
    for j in range(1, len(source)):
        t, prev = source[j], source[j - 1]
        light = t.lemma in ("為る", "有る") or t.surface == "ある" and t.pos.startswith("連体詞")  # (名誉ある: read as 或る)
        if light and prev.pos.startswith(("名詞", "接尾辞")) and j in kept and j - 1 not in kept:
            return prev.surface + t.surface
    return None


def dropped_partner(tokens: Sequence[Token], source: Sequence[Token]) -> str | None:
    """One of two parties joined by と before の (「イーマ」と映画『ベルセルク』のコラボ) dropped
    while the other stays (『ベルセルク』のコラボ): a joint act becomes one party's. Only
    "A と B の …" counts: a と after a quotation or before a verb's phrase is not a pair."""
    text = "".join(t.surface for t in tokens)
    for k in range(1, len(source) - 1):
        t, prev, nxt = source[k], source[k - 1], source[k + 1]
        if t.surface != "と" or not t.pos.startswith(("助詞-格助詞", "助詞-並立助詞")):
            continue
        if not (prev.pos.startswith(("名詞", "接尾辞")) or prev.surface in ("」", "』")):
            continue
        if not (nxt.pos.startswith("名詞") or nxt.surface in ("「", "『")):
            continue
        left = prev.surface
        if left in ("」", "』"):
            opener = "「" if left == "」" else "『"
            j = max((i for i in range(k - 1) if source[i].surface == opener), default=None)
            left = "".join(x.surface for x in source[j + 1 : k - 1]) if j is not None else ""
            if len(left) > 12 or any(c in left for c in "、。"):
                continue  # someone's words, not a name
        # the second party: its nouns up to the particle that ends it (映画『ベルセルク』の)
        # the second party as it ends, with the の and the noun it joins them to: 『ベルセルク』のコラボ
        depth, j = 0, k + 1
        while j < len(source):
            depth += source[j].surface in ("「", "『")
            depth -= source[j].surface in ("」", "』")
            if not depth and source[j].pos.startswith("助詞"):
                break
            j += 1
        if j + 1 >= len(source) or source[j].surface != "の" or j == k + 1:
            continue
        joint = source[j - 1].surface + "の" + source[j + 1].surface
        if left and left not in text and joint in text:
            return left
    return None


_FRAME = re.compile(r"では[、，]")


_CONTRAST = re.compile(r"(?:が|けど|けれど|ものの|一方)[、，]$")


def moved_frame(text: str, source: str) -> str | None:
    """A frame (物語の中では、) whose own clause — one that ends in a contrast (…ですが、) — was
    deleted, so that it now frames the clause that was contrasted with it: 物語の中では、…扱われる
    マギーですが、現実に… -> 物語の中では、現実に… sets in the story what the source says of real
    life. A frame of the whole sentence (…では、…ことを確認した) may lose the clauses after it."""
    inside = inside_brackets(text)
    for m in _FRAME.finditer(text):
        if inside[m.start()]:
            continue
        head = text[max(0, m.start() - 4) : m.end()]
        follows = text[m.end() : m.end() + 3]
        for i in (i for i in range(len(source)) if source.startswith(head, i)):
            rest = source[i + len(head) :]
            at = rest.find(follows) if follows else -1
            if at > 0 and _CONTRAST.search(rest[:at]):
                return head
    return None


_CLEFT = re.compile(r"(?:[^、。「」『』]{1,4})の[はが]、|[^、。「」『』]{0,3}[たるだい]の[はが]")


def dropped_cleft(text: str, source: str) -> str | None:
    """A nominalised clause that is the sentence's subject (重要になってくるのが、…休憩の時間だろう):
    without it the sentence loses what it says of its predicate."""
    inside = inside_brackets(source)
    for match in _CLEFT.finditer(source):
        if not inside[match.start()] and match.group() not in text:
            return match.group()
    return None


def shortened_quote(text: str, source: str) -> str | None:
    """A quotation in ``text`` (NFKC) that is not a whole quotation of ``source``: someone's
    words closed where they did not stop (「…と思う」 from 「…と思うんですけど、…」). A quote may
    end where one of its sentences ends (「A。B！」 -> 「A。」, 「A！」); quotes inside quotes count."""
    whole = [source[a + 1 : b - 1] for a, b in _quote_spans(source)]
    for a, b in _quote_spans(text):
        q = text[a + 1 : b - 1]
        if q in whole:
            continue
        stem = q.rstrip("。")
        if not any(
            w.startswith(stem) and (stem.endswith(_SENTENCE_ENDS) or w[len(stem) : len(stem) + 1] in _SENTENCE_ENDS)
            for w in whole
        ):
            return q
    return None


_SENTENCE_ENDS = ("。", "！", "？", "!", "?")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Every 「」/『』 pair of ``text``, inner ones too."""
    spans, todo = [], [(0, len(text))]
    while todo:
        a, b = todo.pop()
        for x, y in bracket_spans(text[a:b], {"「": "」", "『": "』"}):
            spans.append((a + x, a + y))
            todo.append((a + x + 1, a + y - 1))
    return spans


_PAIRS = (("「", "」"), ("『", "』"), ("（", "）"), ("(", ")"), ("【", "】"), ("“", "”"))


def broken_brackets(text: str, source: str) -> bool:
    """Whether ``text`` opens a bracket it does not close (or the reverse) where ``source`` is
    balanced: 「キリング・ショット』 from 「『キリング・ショット』…」."""
    if any(text.count(a) != text.count(b) and source.count(a) == source.count(b) for a, b in _PAIRS):
        return True
    # a straight quote mark opens and closes alike: one left alone ("…フェスタ"『…』 without its
    # opening ") is half a pair
    return any(text.count(q) % 2 and not source.count(q) % 2 for q in ('"', "'"))


# --------------------------------------------------------------------------------------------
# Script


def _japanese_safe(ch: str) -> bool:
    """Characters a Japanese news sentence may contain without the source having them."""
    if ch.isascii() or ch in "。、「」『』（）・ー〜…！？：％":
        return True
    name = unicodedata.name(ch, "")
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return True
    if name.startswith("CJK UNIFIED IDEOGRAPH"):
        return is_jis_kanji(ch)
    return unicodedata.category(ch)[0] in "PSZN"


# --------------------------------------------------------------------------------------------
# Loops

_LOOP = re.compile(r"(.{2,}?)\1{2,}")


def _loops(text: str) -> bool:
    """A phrase repeated three times in a row, or one 4+ character phrase four times anywhere."""
    if _LOOP.search(text):
        return True
    for size in (4, 6):
        seen: dict[str, int] = {}
        for i in range(len(text) - size + 1):
            chunk = text[i : i + size]
            seen[chunk] = seen.get(chunk, 0) + 1
            if seen[chunk] >= 4:
                return True
    return False


# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a generated sentence may be used, and if not, why (one short phrase)."""

    ok: bool
    reason: str = ""


OK = Verdict(True)

_CONTENT_POS = ("名詞-普通名詞", "名詞-固有名詞", "動詞-一般", "形容詞-一般")


class Checker:
    """Checks generated sentences against their source sentences. Built once; holds the tagger."""

    def __init__(self, tagger: Tagger, *, max_chars: int, min_chars: int, redundancy: float = 0.5) -> None:
        self.tagger = tagger
        self.max_chars = max_chars
        self.min_chars = min_chars
        self.redundancy = redundancy

    def check(
        self,
        text: str,
        sources: Sequence[str],
        *,
        article: str = "",
        others: Sequence[str] = (),
        headline: str | None = None,
        hedges: bool = True,
        compounds: bool = False,
        deletion: bool = False,
        negation: bool = True,
    ) -> Verdict:
        """Check ``text`` against ``sources`` (the sentences it restates). ``article`` is the
        whole article text (for script checks: a character the article uses is allowed);
        ``others`` are the sentences already accepted (bullets), ``headline`` the title;
        ``compounds``: every run of nouns in ``text`` must stand in the sources as written (for
        free writing, where a word can be garbled: 北道東部 for 北海道東部); ``deletion``: ``text``
        was made by deleting words from its one source, so a negation may go with its clause;
        ``negation=False`` leaves negation parity to the caller (free writing over several
        sentences compares it with the sentences it restates, not with all of them)."""
        if not text.strip():
            return Verdict(False, "empty")
        # A line of a product's name is as Latin as its source sentence (「docomo NEXT series」は…),
        # and Latin words its sources use are names, not a switch of language (NECのThinkPadの試験生産).
        joined = "".join(sources)
        if not has_japanese(text) or _japanese_share(_LATIN_WORD.sub(
            lambda m: m[0] if m[0] not in joined else "", text
        )) < min(0.5, _japanese_share(joined) - 0.1):
            return Verdict(False, "not Japanese")
        if len(text) > self.max_chars:
            return Verdict(False, f"longer than {self.max_chars} characters")
        if len(text) < self.min_chars:
            return Verdict(False, f"shorter than {self.min_chars} characters")
        if _loops(text):
            return Verdict(False, "repeats itself")
        source = normalize("".join(sources))
        article_chars = set(normalize(article or source))
        stray = sorted({ch for ch in normalize(text) if ch not in article_chars and not _japanese_safe(ch)})
        if stray:
            return Verdict(False, f"characters not in the article: {''.join(stray)}")
        missing = missing_numbers(text, source)
        if missing:
            return Verdict(False, f"numbers not in the source: {', '.join(missing)}")
        # A quotation is someone's words: it must stand in the source as it is, not merged
        # from two quotes or reworded (「好循環を慎重に見極めたい」 from 「…見極める必要がある」
        # and 「…が続いているかを慎重に見極めたい」).
        misquoted = [q for q in _QUOTED.findall(normalize(text)) if q not in source]
        if misquoted:
            return Verdict(False, f"quote not in the source: 「{misquoted[0]}」")
        tokens = self.tagger.tokens(normalize(text))
        source_tokens = self.tagger.tokens(source)
        if compounds:
            # Runs are joined without the spaces MeCab skips (ELUGA V P-06D -> ELUGAVP), and
            # across a note in parentheses that was deleted whole (岩瀬仁紀(ひとき)投手 ->
            # 岩瀬仁紀投手, ビール類(発泡酒…を含む)出荷量 -> ビール類出荷量).
            spaceless = re.sub(r"\s+", "", source)
            unnoted = NOTE.sub("", spaceless)
            # (a question's 何 before a counter asks for the number: 何歳 is 37歳's; its
            # いくら or 誰 is its own)
            unseen = [
                run for run in noun_runs(tokens)
                if run not in WH_WORDS and not any(r in source or r in spaceless or r in unnoted for r in {run, run.removeprefix("何") or run})
            ]
            if unseen:
                return Verdict(False, f"words not in the source: {'、'.join(unseen)}")
        names = missing_names(tokens, source)
        if names:
            return Verdict(False, f"names not in the source: {'、'.join(names)}")
        if negation and (flipped_negation(tokens, source_tokens) if deletion else negations(tokens) % 2 != negations(source_tokens) % 2):
            return Verdict(False, "negation differs from the source")
        # A heading (hedges=False) names a topic; it does not restate a claim, so it carries no
        # によると or 予定 of its own.
        dropped = dropped_hedges(normalize(text), source) if hedges else []
        if dropped:
            return Verdict(False, f"drops {'、'.join(dropped)} from the source")
        content = {t.lemma for t in tokens if t.pos.startswith(_CONTENT_POS)}
        if content:
            source_lemmas = {t.lemma for t in source_tokens}
            present = sum(1 for lemma in content if lemma in source_lemmas)
            if present * 2 < len(content):
                return Verdict(False, "content words mostly not in the source")
        words = set(terms(normalize(text)))
        if headline:
            head = normalize(headline)
            if normalize(text).rstrip("。") == head.rstrip("。") or jaccard(words, set(terms(head))) > 0.8:
                return Verdict(False, "repeats the headline")
        for other in others:
            if normalize(other) == normalize(text) or jaccard(words, set(terms(normalize(other)))) > self.redundancy:
                return Verdict(False, "repeats another bullet")
        return OK


_ENDS = "。．！？!? 」』）)"
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]\s*(?=[。．！？!?]*\s*$)")


def continues_another(tokens: Sequence[Token]) -> bool:
    """Whether a sentence opens on a particle that ties it to what came before it (…。といった
    問題があったことを明らかにした, …。などの…: a list the page flattened) — not an opening
    connective (となると、, とはいっても、)."""
    opening = tokens[:4]
    if not opening:
        return False
    if opening[0].surface in ("など", "の", "を", "が", "や") and opening[0].pos.startswith("助詞"):
        return True
    if len(opening) < 3 or opening[0].surface != "と" or opening[1].lemma != "言う":
        return False
    # という + noun, といった + noun
    if opening[1].cform.startswith("連体形") and opening[2].pos.startswith("名詞"):
        return True
    return opening[2].surface == "た" and len(opening) > 3 and opening[3].pos.startswith("名詞")


def deletion_problem(text: str, source: str, tagger: Tagger) -> str | None:
    """Why ``text``, made by deleting words from the one sentence ``source``, says something
    ``source`` does not — or None. Deleting from a Japanese sentence changes what it says when
    it takes away the main predicate (or part of it), re-attaches a word or a phrase to another
    particle or predicate, cuts a word, a pair of brackets or a quotation, or drops who did it:
    the sentence's topic, the subject of a predicate it keeps, or a subject that governs a later
    predicate (「国務長官が記者会見で、…見解を示した」 without 国務長官が gives the view to
    whoever else is named). The same rules hold for the model's constrained lines and for the
    extractive path's clause deletions."""
    text, source = normalize(text), normalize(source)
    if not derived_from(text, source):
        return "not a shortening of its sentence"
    # A note in parentheses after the predicate (「…を超えた（興行収入：…）。」, 「…ナナさん
    # （28歳・会社員）。」) may go; a sentence that is one quotation ends where one of its
    # sentences ends (shortened_quote), not at its last word.
    end = _TRAILING_NOTE.sub("", source)
    quote = end.startswith(("「", "『")) and end.rstrip("。").endswith(("」", "』"))
    # (A cut-off output — token limit, timeout — also fails here.)
    ends = {end.rstrip(_ENDS)[-3:], source.rstrip(_ENDS)[-3:]}  # with the note or without it
    if not quote and not any(text.rstrip(_ENDS).endswith(e) for e in ends):
        return "drops the end of its sentence (the main predicate)"
    text_tokens, source_tokens = tagger.tokens(text), tagger.tokens(source)
    # Cut from a sentence that continues another, a line loses what it is about.
    if continues_another(source_tokens) and text_tokens and text_tokens[0].surface != source_tokens[0].surface:
        return f"drops the opening of a sentence that continues another ({source_tokens[0].surface})"
    moved = reattached_particle(text_tokens, source_tokens)
    if moved:
        return f"joins a word to another particle than in its sentence: {moved}"
    rewired = rewired_phrase(text_tokens, source_tokens)
    if rewired:
        return f"attaches a phrase to another predicate than in its sentence: {rewired}"
    piece = broken_word(text_tokens, source_tokens)
    if piece:
        return f"cuts inside a word: {piece}"
    if broken_brackets(text, source):
        return "breaks a pair of brackets"
    # Latin words that a deleted note or space stood between run into one (7インチWXGA
    # （1280×800ドット）IPS液晶 -> WXGAIPS); the tagger reads the result as one word.
    for run in re.findall(r"[A-Za-z0-9]+", text):
        if not re.search(rf"(?<![A-Za-z0-9]){run}(?![A-Za-z0-9])", source):
            return f"runs words together that were apart: {run}"
    # A line that opens with who speaks or what is given (ひがし紀子（以下、ひがし）：実家が…,
    # 価格：…) says it only with that label: without it an interviewee's words read as the
    # article's own statement.
    # (its note may go: 谷村美月（以降、谷村）： -> 谷村美月：)
    label = opening_label(source)
    if label and not re.sub(r"\s+", "", NOTE.sub("", text)).startswith(label):
        return f"drops the label its sentence opens with ({label})"
    ending, at_end = ("", True) if quote else final_predicate(tagger.tokens(end))
    # (the predicate was found without the source's trailing note: the line may keep the note)
    flat = re.sub(r"\s+", "", _TRAILING_NOTE.sub("", text))
    if ending and not (flat.rstrip("。．！？!?").endswith(ending.rstrip("。．！？!? ")) if at_end else re.sub(r"\s+", "", ending) in flat):
        return f"drops part of its sentence's final predicate ({ending})"
    # The checks of what a deletion may take, each with the reason it gives (evaluated in
    # turn: the first that finds something answers).
    checks: tuple[tuple[str, Callable[[], str | None]], ...] = (
        ("closes a quotation early: 「{}」", lambda: shortened_quote(text, source)),
        ("drops a condition ({})", lambda: dropped_condition(text_tokens, source_tokens)),
        ("detaches a note from its word: {}", lambda: detached_note(text, source)),
        ("attaches a phrase to another word than in its sentence: {}", lambda: dangling_genitive(text_tokens, source_tokens)),
        ("drops the subject ({})", lambda: dropped_cleft(text, source)),
        ("moves a frame onto another clause: {}", lambda: moved_frame(text, source)),
        ("runs a noun into a verb without its particle: {}", lambda: bare_junction(text_tokens, source_tokens)),
        ("keeps a verb without the noun it was made with: {}", lambda: stripped_light_verb(text_tokens, source_tokens)),
        ("drops the {}", lambda: dropped_former(text_tokens, source_tokens)),
        ("drops what a superlative compares within ({})", lambda: dropped_comparison(text_tokens, source_tokens)),
        ("drops what it is compared with ({})", lambda: dropped_standard(text_tokens, source_tokens)),
        ("drops whom its judgement holds for ({})", lambda: dropped_scope(text_tokens, source_tokens)),
        ("drops one of two joined parties ({})", lambda: dropped_partner(text_tokens, source_tokens)),
        ("attaches a phrase to another word than in its sentence: {}", lambda: rewired_modifier(text_tokens, source_tokens)),
        ("drops the object of a predicate it keeps ({})", lambda: orphaned_object(text_tokens, source_tokens)),
        ("runs words together that were apart: {}", lambda: joined_words(text_tokens, source_tokens)),
        ("separates words that belong together: {}", lambda: split_bond(text_tokens, source_tokens)),
        ("drops what told two of the same word apart ({})", lambda: merged_referents(text_tokens, source_tokens)),
        ("drops one of two joined nouns ({})", lambda: dropped_conjunct(text_tokens, source_tokens)),
        ("drops what the {} is", lambda: emptied_noun(text_tokens, source_tokens)),
        ("drops {} from what is denied", lambda: narrowed_denial(text_tokens, source_tokens)),
        ("drops {} from what is denied", lambda: dropped_restriction(text_tokens, source_tokens)),
        ("drops {} from the word it qualifies", lambda: dropped_degree(text_tokens, source_tokens)),
        ("keeps {} without its number", lambda: stranded_bound(text_tokens, source_tokens)),
        ("attaches an adverb to another predicate than in its sentence: {}", lambda: rewired_adverb(text_tokens, source_tokens)),
        ("leaves a subject without its predicate ({})", lambda: stacked_subject(text_tokens, source_tokens)),
        ("leaves a subject without its predicate ({})", lambda: orphaned_adjectival_subject(text_tokens, source_tokens)),
        ("leaves a topic without its predicate ({})", lambda: stacked_topic(text_tokens, source_tokens)),
        ("leaves a topic without its predicate ({})", lambda: uncoupled_topic(text_tokens, source_tokens)),
        ("drops what narrowed the topic of a statement about all of it ({})", lambda: widened_topic(text_tokens, source_tokens)),
        ("leaves an object without its predicate ({})", lambda: stacked_object(text_tokens, source_tokens)),
        ("drops what a predicate it keeps is about ({})", lambda: dropped_also(text_tokens, source_tokens)),
        ("drops whose event it is ({})", lambda: dropped_owner(text_tokens, source_tokens)),
        ("keeps {} without what, where or with whom", lambda: bare_light_verb(text_tokens, source_tokens)),
        ("keeps {} without any of its phrases", lambda: bare_modifier(text_tokens, source_tokens)),
        ("keeps {} without any of its phrases", lambda: bare_opening(text_tokens, source_tokens)),
        ("keeps {} without any of its phrases", lambda: bare_clause(text_tokens, source_tokens)),
        ("drops one of two figures given side by side ({})", lambda: dropped_parallel(text_tokens, source_tokens)),
        ("drops whom its act is aimed at ({})", lambda: dropped_target(text_tokens, source_tokens)),
        ("drops where it is ({})", lambda: dropped_place(text_tokens, source_tokens)),
        ("hands its topic to another predicate ({})", lambda: handed_topic(text_tokens, source_tokens)),
        ("drops when it happened ({})", lambda: dropped_past_time(text_tokens, source_tokens)),
        ("drops the topic of a predicate it keeps ({})", lambda: orphaned_topic(text_tokens, source_tokens)),
        ("drops what its verb becomes, is called or reaches ({})", lambda: orphaned_complement(text_tokens, source_tokens)),
        ("drops what its figure is of ({})", lambda: orphaned_figure(text_tokens, source_tokens)),
        ("drops {}: what was said of each is said of all", lambda: dropped_each(text_tokens, source_tokens)),
        ("drops when what is to come happens ({})", lambda: dropped_schedule(text_tokens, source_tokens)),
        ("widens the occasion it tells of ({})", lambda: narrowed_occasion(text_tokens, source_tokens)),
    )
    for reason, check in checks:
        found = check()
        if found:
            return reason.format(found)
    orphan = orphaned_subject(text_tokens, source_tokens)
    if orphan:
        return f"drops the subject of a predicate it keeps ({orphan})"
    # Subjects are joined from tokens, without the spaces of a Latin name (GALAXY Note II).
    spaceless = re.sub(r"\s+", "", text)
    subject = main_subject(source_tokens)
    if subject and re.sub(r"\s+", "", subject) not in spaceless:
        return f"drops the subject ({subject})"
    quoted = _quoted_topic(source_tokens)
    if quoted and re.sub(r"\s+", "", quoted) not in spaceless:
        return f"drops the subject ({quoted})"
    for who in dangling_subjects(source, source_tokens):
        if re.sub(r"\s+", "", who) not in spaceless:
            return f"drops who did it ({who})"
    return None


def _quoted_topic(tokens: Sequence[Token]) -> str | None:
    """A topic that is a name in brackets, when it is the sentence's first (「Google+」はGoogleが
    …実施してきたソーシャルサービスだ): :func:`main_subject` reads only the nouns before は, so it
    names the が-subject of the clause after it instead."""
    depths = _bracket_depths(tokens)
    for k, t in enumerate(tokens):
        if not depths[k] and t.surface == "は" and t.pos.startswith("助詞-係助詞"):
            if k < 3 or tokens[k - 1].surface not in ("」", "』"):
                return None
            start = max((j for j in range(k - 1) if tokens[j].surface in ("「", "『")), default=None)
            return None if start is None else "".join(x.surface for x in tokens[start : k])
    return None


@dataclass(frozen=True, slots=True)
class DeletionGuide:
    """What a deletion from a sentence must respect, as character offsets into the sentence,
    so that constrained decoding can keep to it instead of writing a line that
    :func:`deletion_problem` refuses. ``keep``: spans of words every line must hold (the
    sentence's topic or subject, and subjects whose predicate lies past their clause's comma).
    ``heads``: for each phrase that hands over to a predicate (東京で, 対し、), the offset where
    that phrase ends and where its predicate begins: a line that writes the phrase must go on
    to that predicate, not jump past it. ``phrases``: likewise for a modifier and its noun
    phrase."""

    keep: tuple[tuple[int, int], ...] = ()
    heads: tuple[tuple[int, int], ...] = ()
    #: For each modifier (a noun's の, a clause in 連体形), where it ends and where the last word
    #: of the noun phrase it begins starts: a line that writes the modifier must go on to a word
    #: of that phrase (:func:`rewired_modifier`).
    phrases: tuple[tuple[int, int], ...] = ()
    #: For each subject (…が) and object (…を), where it ends and where its predicate begins: a
    #: line that deletes it must delete that predicate too (:func:`orphaned_subject`,
    #: :func:`orphaned_object`: 9人が病院に搬送される -> 搬送される).
    needs: tuple[tuple[int, int], ...] = ()


def _main_arguments(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """The subjects (…が) and objects (…を) of the sentence's last predicate, outside brackets
    and with no comma between them and it (160km越えを成し遂げた, 見物客4人が足にけがをした):
    the line keeps that predicate, so :func:`orphaned_subject` and :func:`orphaned_object`
    refuse it without them. Each as (first, end) token indices of its run of nouns."""
    last = max((j for k in range(1, len(tokens)) if (j := head_index(tokens, k - 1)) is not None), default=None)
    if last is None:
        return []
    out, depths = [], _bracket_depths(tokens)
    for k in range(1, last):
        t, depth = tokens[k], depths[k]
        if depth or t.surface not in ("が", "を") or not t.pos.startswith("助詞-格助詞") or not tokens[k - 1].pos.startswith(("名詞", "接尾辞")):
            continue
        head = head_index(tokens, k)
        direct = head == last and not any(x.surface in ("、", "，") for x in tokens[k:last])
        # a subject whose clause goes on to the last predicate through continuative verbs
        # (通行人が発見し119番通報を行った): :func:`orphaned_subject` follows it there too
        if direct or (t.surface == "が" and head is not None and last in _clause_predicates(tokens, k)):
            first = k
            while first > 0 and (tokens[first - 1].pos.startswith(("名詞", "接尾辞", "接頭辞")) or tokens[first - 1].surface in ("・", "＝")):
                first -= 1
            out.append((first, k))
    return out


def deletion_guide(text: str, tokens: Sequence[Token]) -> DeletionGuide:
    """The :class:`DeletionGuide` of ``text`` (its ``tokens`` from the tagger); empty parts
    where the analysis does not line up with the text."""
    spans = _token_spans(text, tuple(tokens))
    if spans is None:
        return DeletionGuide()
    offsets = [a for a, _, _ in spans]
    keep = [(offsets[a], offsets[b - 1] + len(tokens[b - 1].surface)) for a, b in _main_arguments(tokens)]
    ending = final_predicate(tokens)[0].rstrip("。．！？!? ")
    found = text.rstrip("。．！？!? ").rfind(ending) if ending else -1
    if found >= 0:
        # the whole final predicate (方針も明らかにしている: not 方針もしている), also where it
        # describes the noun the sentence ends on (…に収まらない魅力だ)
        keep.append((found, found + len(ending)))
    # what the last predicate says was said or announced (…休止すると発表した: 発表した alone
    # says nothing): the clause's own predicate and its と
    last = max((j for k in range(1, len(tokens)) if (j := head_index(tokens, k - 1)) is not None), default=None)
    for k in range(1, len(tokens)):
        t = tokens[k]
        if (_said_at(tokens, k) or _asked_at(tokens, k)) and last is not None and head_index(tokens, k) == last:
            keep.append((offsets[k - 1], offsets[k] + len(t.surface)))
    inside = inside_brackets(text)
    # a nominalised clause that is the subject (…に用いたのは、: :func:`dropped_cleft`)
    keep += [m.span() for m in _CLEFT.finditer(text) if not inside[m.start()]]
    for word in [main_subject(tokens), *dangling_subjects(text, tuple(tokens))]:
        if not word:
            continue
        # where it stands as a subject (抑え投手の…岩瀬仁紀(ひとき)投手が: the second 投手)
        found = next((m.start() for m in re.finditer(re.escape(word) + "[はがも]", text)), text.find(word))
        if found >= 0:
            keep.append((found, found + len(word)))
    heads = []
    depths = _bracket_depths(tokens)
    # a phrase and its predicate, and a subject and its (千羽鶴が…燃えているのを、 -> 千羽鶴が通行人が:
    # :func:`stacked_subject`)
    arguments = {
        k: tokens[k].surface for k in range(1, len(tokens))
        if tokens[k].surface in ("が", "を") and tokens[k].pos.startswith("助詞-格助詞") and not depths[k]
        and tokens[k - 1].pos.startswith(("名詞", "接尾辞", "補助記号-括弧閉"))
    }
    needs = []
    for k, particle in arguments.items():
        j = head_index(tokens, k)
        if j is not None:
            needs.append((offsets[k] + len(tokens[k].surface), offsets[j]))
    # a relative clause's subject in の, and an adverb of a negated predicate: deleted, the
    # predicate goes too (…の保有する株式; 意図的に…歪めたわけではない)
    for k, j in [*_genitive_subjects(tokens), *_manner(tokens), *((i, i + 1) for i in _degrees(tokens))]:
        needs.append((offsets[k] + len(tokens[k].surface), offsets[j]))
    # the words that give a noun its content: deleted, the noun goes too (…参加する方針を固めた)
    for modifier, noun in _content_nouns(tokens):
        needs.append((offsets[modifier] + len(tokens[modifier].surface), offsets[noun]))
    # a named owner of an event: deleted, the event goes too (オルテガ氏の当選 -> 当選: :func:`dropped_owner`)
    for owner, event in _event_owners(tokens):
        needs.append((offsets[owner] + len(tokens[owner].surface), offsets[event]))
    # the first of two nouns joined by と: deleted, the second goes too (両島の住民と、…観光客が
    # -> 観光客が: :func:`dropped_conjunct`)
    for k, j in _conjuncts(tokens):
        first = j - 1
        while first > 0 and tokens[first - 1].pos.startswith(("名詞", "接尾辞", "接頭辞")):
            first -= 1
        needs.append((offsets[k] + 1, offsets[first]))
    for k in [k for k, _ in _attachments(tokens)] + [k for k, particle in arguments.items() if particle == "が"]:
        j = head_index(tokens, k)
        if j is not None:
            heads.append((offsets[k] + len(tokens[k].surface), offsets[j]))
    # an adverb and its predicate (まず…決め、…予定していた -> まず…予定していた: :func:`rewired_adverb`)
    heads += [(offsets[i] + len(tokens[i].surface), offsets[j]) for i, j in _adverbs(tokens)]
    # what a する says (「…」としたうえで): deleted, the する goes too (:func:`orphaned_object`)
    for k in range(2, len(tokens) - 1):
        if tokens[k].surface == "と" and tokens[k - 1].surface in ("」", "』") and not depths[k] and tokens[k + 1].lemma == "為る":
            needs.append((offsets[k] + 1, offsets[k + 1]))
    phrases = []
    for k in range(len(tokens) - 1):
        if _modifier(tokens, k):
            last = k + 1
            while last + 1 < len(tokens) and _in_noun_phrase(tokens[last + 1]):
                last += 1
            phrases.append((offsets[k] + len(tokens[k].surface), offsets[last]))
    return DeletionGuide(tuple(keep), tuple(heads), tuple(phrases), tuple(needs))


def derived_from(bullet: str, source: str) -> bool:
    """True when ``bullet`` is ``source`` with parts removed (and a final 。 possibly added or
    put in place of ！): the invariant of every extractive bullet. Compared after NFKC."""
    text = normalize(bullet).rstrip("。.")
    src = normalize(source)
    pos = 0
    for ch in text:
        pos = src.find(ch, pos)
        if pos == -1:
            return False
        pos += 1
    return True


def unsupported(text: str, source: str, tagger: Tagger) -> list[str]:
    """The numbers and proper nouns of ``text`` that ``source`` lacks (numbers compared by value,
    so 1万5000 is 15,000): what makes a sentence state something its source does not. The
    same test as :meth:`Checker.check` applies to generated sentences; ``kiku eval`` reports it
    for every summarizer."""
    return missing_numbers(text, source) + missing_names(tagger.tokens(normalize(text)), normalize(source))


def missing_numbers(text: str, source: str) -> list[str]:
    """The quantities of ``text`` that ``source`` does not state, as numbers."""
    return [f"{v:g}" for v in sorted(number_values(text) - number_values(source))]


def missing_names(tokens: Sequence[Token], source: str) -> list[str]:
    """The proper nouns (UniDic 固有名詞) among ``tokens`` that the NFKC ``source`` lacks."""
    names = [t.surface for t in tokens if t.pos.startswith("名詞-固有名詞") and t.surface not in source]
    return list(dict.fromkeys(names))


def noun_runs(tokens: Sequence[Token]) -> list[str]:
    """Runs of two or more characters of nouns, prefixes and noun suffixes (北海道東部, 来場者数,
    1000万人), as their surfaces joined."""
    out, run = [], []
    for t in [*tokens, Token("", "", "", "")]:
        # (an adjectival noun begins a compound: ソウル特別市, not ソウル特別 + 死去)
        if t.pos.startswith(("名詞", "接頭辞", "接尾辞")) or t.pos.startswith("形状詞") and not t.pos.startswith("形状詞-助動詞語幹"):
            run.append(t.surface)
            continue
        if len("".join(run)) >= 2:
            out.append("".join(run))
        run = []
    return out


def main_subject(tokens: Sequence[Token]) -> str | None:
    """The sentence's topic — the nouns before its first は outside quotes (日本銀行は…,
    運転を見合わせていたＪＲ花咲線は…) — else the subject before a が in its opening clause;
    None when it has neither (では and には are not topics)."""
    depth = 0
    first_clause = True
    subject_ga = None
    for k, t in enumerate(tokens):
        if t.surface in ("「", "『", "（", "("):
            depth += 1
        elif t.surface in ("」", "』", "）", ")"):
            depth = max(0, depth - 1)
        elif t.surface in ("、", "，", ","):
            first_clause = False
        if depth or k == 0 or t.surface not in ("は", "が", "も") or not t.pos.startswith(("助詞-係助詞", "助詞-格助詞")):
            continue
        j = k
        if tokens[k - 1].surface in ("）", ")"):
            # 麻巳子さん（仮名／32歳）も: the topic is the word the note follows
            j = next((i for i in range(k - 2, -1, -1) if tokens[i].surface in ("（", "(")), k)
        noun = _nouns_before(tokens, j)
        if not noun or tokens[j - 1].pos.startswith("名詞-普通名詞-副詞可能") and len(noun) == len(tokens[j - 1].surface):
            continue  # 今回は, 現在は: when, not who
        if t.surface == "は" or (t.surface == "も" and k + 1 < len(tokens) and tokens[k + 1].surface in ("、", "，")):
            return noun  # 麻巳子さんも、…実感している: a topic as much as は
        if t.surface == "も":
            continue  # 声もあるほど: one of a clause's words
        if first_clause and subject_ga is None and not _own_predicate(tokens[k + 1 :]):
            subject_ga = noun
    return subject_ga


#: The words a question asks with.
WH_WORDS = frozenset("何 なに 誰 だれ いつ どこ どう どの どんな どれ なぜ 何故 いくら いくつ どちら どのくらい どれほど どのよう".split())
#: Predicates a question may ask with of any answer (何が起きた？, どうなった？).
_ASKING_PREDICATES = frozenset(("起きる", "起こる", "成る", "有る"))


def _is_time(tokens: Sequence[Token], i: int) -> bool:
    t = tokens[i]
    return t.pos.startswith("名詞-普通名詞-副詞可能") and t.surface not in ("ため", "間", "中", "うち", "ほか", "他") or (
        t.surface in ("年", "月", "日", "時", "期") and i > 0 and tokens[i - 1].pos.startswith("名詞-数詞")
    )


def _is_person(tokens: Sequence[Token], i: int) -> bool:
    t = tokens[i]
    # (a post after a name — トランプ大統領 —, not the post itself: 大統領に就任する does not say who)
    return t.pos.startswith(("名詞-固有名詞-人名", "名詞-固有名詞-組織")) or t.surface in _PERSON_SUFFIXES and i > 0 and tokens[i - 1].pos.startswith("名詞")


#: What a question word asks for, as a test of an answer's token (:func:`unanswered_question`).
_ASKS_FOR: dict[str, Callable[[Sequence[Token], int], bool]] = {
    "いつ": _is_time,
    "誰": _is_person,
    "だれ": _is_person,
    "どこ": lambda tokens, i: tokens[i].pos.startswith(("名詞-固有名詞-地名", "名詞-固有名詞-一般", "名詞-固有名詞-組織")),
    "いくら": lambda tokens, i: tokens[i].surface in ("円", "ドル", "ユーロ", "元", "ウォン") and i > 0 and tokens[i - 1].pos.startswith("名詞-数詞"),
    # why: a reason the answer gives (…ため, …ので, …から, 理由は): テキサス州の上陸はなぜ？ of
    # テキサス州に上陸する見込みが強い asks what it does not say
    "なぜ": lambda tokens, i: tokens[i].surface in ("ため", "ので", "理由") or tokens[i].surface == "から" and tokens[i].pos.startswith("助詞-接続助詞"),
}


def _unanswered_manner(question: Sequence[Token], answer: Sequence[Token], told: Sequence[int], predicates: Sequence[int]) -> str | None:
    """The predicate a どう or どのように asks the manner of, when the answer gives it nothing that
    says how — a quoted clause or a result (…高騰だと説明した, …に変わった), a clause in て, an adverb, an
    adjective's or adjectival noun's adverbial form (大きく, 新たに), a means (…で) — among the
    words the question does not hold: GS03は…スペックをどのように向上させた？ of …スペックを向上
    したモデルといえる asks what the answer does not say. (どうなる？ asks of any answer.)"""
    at = next((k for k, t in enumerate(question) if t.surface in ("どう", "どの") and (t.surface == "どう" or k + 1 < len(question) and question[k + 1].surface == "よう")), None)
    if at is None:
        return None
    j = next((j for j in predicates if j > at), None)
    if j is None or question[j].lemma in _ASKING_PREDICATES or question[j].lemma == "為る":
        return None
    verbs = {i for i in _predicates(answer) if answer[i].lemma == question[j].lemma}
    if not verbs:
        return None  # (a predicate the answer lacks is refused on its own)
    for i in told:
        t = answer[i]
        how = (
            t.surface in ("と", "に", "で") and t.pos.startswith("助詞-格助詞")
            or t.surface in ("て", "で") and t.pos.startswith("助詞-接続助詞")  # 避難所を開設して対応した
            or t.pos.startswith("副詞")
            or t.pos.startswith("形容詞") and t.cform.startswith("連用形")
            or t.lemma == "だ" and t.surface == "に" and t.pos.startswith("助動詞")
        )
        if how and head_index(answer, i) in verbs:
            return None
    return question[j].surface


def _predicates(tokens: Sequence[Token]) -> list[int]:
    """The indices of a line's predicates: verbs and adjectives of their own, and サ変 nouns
    with する or at the end of a clause (…を示唆した, …で確認？)."""
    out = []
    for j, t in enumerate(tokens):
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        if t.pos.startswith(("動詞-一般", "形容詞-一般")):
            out.append(j)
        elif t.pos.startswith("名詞-普通名詞-サ変") and (nxt is None or nxt.lemma == "為る" or nxt.pos.startswith("補助記号")):
            out.append(j)
        elif t.pos.startswith("接尾辞-名詞的-サ変") and nxt is not None and nxt.lemma == "為る":
            out.append(j)  # 地下化する: a suffix that makes a サ変 word
    return out


def _tense(tokens: Sequence[Token], j: int) -> str | None:
    """Whether the predicate at ``j`` is told as done ("past": …した) or not ("now": …する);
    None where that is not plain — a state (…している), a サ変 noun without する (…で確認？)."""
    k = j + 1
    if tokens[j].pos.startswith("名詞") and (k >= len(tokens) or tokens[k].lemma != "為る"):
        return None
    past = False
    while k < len(tokens) and (
        tokens[k].pos.startswith(("助動詞", "動詞-非自立可能", "形容詞-非自立可能")) or tokens[k].surface in ("て", "で") and tokens[k].pos.startswith("助詞-接続助詞")
    ):
        if tokens[k].lemma in ("居る", "有る"):
            return None  # している, してある: a state, done or not
        past = past or tokens[k].lemma == "た" and tokens[k].pos.startswith("助動詞")
        k += 1
    if not past and (tokens[k - 1].surface in ("て", "で") or tokens[k - 1].cform.startswith("連用形")):
        # 上陸し、…, 分散させて、…地下化する: a clause that takes the tense of the predicate after it
        after = next((i for i in _predicates(tokens) if i >= k), None)
        return _tense(tokens, after) if after is not None else None
    return "past" if past else "now"


def final_tense(tokens: Sequence[Token]) -> str | None:
    """The tense of a line's last predicate (:func:`_tense`), None without one."""
    predicates = _predicates(tokens)
    return _tense(tokens, predicates[-1]) if predicates else None


def unanswered_question(question: Sequence[Token], answer: Sequence[Token]) -> str | None:
    """Why ``question`` is not one that ``answer`` answers — or None. A question asks for a
    part of what its answer says: its predicates are the answer's (or 起きる/なる: 何が起きた？),
    a question word with a case particle stands for an argument the answer gives that
    predicate (大統領に就任する: not 誰を就任した？; …大和研究所で開発され: not 何を開発した？), one
    predicate has one object (何を話し合いを行った？), a question without a predicate asks
    about its topic (福田氏は何歳？, not …若者の間でどう？), and it leaves its answer something
    to say (not every noun of the answer in the question). It asks one thing, in a whole
    sentence."""
    # one thing asked, in a whole sentence: not a question word as the topic (誰は新米CIA諜報員を
    # 操る？), not two (前篇は何で、後篇は何で？), not a question that stops on a case particle
    # (a kana the dictionary cannot place is no word, nor a suffix after a particle:
    # 全日本選手権を制った？, …を制ってみせた？ — 制 read as a suffix)
    broken = next((t.surface for t in question if t.pos.startswith("補助記号-一般") and re.fullmatch(r"[ぁ-ゖァ-ヺ]+", t.surface)), None)
    broken = broken or next((b.surface for a, b in zip(question, question[1:]) if a.pos.startswith("助詞-格助詞") and a.surface != "の" and b.pos.startswith("接尾辞")), None)
    if broken:
        return f"has a broken word: {broken}"
    asking = [k for k, t in enumerate(question) if t.surface in WH_WORDS]
    if len(asking) > 1:
        return "asks two things: " + "、".join(question[k].surface for k in asking)
    for k in asking:
        if k + 1 < len(question) and question[k + 1].surface == "は" and question[k + 1].pos.startswith("助詞-係助詞"):
            return f"makes its question word the topic: {question[k].surface}は"
    words = [t for t in question if not t.pos.startswith(("補助記号", "空白"))]
    # (or on a clause's conjunctive particle: GS03は何を継承しつつ？)
    if words and words[-1].pos.startswith(("助詞-格助詞", "助詞-接続助詞")):
        return f"stops on a particle: {words[-1].surface}"
    lemmas = {t.lemma for t in answer}
    # (a name cut short — 球新報 of 琉球新報 — or a noun of its own: 福田氏の年齢は？ of 福田氏は37歳)
    foreign = [t.surface for t in question if t.pos.startswith(("名詞-普通名詞", "名詞-固有名詞")) and t.surface not in WH_WORDS and t.lemma not in lemmas]
    if foreign:
        return f"words not in its answer: {'、'.join(foreign)}"
    predicates = _predicates(question)
    for j in predicates:
        if question[j].lemma not in lemmas and question[j].lemma not in _ASKING_PREDICATES:
            return f"asks with a predicate its answer does not have: {question[j].surface}"
    heads: dict[int, int] = {}
    for k in range(1, len(question)):
        t = question[k]
        if t.surface == "を" and t.pos.startswith("助詞-格助詞") and (head := head_index(question, k)) is not None:
            heads[head] = heads.get(head, 0) + 1
            if heads[head] > 1:
                return f"gives one predicate two objects: {question[head].surface}"
        if not question[k - 1].surface in WH_WORDS or not t.pos.startswith("助詞-格助詞") or t.surface == "の":
            continue
        head = head_index(question, k)
        if head is None and t.surface == "が":
            continue  # (of an adjectival or noun predicate: ハワイは何が盛りだくさん？)
        if head is None:
            # (何を盛りだくさん？, 前篇は何で大ヒット上映中？)
            return f"asks {question[k - 1].surface}{t.surface} of no verb"
        if t.surface == "を" and question[head].lemma in ("有る", "居る", "成る"):
            # (マッサージオイルは何を定評のあるマッサージオイル？: ある takes no object)
            return f"asks {question[k - 1].surface}を of a verb that takes no object: {question[head].surface}"
        if question[head].lemma in _ASKING_PREDICATES and (t.surface == "が" or question[head].lemma != "有る"):
            continue  # 何が起きた？, 何がある？, いくらになる？ (not 何に必要がある？: a need for what the answer does not say)
        # the answer gives that predicate a phrase with the same particle (a subject may be its
        # topic; what was said or reported may be a clause quoted with と: 何が報道された？ of
        # …引き金になったとも報道された)
        particles = {t.surface} | ({"は"} if t.surface == "が" else set())
        what = question[k - 1].surface == "何" and t.surface in ("が", "を")
        if not any((a.surface in particles or what and _said_at(answer, i)) and head_index(answer, i) is not None and answer[head_index(answer, i)].lemma == question[head].lemma
                   for i, a in enumerate(answer) if i and a.pos.startswith(("助詞-格助詞", "助詞-係助詞"))):
            return f"asks for what its answer does not say: {question[k - 1].surface}{t.surface}{question[head].surface}"
    # what the question word asks for is in the answer and not in the question: a number with
    # that counter for 何歳 or 何回目 (37歳), a time for いつ, a person for 誰, a place for どこ, a
    # price for いくら; asked without a predicate (福田氏は誰？), what the answer says of its
    # topic, after its は (not 読売新聞 of 読売新聞によると福田氏は37歳)
    asked = "".join(t.surface for t in question)
    start = 0
    if not predicates:
        start = next((i + 1 for i, a in enumerate(answer) if a.surface == "は" and a.pos.startswith("助詞-係助詞")), 0)
    told = [i for i in range(start, len(answer)) if answer[i].surface not in asked]
    counted = {answer[i + 1].surface for i in told if i + 1 < len(answer) and answer[i].pos.startswith("名詞-数詞")}
    for k, t in enumerate(question):
        if t.surface == "何" and t.pos.startswith("名詞-数詞") and k + 1 < len(question) and question[k + 1].pos.startswith(("名詞", "接尾辞")):
            if question[k + 1].surface not in counted:
                return f"asks for a number its answer does not give: 何{question[k + 1].surface}"
        elif t.surface in _ASKS_FOR and not any(_ASKS_FOR[t.surface](answer, i) for i in told):
            return f"asks {t.surface} where its answer does not say"
    manner = _unanswered_manner(question, answer, told, predicates)
    if manner:
        return f"asks how of {manner} where its answer does not say"
    if not predicates:
        at = next((k for k, t in enumerate(question) if t.surface in WH_WORDS), None)
        if at is not None and (at == 0 or question[at - 1].surface not in ("は", "が")):
            return f"asks without a predicate or a topic: {question[at].surface}"
    # A question that holds every noun of its answer leaves nothing to answer (「気持ちの余裕」と
    # 「広い視野」のポイントは何？ of ポイントは「気持ちの余裕」と「広い視野」).
    nouns = {t.lemma for t in answer if t.pos.startswith("名詞") and t.surface not in WH_WORDS}
    if nouns and nouns <= {t.lemma for t in question}:
        return "gives its answer away"
    # …大統領に就任する (to come) is not asked as 就任したのは誰？ (done), nor a past deed as one to come;
    # 何をした？ asks in the tense of the answer's last predicate (…タクシー乗り場を地下化する is
    # a plan, not a deed done)
    did = [j for j in range(2, len(question)) if question[j].lemma == "為る" and question[j - 1].surface == "を" and question[j - 2].surface in WH_WORDS]
    if did and (asked := _tense(question, did[-1])) is not None and final_tense(answer) not in (None, asked):
        return f"asks in another tense than its answer: {question[did[-1]].surface}"
    for j in predicates:
        asked = _tense(question, j)
        told = {_tense(answer, i) for i in _predicates(answer) if answer[i].lemma == question[j].lemma}
        if asked is not None and told and None not in told and asked not in told:
            return f"asks in another tense than its answer: {question[j].surface}"
    return None


def misattributed(tokens: Sequence[Token], sources: Sequence[Sequence[Token]]) -> str | None:
    """Who did what, in free writing: the subject of the line's main predicate must be the one
    a source sentence gives that predicate — 植田和男総裁が…決めた is refused when the sentence
    that 決めた is 会合では…決めた, and 松井秀喜が…願う理由 when the source is ノムさんが、松井秀喜
    の…を願う理由. The subject is the last topic or subject (…は, …が, 「…」は) before the
    predicate, outside brackets (円相場は in 総裁は…と述べ、円相場は円安に振れた), else
    :func:`main_subject`; in the source sentence likewise, and when it names none there, the
    line's subject must at least stand in it. Subjects match as written, one holding the other,
    or by all the line's nouns (植田総裁 for 植田和男総裁); the predicate by its lemma (決め =
    決める). Returns "subject … predicate" when no source sentence agrees, else None (also when
    the line has no subject or no predicate to compare)."""
    found = _main_predicate(tokens)
    if found is None:
        return None
    at, predicate = found
    subject = _subject_before(tokens, at) or main_subject(tokens)
    if not subject or any(t.surface in WH_WORDS and t.surface in subject for t in tokens):
        return None  # (a subject asked for — 何世帯が停電した？ — is whichever the source names)
    nouns = {t.lemma for t in tokens if t.pos.startswith("名詞") and t.surface in subject}
    for source in sources:
        for j, t in enumerate(source):
            if t.lemma != predicate:
                continue
            theirs = _subject_before(source, j) or main_subject(source)
            if theirs is None:
                if subject in "".join(x.surface for x in source):
                    return None
                continue
            if subject in theirs or theirs in subject or (nouns and nouns <= {x.lemma for x in source if x.surface in theirs}):
                return None
    return f"{subject} … {predicate}"


def _main_predicate(tokens: Sequence[Token]) -> tuple[int, str] | None:
    """Where the sentence's main predicate is, and its lemma: its last verb or adjective
    outside brackets (the サ変 noun before する: 決定した -> 決定; not an auxiliary), or the サ変
    noun it ends on (…を協議。); None when it has neither."""
    depth = 0
    last = None
    for k, t in enumerate(tokens):
        if t.pos.startswith("補助記号-括弧開"):
            depth += 1
        elif t.pos.startswith("補助記号-括弧閉"):
            depth = max(0, depth - 1)
        elif not depth and t.pos.startswith(("動詞", "形容詞")) and not t.pos.startswith(("動詞-非自立可能", "形容詞-非自立可能")):
            last = k
        elif not depth and t.pos.startswith("動詞-非自立可能") and k:
            prev = tokens[k - 1]
            if prev.pos.startswith("名詞-普通名詞-サ変"):
                last = k - 1  # 決定する: the noun is the predicate
            elif not (prev.pos.startswith(("助詞-接続助詞", "動詞", "助動詞", "形容詞")) or t.lemma in ("為る", "成る", "居る", "有る")):
                last = k  # 願う, 置く as verbs of their own (not している, ことになった)
    if last is None:
        ending = [k for k, t in enumerate(tokens) if not t.pos.startswith(("補助記号", "助動詞"))]
        if ending and tokens[ending[-1]].pos.startswith("名詞-普通名詞-サ変"):
            return ending[-1], tokens[ending[-1]].lemma
        return None
    return last, tokens[last].lemma


def _subject_before(tokens: Sequence[Token], at: int) -> str | None:
    """The nouns of the last …は or …が before ``tokens[at]``, outside brackets (not では, には,
    nor a time: 今回は)."""
    depth = 0
    subject = None
    for k, t in enumerate(tokens[:at]):
        if t.surface in ("「", "『", "（", "("):
            depth += 1
        elif t.surface in ("」", "』", "）", ")"):
            depth = max(0, depth - 1)
        elif not depth and k and t.surface in ("は", "が") and t.pos.startswith(("助詞-係助詞", "助詞-格助詞")):
            noun = _nouns_before(tokens, k)
            if not noun and tokens[k - 1].surface in ("」", "』"):  # 「離島甲子園」は: the name quoted
                opening = next((i for i in range(k - 2, -1, -1) if tokens[i].surface in ("「", "『")), None)
                noun = "".join(x.surface for x in tokens[opening + 1 : k - 1]) if opening is not None else ""
            if noun and not (tokens[k - 1].pos.startswith("名詞-普通名詞-副詞可能") and len(noun) == len(tokens[k - 1].surface)):
                subject = noun
    return subject


def _nouns_before(tokens: Sequence[Token], k: int) -> str:
    """The run of nouns (with prefixes, suffixes, ・ and ＝) that ends just before ``tokens[k]``."""
    run = []
    for prev in reversed(tokens[:k]):
        if not prev.pos.startswith(("名詞", "接尾辞", "接頭辞")) and prev.surface not in ("・", "＝"):
            break
        run.append(prev.surface)
    return "".join(reversed(run))


def _own_predicate(tokens: Sequence[Token]) -> bool:
    """Whether the clause that starts here ends in a predicate of its own before its comma
    (「W杯の開催が迫り、」): a が there is that predicate's subject, not the sentence's."""
    predicate = False
    for t in tokens:
        if t.surface in ("、", "，", ","):
            return predicate
        predicate = predicate or (t.pos.startswith(("動詞", "形容詞")) and not t.pos.startswith("動詞-非自立"))
    return False  # no comma: the sentence's own predicate


_QUOTED = re.compile(r"[「『]([^「」『』]+)[」』]")


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _japanese_share(text: str) -> float:
    letters = [ch for ch in text if unicodedata.category(ch)[0] == "L"]
    if not letters:
        return 1.0 if has_japanese(text) else 0.0
    return sum(1 for ch in letters if has_japanese(ch)) / len(letters)
