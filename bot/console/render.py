"""Neutral replies -> plain terminal text: no markup (no *bold*, no `backticks`), mentions as @handle."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.outside.ids import is_external
from handlers.replies import (
    Block,
    Bullets,
    Buttons,
    Code,
    Divider,
    Fields,
    Heading,
    Mention,
    Note,
    Paragraph,
    Reply,
    Span,
    Strong,
    unmarked,
)


def spans(items: Iterable[Span]) -> str:
    out: list[str] = []
    for span in items:
        if isinstance(span, str):
            out.append(unmarked(span))
        elif isinstance(span, Mention) and is_external(span.user_id):
            out.append(span.name or "someone")  # reached by e-mail, not a console handle
        elif isinstance(span, Mention):
            out.append(f"@{span.user_id}")
        elif isinstance(span, Strong | Code):  # a terminal has neither: plain words
            out.append(span.text)
    return "".join(out)


def block(b: Block) -> list[str]:
    if isinstance(b, Heading):
        return [f"== {b.text} =="]
    if isinstance(b, Paragraph):
        return [spans(b.spans)]
    if isinstance(b, Fields):
        return [f"  {label}: {spans(value)}" for label, value in b.items]
    if isinstance(b, Bullets):
        return [f"  - {spans(item)}" for item in b.items]
    if isinstance(b, Buttons):
        return [
            "  "
            + "  ".join(
                f"[{btn.label}]"
                + (f" <{btn.prompt.label}>" if btn.prompt else "")
                + (f" (console: :form {btn.value})" if btn.action == "form.open" else "")
                for btn in b.buttons
            )
        ]
    if isinstance(b, Divider):
        return ["  ----"]
    if isinstance(b, Note):
        return [f"  ({spans(b.spans)})"]
    return []


def render(reply: Reply) -> str:
    lines: list[str] = []
    for b in reply.blocks:
        lines.extend(block(b))
    lines += [f"  [attached: {a.filename}]" for a in reply.attachments]
    return "\n".join(lines) if lines else unmarked(reply.summary)
