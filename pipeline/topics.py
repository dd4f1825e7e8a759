"""Topics: which articles belong together, and what their section is about.

Each article becomes :class:`Features`: a bag of the noun lemmas of its title and bullets
(names of people and organisations, and title words, count double; place names do not) and the
noun phrases found in them. :func:`cluster` groups articles by average-linkage agglomerative
clustering on the TF-IDF cosine of those bags while the mean similarity of two groups stays above
a threshold; :func:`key_phrases` ranks a group's phrases as heading material, and
:func:`central_bullets` its bullets by how central they are to the group.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kiku.text import Tagger, normalize
from kiku.types import Summary, Token
from kiku.vocab import ATTRIBUTION_AFTER_PHRASE

# Section labels in titles: 【話題】, 【Sports Watch】, ［速報］ — the site's, not the story's.
_TAG = re.compile(r"[【［\[][^】］\]]{1,12}[】］\]]")


#: What divides a title into headlines of their own (業界最安値を実現！テレコムスクエアが…,
#: 有形文化財の登録、170件を答申-文化審議会): a space, ！ or ？, a bar or colon, a dash between
#: Japanese words (the Latin or full-width ＢＤＰ−４５０ and K-POP keep theirs).
HEADLINE_BREAKS = re.compile(
    r"[\s　！？!?|｜:：]+|(?<=[\u3040-\u30ff\u3400-\u9fff])[-－—―−]+|[-－—―−]+(?=[\u3040-\u30ff\u3400-\u9fff])"
)


def untagged(title: str) -> str:
    """A title without the site's section labels (【売れ筋チェック】「ＢＤＰ−４５０」を発売 ->
    「ＢＤＰ−４５０」を発売)."""
    return re.sub(r"\s+", " ", _TAG.sub(" ", title)).strip()


@dataclass(frozen=True, slots=True)
class Features:
    bag: Counter[str]
    phrases: Counter[str]
    #: Phrase -> how much it says as a heading (see phrase_weight).
    kinds: dict[str, float]


# Nouns that say nothing about a topic (formal nouns, "this article" words).
_EMPTY_NOUNS = frozenset(
    "こと もの ため よう ところ とき わけ はず 方 人 自分 ほか 以上 以下 場合 話題 記事 写真 情報 紹介 今回 今後 本日".split()
)


def is_noun(t: Token) -> bool:
    if t.surface in _EMPTY_NOUNS or t.lemma in _EMPTY_NOUNS:
        return False
    if t.pos.startswith("名詞-固有名詞"):
        return True
    # Common nouns of two or more characters; 副詞可能 ones are time words (今回, 昨年).
    return t.pos.startswith("名詞-普通名詞") and "副詞可能" not in t.pos and len(t.surface) >= 2


_PHRASE_POS = ("名詞-普通名詞", "名詞-固有名詞", "名詞-数詞", "接頭辞", "接尾辞-名詞的")


def phrase_weight(tokens: list[Token]) -> float:
    """How much a phrase says as a heading: names most, compounds more than single words, and
    a lone verbal or adjectival noun (可決, 影響, 慎重) least."""
    if any(t.pos.startswith("名詞-固有名詞") for t in tokens):
        return 3.0
    if len(tokens) > 1:
        return 2.0
    if "サ変" in tokens[0].pos or "形状詞" in tokens[0].pos:
        return 0.5
    return 1.0


def noun_phrases(text: str, tokens: Sequence[Token]) -> list[tuple[str, float]]:
    """Runs of nouns (with prefixes and noun suffixes) as written in ``text``: 政策金利,
    東海道新幹線, 子ども医療費, Galaxy Note. A space ends a run unless it separates two Latin
    words (MeCab drops spaces; the phrase keeps them)."""
    out: list[tuple[str, float]] = []
    run: list[tuple[int, int, Token]] = []
    pos = 0

    def flush() -> None:
        while run and not run[0][2].pos.startswith(("名詞-普通名詞", "名詞-固有名詞", "名詞-数詞", "接頭辞")):
            run.pop(0)
        while run and run[-1][2].pos.startswith(("接頭辞", "名詞-数詞")):
            run.pop()
        # A phrase names something: at least one noun that is not a number or an empty noun.
        if run and any(is_noun(t) for *_, t in run):
            phrase = text[run[0][0] : run[-1][1]]
            if len(phrase) >= 2:
                out.append((phrase, phrase_weight([t for *_, t in run])))
        run.clear()

    for t in tokens:
        start = text.find(t.surface, pos)
        if start < 0:  # MeCab changed the text (should not happen): skip the token
            flush()
            continue
        gap = text[pos:start]
        pos = start + len(t.surface)
        if gap and run and not (gap == " " and text[start - 2 : start - 1].isascii() and t.surface[:1].isascii()):
            flush()
        if t.pos.startswith(_PHRASE_POS) and "副詞可能" not in t.pos:
            run.append((start, pos, t))
        else:
            flush()
    flush()
    return out


def word_idf(features: list[Features]) -> dict[str, float]:
    n = len(features)
    df = Counter(w for f in features for w in f.bag)
    return {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}


def phrase_idf(features: list[Features]) -> dict[str, float]:
    n = len(features)
    df = Counter(p for f in features for p in f.phrases)
    return {p: math.log((1 + n) / (1 + c)) + 1.0 for p, c in df.items()}


def cluster(features: list[Features], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering on TF-IDF cosine similarity."""
    n = len(features)
    if n == 0:
        return []
    idf = word_idf(features)
    # Only words in two or more articles can make two articles alike: the matrix holds those
    # (a fraction of the vocabulary), the norms all words.
    df = Counter(w for f in features for w in f.bag)
    vocab = {w: k for k, w in enumerate(sorted(w for w, c in df.items() if c > 1))}
    m = np.zeros((n, max(1, len(vocab))))
    norms = np.ones(n)
    for i, f in enumerate(features):
        weights = {w: c * idf[w] for w, c in f.bag.items()}
        norms[i] = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for w, v in weights.items():
            if w in vocab:
                m[i, vocab[w]] = v
    m /= norms[:, None]
    sim = m @ m.T
    np.fill_diagonal(sim, -np.inf)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(groups) > 1:
        flat = int(np.argmax(sim))  # the first maximum: ties go to the lowest indices
        i, j = divmod(flat, n)
        if not np.isfinite(sim[i, j]) or sim[i, j] <= threshold:
            break
        a, b = min(i, j), max(i, j)
        size_a, size_b = len(groups[a]), len(groups[b])
        # Lance-Williams update for average linkage; b's row and column are retired.
        row = (size_a * sim[a, :] + size_b * sim[b, :]) / (size_a + size_b)
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        row[[a, b]] = -np.inf
        sim[a, :] = row
        sim[:, a] = row
        groups[a] = sorted(groups[a] + groups.pop(b))
    return [groups[k] for k in sorted(groups)]


def _name_weight(t: Token) -> int:
    """Names of people and organisations count double: they say whose story it is. Place
    names do not: where something happened (東京, 秋田) is shared by unrelated stories, and one
    story (a typhoon, an earthquake) names many places — counted double, they both mixed
    stories and split them (benchmarks/bench_digest.py)."""
    if t.pos.startswith("名詞-固有名詞") and not t.pos.startswith("名詞-固有名詞-地名"):
        return 2
    return 1


def article_features(s: Summary, tagger: Tagger) -> Features:
    """An article's noun lemmas and noun phrases from its title (counted double) and bullets."""
    title = normalize(_TAG.sub(" ", s.article.title or ""))
    bag: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    kinds: dict[str, float] = {}
    for weight, text in [(2, title), *((1, normalize(b.text)) for b in s.bullets)]:
        tokens = tagger.tokens(text) if text else ()
        for t in tokens:
            if is_noun(t):
                bag[t.lemma] += weight * _name_weight(t)
        for phrase, kind in noun_phrases(text, tokens):
            # Who said it (気象庁によると, 読売新聞の報道では) is not what the story is about.
            if ATTRIBUTION_AFTER_PHRASE.search(text.split(phrase, 1)[1][:8]):
                continue
            phrases[phrase] += weight
            kinds[phrase] = kind
    return Features(bag, phrases, kinds)


def key_phrases(feats: list[Features], idf: dict[str, float]) -> list[str]:
    """Noun phrases of a section, best first: in more of its articles, more often, rarer in the
    digest as a whole; a phrase inside a better one is skipped."""
    present = Counter(p for f in feats for p in f.phrases)
    weight: Counter[str] = Counter()
    kinds: dict[str, float] = {}
    for f in feats:
        weight.update(f.phrases)
        kinds.update(f.kinds)
    n = len(feats)

    def score(p: str) -> tuple[float, int, str]:
        rarity = idf.get(p, 1.0)
        return (-(present[p] / n) * weight[p] * rarity * kinds.get(p, 1.0), -len(p), p)

    out: list[str] = []
    for p in sorted(present, key=score):
        if n > 1 and present[p] < 2:
            continue
        if any(p in q or q in p for q in out):
            continue
        out.append(p)
        if len(out) == 5:
            break
    if not out and n > 1:
        return key_phrases(feats[:1], idf)
    return out


def central_bullets(
    members: list[Summary], feats: list[Features], noun_bag: Callable[[str], Counter[str]], first_only: bool = False
) -> list[tuple[Summary, str]]:
    """The section's bullets (``first_only``: each article's first), most central first
    (cosine of their noun lemmas to the section's summed title-and-bullet vectors); ties keep
    card order."""
    centroid: Counter[str] = Counter()
    for f in feats:
        centroid.update(f.bag)
    scored = []
    for rank, s in enumerate(members):
        for k, b in enumerate(s.bullets[:1] if first_only else s.bullets):
            bag = noun_bag(b.text)
            dot = sum(c * centroid[w] for w, c in bag.items())
            norm = math.sqrt(sum(c * c for c in bag.values())) or 1.0
            scored.append((-dot / norm, rank, k, s, b.text))
    scored.sort(key=lambda x: x[:3])
    return [(s, text) for *_, s, text in scored]
