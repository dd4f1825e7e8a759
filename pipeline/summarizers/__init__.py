"""Summarizers: one protocol, chosen by name from one registry of factories.

Every summarizer is built once from the config and the tagger, then called with batches of
documents (:meth:`Summarizer.summarize_batch`); ``batch_size`` says how many articles one call
should get to use it well (1 for the extractive ones, several for a model, whose sentences share
one ``generate`` call). A summarizer that can write checked free text — the transformer one —
offers it as its ``writer``, which the digest uses for its own lines; the others have None.

``extractive`` is the floor that every other summarizer falls back to: it picks the article's
own sentences and shapes them into bullets (see :mod:`kiku.bullets`), so it cannot state
anything the article does not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from kiku.config import Config
from kiku.errors import ArticleError, UnknownSummarizerError
from kiku.summarizers.extractive import ExtractiveSummarizer, SentencePlan
from kiku.summarizers.lead3 import Lead3Summarizer
from kiku.summarizers.transformer import TransformerSummarizer
from kiku.text import Tagger
from kiku.types import Document, Summary, WriteRequest, Written

__all__ = [
    "REGISTRY", "ExtractiveSummarizer", "Lead3Summarizer", "SentencePlan", "Summarizer", "TransformerSummarizer",
    "Writer", "available_summarizers", "build_summarizer",
]


class Writer(Protocol):
    """Checked writing over given source sentences (the digest's title, lead, headings,
    questions, answers, bridging lines and 💡 points): free, or a cut of a request's source
    sentence (``WriteRequest.sources``). ``Written.text`` is None when the line failed its
    checks."""

    def write_many(self, requests: Sequence[WriteRequest]) -> list[Written]:
        """One checked line per request, in order; the requests share model calls."""
        ...

    def write(
        self, instruction: str, material: Sequence[str], *, article: str = "", others: Sequence[str] = (), heading: bool = False
    ) -> Written: ...


class Summarizer(Protocol):
    """What every summarizer offers; built once, then called many times."""

    #: The registry name, recorded in every summary.
    name: str
    #: Articles per :meth:`summarize_batch` call that make good use of it.
    batch_size: int
    #: The model that writes, for provenance; None when no model is used.
    model: str | None
    #: Checked free writing for the digest, or None when the summarizer cannot write.
    writer: Writer | None

    def summarize(self, doc: Document) -> Summary:
        """One document's summary; raises :class:`ArticleError` when there can be none."""
        ...

    def summarize_batch(self, docs: Sequence[Document]) -> list[Summary | ArticleError]:
        """Summaries of ``docs`` in order, or the error that stopped one article."""
        ...


#: name -> factory. The transformer's module imports torch only when a model is loaded, so
#: naming it here costs nothing to the commands that never use it.
REGISTRY: dict[str, Callable[[Config, Tagger], Summarizer]] = {
    "extractive": ExtractiveSummarizer,
    "lead3": Lead3Summarizer,
    "transformer": TransformerSummarizer,
}


def available_summarizers() -> list[str]:
    return sorted(REGISTRY)


def check_summarizer(name: str) -> str:
    """``name`` when it is registered; else the error that lists the valid names."""
    if name not in REGISTRY:
        raise UnknownSummarizerError(name, available_summarizers())
    return name


def build_summarizer(name: str, config: Config, tagger: Tagger | None = None) -> Summarizer:
    """The summarizer registered as ``name``; an unknown name lists the valid ones."""
    return REGISTRY[check_summarizer(name)](config, tagger or Tagger())
