"""Kiku (菊): Japanese news articles in, three ✅ bullets per article and a digest draft out.

The stages live in this package, one module each: ``ingest`` (inputs -> Article), ``text``
(normalise, split, tokenise -> Document), ``summarize`` (Document -> Summary, with the
``bullets`` shaping rules), ``render`` (Summary -> text / JSON), ``runner`` (the pipeline object
that streams articles through them) and ``cli`` (the ``kiku`` command). Importing this package
is cheap: nothing heavy (the tagger, torch) is loaded until it is used.
"""

__version__ = "0.1.0"
