"""Prompts and output parsing. No torch here: :mod:`models.generate` turns prompts into tokens.

The model is asked to do one small thing per call: shorten one chosen sentence of the article
into a bullet, deleting words rather than rewording them. The worked example below is written for
this project (not taken from any article) and shows exactly that: the output is the sentence with
parts removed, attribution and numbers kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SYSTEM = "あなたは日本語ニュースの編集者です。記事の文を、事実を変えずに短くします。"

INSTRUCTION = (
    "次の文を{max_chars}字以内の一文に短くしてください。語句を削るだけにし、言い換えや付け足しは"
    "しないでください。数字・名前・否定・「によると」「可能性」などは残してください。"
)

EXAMPLE_SENTENCE = (
    "政府は14日の閣議で、物価高への対応策として、低所得世帯に1世帯あたり3万円を給付する方針を"
    "正式に決定した。"
)
EXAMPLE_BULLET = "政府は14日、低所得世帯に1世帯あたり3万円を給付する方針を決定した。"

# The digest's own lines, asked over a section's titles and bullets (free writing, checked).
DIGEST_HEADING = "次の記事に共通する話題を表す見出しを、20字以内の名詞句で一つだけ書いてください。"
DIGEST_POINT = "これらの記事から言えることを、資料の内容だけを使って一文で書いてください。"


def digest_answer(question: str) -> str:
    """The instruction that asks for a section's one-line answer to its question."""
    return f"「{question}」という問いに、資料の内容だけを使って一文で答えてください。"


@dataclass(frozen=True, slots=True)
class Prompt:
    """One model call's input: chat messages (for chat models) or plain text, and, for
    constrained decoding, the sentence the output must be a subsequence of."""

    messages: tuple[tuple[str, str], ...]
    text: str
    sentence: str


def _user(sentence: str, context: str, max_chars: int) -> str:
    lead = f"記事: {context}\n\n" if context else ""
    return f"{lead}{INSTRUCTION.format(max_chars=max_chars)}\n\n文: {sentence}"


def fit_context(texts: Sequence[str], budget: int, count_tokens: Callable[[str], int]) -> str:
    """The leading ``texts`` (an article's title and opening sentences) that fit in ``budget``
    model tokens, whole: context is cut at a sentence boundary, never inside one."""
    parts: list[str] = []
    used = 0
    for text in texts:
        cost = count_tokens(text)
        if used + cost > budget:
            break
        parts.append(text)
        used += cost
    return "\n".join(parts)


def rewrite_prompt(style: str, sentence: str, context: str, max_chars: int) -> Prompt:
    """The prompt that asks to shorten ``sentence`` (``context``: the article's opening)."""
    if style == "chat":
        messages = (
            ("system", SYSTEM),
            ("user", _user(EXAMPLE_SENTENCE, "", max_chars)),
            ("assistant", EXAMPLE_BULLET),
            ("user", _user(sentence, context, max_chars)),
        )
        return Prompt(messages, "", sentence)
    if style == "base":
        text = (
            f"{INSTRUCTION.format(max_chars=max_chars)}\n\n文: {EXAMPLE_SENTENCE}\n短くした文: {EXAMPLE_BULLET}\n\n"
            + (f"記事: {context}\n" if context else "")
            + f"文: {sentence}\n短くした文:"
        )
        return Prompt((), text, sentence)
    # seq2seq (XL-Sum style): the model summarises its input; the input is the sentence.
    return Prompt((), sentence, sentence)


def free_prompt(style: str, instruction: str, material: Sequence[str]) -> Prompt:
    """A free-writing prompt (digest title, lead, headings, points) over source sentences."""
    body = "\n".join(f"- {s}" for s in material)
    if style == "chat":
        return Prompt((("system", SYSTEM), ("user", f"{instruction}\n\n{body}")), "", "")
    if style == "base":
        return Prompt((), f"{body}\n\n{instruction}\n", "")
    return Prompt((), " ".join(material), "")


_MARK = re.compile(r"^\s*(?:[・✅\-–—*•●]+|\d+[.)．）]|[（(]\d+[）)]|(?:要約|文|短くした文|答え|回答|出力)\s*[:：])\s*")
_WRAPPED = re.compile(r"^[「『\"“](.*)[」』\"”]$")
_ENDS = ("。", "！", "？", "!", "?")


def parse_output(raw: str) -> str:
    """The bullet in a model's output: the first non-empty line without list marks, labels or
    wrapping quotes, ending in 。 (models add stray text; only the first sentence line counts)."""
    for line in raw.strip().splitlines():
        text = line.strip()
        while True:
            stripped = _MARK.sub("", text, count=1)
            if stripped == text:
                break
            text = stripped
        match = _WRAPPED.match(text)
        if match and "「" not in match.group(1) and "」" not in match.group(1):
            text = match.group(1).strip()
        if text:
            return text if text.endswith(_ENDS) else text + "。"
    return ""
