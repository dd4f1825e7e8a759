"""Bytes to text for the encodings Japanese sites use: UTF-8, Shift_JIS / CP932, EUC-JP and
ISO-2022-JP.

A declared charset (HTTP ``Content-Type``, the XML declaration, ``<meta charset>``) is honoured.
Without one, the candidates are tried strictly in a fixed order and the decoding that reads as
Japanese wins. General-purpose detectors were not used: on short Japanese pages they often
name a Chinese or Cyrillic code page, while these four candidates, decoded strictly, are
rarely ambiguous — and the choice stays deterministic.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from kiku.errors import InputError

# Label (lower-case, as written in documents) -> Python codecs to try, most likely first.
# Sites that say Shift_JIS almost always mean Microsoft's CP932 (①, ㈱, NEC extensions).
_ALIASES = {
    "shift_jis": ("cp932", "shift_jis_2004"),
    "shift-jis": ("cp932", "shift_jis_2004"),
    "sjis": ("cp932", "shift_jis_2004"),
    "x-sjis": ("cp932", "shift_jis_2004"),
    "windows-31j": ("cp932",),
    "ms932": ("cp932",),
    "cp932": ("cp932",),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "euc_jp": ("euc_jp", "euc_jis_2004"),
    "x-euc-jp": ("euc_jp", "euc_jis_2004"),
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004"),
    "csiso2022jp": ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004"),
    "utf-8": ("utf-8",),
    "utf8": ("utf-8",),
}
_NAMES = {"cp932": "Shift_JIS (CP932)", "shift_jis_2004": "Shift_JIS", "euc_jp": "EUC-JP",
          "euc_jis_2004": "EUC-JP", "iso2022_jp": "ISO-2022-JP", "iso2022_jp_ext": "ISO-2022-JP",
          "iso2022_jp_2004": "ISO-2022-JP", "utf-8": "UTF-8"}

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)[\"']", re.I)
_META = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")


class Decoded(NamedTuple):
    text: str
    #: The encoding used, as people write it (``Shift_JIS (CP932)``).
    encoding: str
    #: Set when a declared charset was wrong and another one decoded the bytes.
    warning: str | None = None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset the HTTP header, the XML declaration or a ``<meta>`` tag names."""
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type, re.I)
        if m:
            return m[1].lower()
    head = data[:4096]
    m = _XML_DECL.match(head) or _META.search(head)
    return m[1].decode("ascii").lower() if m else None


def decode(data: bytes, origin: str, content_type: str | None = None) -> Decoded:
    """Decode ``data`` read from ``origin``; raises :class:`InputError` naming it when no
    supported encoding reads it."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8")
        if text is None:
            raise InputError(origin, "starts with a UTF-8 byte-order mark but is not valid UTF-8; fix or re-save it")
        return Decoded(text, "UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16"), "UTF-16")
    declared = declared_charset(data, content_type)
    if declared:
        codecs_for = _ALIASES.get(declared)
        if codecs_for is None:
            try:
                codecs_for = (codecs.lookup(declared).name,)
            except LookupError:
                codecs_for = ()
        for codec in codecs_for:
            text = _strict(data, codec)
            if text is not None:
                return Decoded(text, _NAMES.get(codec, declared))
    found = _detect(data)
    if found is None:
        raise InputError(
            origin,
            "cannot be decoded as UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP"
            + (f" (it declares {declared})" if declared else "")
            + f"; {_first_bad_utf8(data)}; convert it to UTF-8 first, e.g. iconv -f CP932 -t UTF-8"
        )
    text, codec = found
    warning = None
    if declared:
        warning = f"declares {declared} but is {_NAMES[codec]}; read as {_NAMES[codec]}"
    return Decoded(text, _NAMES[codec], warning)


def _first_bad_utf8(data: bytes) -> str:
    """Where UTF-8 reading stops: the byte offset and line of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"the first byte that is not UTF-8 is at offset {exc.start:,} (line {line})"
    return "it is not text in any of them"


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    # ISO-2022-JP is 7-bit, so it is also valid UTF-8: look for its escape sequences first.
    if b"\x1b$B" in data or b"\x1b$@" in data or b"\x1b(J" in data:
        for codec in ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004"):
            text = _strict(data, codec)
            if text is not None:
                return text, codec
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    best: tuple[float, str, str] | None = None
    for codec in ("cp932", "euc_jp", "euc_jis_2004", "shift_jis_2004"):
        text = _strict(data, codec)
        if text is None:
            continue
        # Both can decode some byte strings; the right one reads as kana and kanji, the wrong
        # one as half-width katakana and rare symbols.
        score = len(_JAPANESE.findall(text)) - 2 * len(re.findall(r"[\uff61-\uff9f\ue000-\uf8ff]", text))
        if best is None or score > best[0]:
            best = (score, text, codec)
    return (best[1], best[2]) if best else None
