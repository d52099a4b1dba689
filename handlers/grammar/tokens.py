"""Split a command into words, quoted text and mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.errors import UsageError

_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "“"}
_MENTION = re.compile(r"<@([A-Za-z0-9_.:\-]+)(?:\|([^>]*))?>")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    quoted: bool = False
    mention: str | None = None  # platform user id when the token is a mention

    @property
    def word(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[Token]:
    """Words separated by white space; "quoted text" (straight or curly) is one token; mentions too."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _QUOTES:
            close = _QUOTES[ch]
            j = i + 1
            while j < n and text[j] != close and not (close == "”" and text[j] == '"'):
                j += 1
            if j >= n:
                raise UsageError("A quotation mark is not closed.", hint='Put text in "double quotes".')
            tokens.append(Token(text[i + 1 : j], quoted=True))
            i = j + 1
            continue
        if text.startswith("<@", i):
            m = _MENTION.match(text, i)
            if m:
                tokens.append(Token(m.group(2) or m.group(1), mention=m.group(1)))
                i = m.end()
                continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _QUOTES:
            j += 1
        tokens.append(Token(text[i:j]))
        i = j
    return tokens
