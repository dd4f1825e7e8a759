"""Shared vocabulary: the word lists and similarity helpers that several stages rely on.

Shaping (which clauses may go), checking (which words a rewrite must keep) and the digest (which
phrases name a topic rather than a source) all need to know how Japanese news attributes and
hedges a statement. The lists live here once, so that the stages cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Set

# Who reports what follows: 「気象庁によると、」 「警察の話では、」. A clause that holds one says
# whose statement the sentence is; it must not be dropped or detached from its predicate.
ATTRIBUTIONS = ("によると", "によれば", "の話では", "の調べでは", "の発表では", "の報道では")

_ATTRIBUTION = "|".join(ATTRIBUTIONS)
#: A clause that ends in an attribution (or a frame: 「…では、」) before its comma.
ATTRIBUTION_CLAUSE_END = re.compile(rf"(?:{_ATTRIBUTION}|では)[、，,]$")
#: An attribution anywhere in a clause (「…によって明らかになった」 reports a finding too).
ATTRIBUTION_IN_CLAUSE = re.compile(rf"{_ATTRIBUTION}|によって明らかに")
#: What follows a noun phrase that names the source rather than the story (気象庁によると,
#: 政府が発表した): such a phrase is not a topic.
ATTRIBUTION_AFTER_PHRASE = re.compile(rf"^(?:{_ATTRIBUTION}|が発表した|は発表した)")

# Words that make a statement uncertain, planned, alleged or someone else's: a rewrite that
# keeps the claim but drops one of these states as fact what the article reports as possible,
# intended or attributed ("容疑者" -> "犯人" is the worst case).
HEDGES = (
    "可能性", "見込み", "見通し", "予定", "方針", "検討", "疑い", "容疑", "恐れ", "おそれ",
    "模様", "とみられ", "と見られ", "とされ", "という", "といい", "によると", "によれば",
    "予想", "懸念", "計画", "目指", "調整", "推定", "だろう", "でしょう", "らしい", "ようだ",
)

# Words that make a quantity or a date approximate or a bound ("26日頃", "約7.8mm", "100カ所以上"):
# a bullet that keeps the number without them states an exact figure the article does not. They
# count only next to a number (約束 is not 約); group 2 or 3 is the number, 1 or 4 the word.
APPROXIMATIONS = re.compile(
    r"(約|およそ|最大|最低|少なくとも)(\d[\d,.]*)|(\d[\d,.]*)[^\s\d、。,]{0,4}?(頃|ごろ|前後|程度|余り|あまり|以上|以下|未満|近く|超)"
)


def jaccard(a: Set[str], b: Set[str]) -> float:
    """Overlap of two word sets (0 when either is empty): how near-duplicate two sentences are."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
