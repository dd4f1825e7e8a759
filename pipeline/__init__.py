"""Kiku (菊): Japanese news articles in, three ✅ bullets per article and a digest draft out.

``from kiku import Kiku`` is the library's entry point (see :mod:`kiku.runner`); ``python -m
kiku`` is the command line (:mod:`kiku.cli`). The stages are one module each — ``ingest``
(inputs -> Article), ``text`` (-> Document), ``summarizers`` (-> Summary), ``digest`` (-> Digest),
``render`` (-> text, JSON, Markdown, HTML) — and the engine layer that loads models and generates
is :mod:`kiku.models`. Importing this package is cheap: nothing heavy (the tagger, torch) is
loaded until it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Kiku", "__version__"]

if TYPE_CHECKING:
    from kiku.runner import Kiku


def __getattr__(name: str) -> Any:
    # Kiku is imported on first use, so that `import kiku` (and `kiku --help`) stay instant.
    if name == "Kiku":
        from kiku.runner import Kiku

        return Kiku
    raise AttributeError(f"module 'kiku' has no attribute {name!r}")
