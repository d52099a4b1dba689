"""Neutral replies -> Adaptive Cards 1.5 for Teams (pure): user text escaped, mentions made real."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from handlers.outside.ids import is_external
from handlers.replies import (
    Block,
    Bullets,
    Button,
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
    hint_parts,
    unmarked,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
INPUT_PREFIX = "in_"  # prompt inputs are named "in_<field>" so they never clash with "action"/"value"

_MARKDOWN = re.compile(r"([\\`*_~#\[\]()<>|!{}+])")
_BULLET = re.compile(r"(?m)^(\s*)([-=])")
_NUMBERED = re.compile(r"(?m)^(\s*)(\d+)\.")
_SCHEME = re.compile(r"(?i)([a-z][a-z0-9+.\-]*):(?=//)")
_DOTTED = re.compile(r"(?<=[\w\-])\.(?=[A-Za-z0-9])")
_STYLES = {"primary": "positive", "danger": "destructive"}


def escape(text: str, *, at_sign: bool = True) -> str:
    """User text as literal Adaptive Card markdown: no emphasis, lists, links, autolinks or fake mentions.

    Markdown punctuation is backslash-escaped; ``scheme://`` and ``host.name`` get a zero-width space so
    Teams cannot turn them into links (the text still reads the same), and so does ``@`` unless
    ``at_sign=False`` (a command hint, which a person copies: Teams makes no mention from plain text).
    """
    text = _SCHEME.sub(lambda m: m.group(1) + ":\u200b", text)
    text = _DOTTED.sub(".\u200b", text)
    if at_sign:
        text = text.replace("@", "@\u200b")
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _BULLET.sub(r"\1\\\2", text)
    return _NUMBERED.sub(r"\1\2\\.", text)


_SLASH_TAC = re.compile(r"^/tac\s+")


def hint(command: str) -> str:
    """A command hint as Teams can show it (Adaptive Card markdown has no inline code): in bold, without
    the Slack-only ``/tac `` (in Teams a message to the bot is the command) and with a copyable ``@``."""
    words = _SLASH_TAC.sub("", " ".join(command.split()))
    return f"**{escape(words, at_sign=False)}**" if words else ""


def text_with_hints(text: str) -> str:
    """Bot text whose `backticked` commands become hints; the rest escaped as any text."""
    return "".join(hint(piece) if is_hint else escape(piece) for piece, is_hint in hint_parts(text))


def mention_text(m: Mention) -> str:
    """The ``<at>..</at>`` tag Teams turns into a mention; the name is escaped like any text."""
    name = (m.name or m.user_id).replace("<", "").replace(">", "")
    return f"<at>{name}</at>"


@dataclass
class _Card:
    """The card being built, collecting the mention entities its text uses."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def spans(self, items: tuple[Span, ...]) -> str:
        out: list[str] = []
        for span in items:
            if isinstance(span, str):
                out.append(text_with_hints(span))
            elif isinstance(span, Mention) and is_external(span.user_id):
                out.append(escape(span.name or "someone"))  # by e-mail: not a Teams user to mention
            elif isinstance(span, Mention):
                tag = mention_text(span)
                if (span.user_id, tag) not in self.seen:
                    self.seen.add((span.user_id, tag))
                    self.entities.append(
                        {
                            "type": "mention",
                            "text": tag,
                            "mentioned": {"id": span.user_id, "name": span.name or span.user_id},
                        }
                    )
                out.append(tag)
            elif isinstance(span, Strong):
                out.append(f"**{escape(span.text)}**")
            elif isinstance(span, Code):
                out.append(hint(span.text))
        return "".join(out)


def _text(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def action(button: Button) -> dict[str, Any]:
    """A Button as an Action.Submit, or an Action.ShowCard asking for a date or a line of text first."""
    submit: dict[str, Any] = {
        "type": "Action.Submit",
        "title": button.label,
        "data": {"action": button.action, "value": button.value},
    }
    if button.style in _STYLES:
        submit["style"] = _STYLES[button.style]
    if button.prompt is None:
        return submit
    prompt = button.prompt
    input_type = "Input.Date" if prompt.kind == "date" else "Input.Text"
    field_input: dict[str, Any] = {
        "type": input_type,
        "id": INPUT_PREFIX + prompt.field,
        "label": prompt.label,
        "isRequired": True,
        "errorMessage": f"{prompt.label} is needed.",
    }
    if input_type == "Input.Text":
        field_input["maxLength"] = 500
    return {
        "type": "Action.ShowCard",
        "title": button.label,
        "card": {"type": "AdaptiveCard", "body": [field_input], "actions": [{**submit, "title": "Send"}]},
    }


def _fields(card: _Card, block: Fields) -> dict[str, Any]:
    """A FactSet; a ColumnSet when a value mentions someone (Teams renders mentions in TextBlocks)."""
    if not any(isinstance(s, Mention) for _, value in block.items for s in value):
        return {
            "type": "FactSet",
            "facts": [{"title": escape(label), "value": card.spans(value)} for label, value in block.items],
        }
    rows = [
        {
            "type": "ColumnSet",
            "spacing": "None",
            "columns": [
                {"type": "Column", "width": "auto", "items": [_text(f"**{escape(label)}**")]},
                {"type": "Column", "width": "stretch", "items": [_text(card.spans(value))]},
            ],
        }
        for label, value in block.items
    ]
    return {"type": "Container", "items": rows}


def _block(card: _Card, block: Block) -> list[dict[str, Any]]:
    if isinstance(block, Heading):
        return [_text(escape(block.text), size="Medium", weight="Bolder")]
    if isinstance(block, Paragraph):
        return [_text(card.spans(block.spans))]
    if isinstance(block, Fields):
        return [_fields(card, block)]
    if isinstance(block, Bullets):
        return [_text("• " + card.spans(item), spacing="Small") for item in block.items]
    if isinstance(block, Buttons):
        return [{"type": "ActionSet", "actions": [action(b) for b in block.buttons]}]
    if isinstance(block, Note):
        return [_text(card.spans(block.spans), isSubtle=True, size="Small")]
    return []


def render_card(reply: Reply) -> dict[str, Any]:
    """The reply as an Adaptive Card 1.5 (with Teams' ``msteams`` extension when it mentions anyone)."""
    card = _Card()
    body: list[dict[str, Any]] = []
    separate = False
    for block in reply.blocks:
        if isinstance(block, Divider):
            separate = True
            continue
        elements = _block(card, block)
        if separate and elements:
            elements[0]["separator"] = True
            separate = False
        body.extend(elements)
    if reply.refused and body and body[0]["type"] == "TextBlock":
        body[0]["color"] = "Attention"
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body or [_text(text_with_hints(reply.summary))],
        "fallbackText": unmarked(reply.summary),  # plain text: no markdown, so nothing to escape
    }
    if card.entities:
        content["msteams"] = {"entities": card.entities}
    return content


def attachment(reply: Reply) -> dict[str, Any]:
    """The card as a Bot Framework attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": render_card(reply)}
