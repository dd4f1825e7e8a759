"""What makes two articles the same one: a canonical URL, and a hash of the text.

The reader drops duplicates within a run with these, and the batch store keys articles by them
across runs; both must agree, so the rules live here once.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a click came from: dropped from canonical URLs.
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|ref|from|rss|cx_\w+)$", re.I)


def canonical_url(url: str) -> str:
    """``url`` as one key per page: scheme and host lower-cased, default port, fragment and
    tracking parameters (utm_*, fbclid, …) dropped."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


# Full-width ASCII (Ａ１！) to half-width: the width variants that republished copies of one
# article differ in. Cheaper than NFKC over the whole body, which dominated reading a corpus.
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def content_hash(body: str) -> str:
    """A hash of an article's text that ignores full-/half-width variants and whitespace."""
    squashed = "".join(body.translate(_HALF_WIDTH).split())
    return hashlib.sha256(squashed.encode("utf-8")).hexdigest()
