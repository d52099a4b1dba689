"""User text on its way in: control characters out, so nothing stored can break a renderer or a file.

A vertical tab in one outcome once made every later `plan export` fail (Word's XML refuses it). Every
piece of text a person types passes through ``clean_text`` before a use case sees it: commands, prompt
answers, form answers and display names. Tabs and newlines stay where the field is multi-line
(``multiline``); elsewhere they become spaces. Bidirectional overrides, which can make text read
differently from what it is, go too; joiners that emoji need stay.
"""

from __future__ import annotations

import re
import unicodedata

# Embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): text that lies about its order.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")


def clean_text(text: str, *, multiline: bool) -> str:
    """``text`` without control characters; tabs and newlines kept only when ``multiline``."""
    out: list[str] = []
    for ch in _LINE_BREAKS.sub("\n", text):
        if ch in "\t\n":
            out.append(ch if multiline else " ")
        elif unicodedata.category(ch) != "Cc" and ch not in _BIDI:
            out.append(ch)
    return "".join(out)
