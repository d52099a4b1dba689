"""Neutral spans -> Slack mrkdwn. User text is escaped so it can never ping, mention or hide a link."""

from __future__ import annotations

import re
from collections.abc import Iterable

from handlers.outside.ids import is_external
from handlers.replies import Code, Mention, Span, Strong

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def escape(text: str) -> str:
    """Slack's three control characters; with them escaped, `<!here>`, `<@U1>`, `<url|label>` are inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(marker: str, text: str) -> str:
    body = escape(" ".join(text.split())).replace(marker, "")
    return f"{marker}{body}{marker}" if body else ""


def span(item: Span) -> str:
    """One span as mrkdwn; only a bot-made ``Mention`` with a real Slack user id becomes a mention."""
    if isinstance(item, str):
        return escape(item)
    if isinstance(item, Mention):
        if _USER_ID.match(item.user_id):
            return f"<@{item.user_id}>"
        if is_external(item.user_id):
            return escape(item.name or "someone")  # reached by e-mail: no handle to show, no id to leak
        return escape(f"@{item.name or item.user_id}")
    if isinstance(item, Strong):
        return _inline("*", item.text)
    if isinstance(item, Code):
        return _inline("`", item.text)
    raise TypeError(f"not a span: {item!r}")


def atoms(spans: Iterable[Span], *, size: int) -> list[str]:
    """The spans as mrkdwn pieces, none longer than ``size``, never cutting an escape or a mention."""
    out: list[str] = []
    for item in spans:
        if isinstance(item, str):
            out.extend(_cut_text(item, size))
        elif isinstance(item, Mention):
            out.append(span(item))
        else:
            marker = "*" if isinstance(item, Strong) else "`"
            out.extend(_inline(marker, part) for part in _raw_parts(item.text, size - 2))
    return out


def _raw_parts(value: str, size: int) -> list[str]:
    """Cut raw text so each part, once escaped, fits ``size``."""
    parts: list[str] = []
    while value:
        cut = min(len(value), size)
        while len(escape(value[:cut])) > size:
            cut -= 1
        parts.append(value[:cut])
        value = value[cut:]
    return parts


def _cut_text(text: str, size: int) -> list[str]:
    """User text escaped, cut at whitespace (or hard) so each escaped piece fits ``size``."""
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(\s+)", text):
        candidate = escape(current + word)
        if len(candidate) <= size:
            current += word
            continue
        if current:
            pieces.append(escape(current))
        current = word
        if len(escape(current)) > size:
            *whole, current = _raw_parts(current, size)
            pieces.extend(escape(part) for part in whole)
    if current:
        pieces.append(escape(current))
    return pieces


def pack(pieces: Iterable[str], *, size: int) -> list[str]:
    """Join pieces greedily into chunks of at most ``size`` characters."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > size:
            chunks.append(current)
            current = ""
        current += piece
    if current:
        chunks.append(current)
    return chunks


def text(spans: Iterable[Span], *, size: int) -> list[str]:
    """Spans as one or more mrkdwn strings, each within ``size`` (blank ones dropped: Slack refuses them)."""
    return [chunk for chunk in pack(atoms(spans, size=size), size=size) if chunk.strip()]


def plain(value: str, *, size: int) -> str:
    """Text for a plain_text object: one line, no angle brackets, cut to ``size`` with an ellipsis."""
    value = " ".join(value.replace("<", "‹").replace(">", "›").split()) or "…"
    return value if len(value) <= size else value[: size - 1] + "…"
