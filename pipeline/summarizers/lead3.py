"""The lead-3 baseline: the first usable sentences, in order, shaped like every bullet."""

from __future__ import annotations

from collections import Counter

from kiku.summarizers.extractive import SentencePicker
from kiku.types import Document


class Lead3Summarizer(SentencePicker):
    """Baseline: the first usable sentences, in order, shaped like every bullet."""

    name = "lead3"

    def order(self, doc: Document, usable: list[int], bags: dict[int, Counter[str]]) -> list[int]:
        return usable
