"""Neutral replies -> Block Kit (pure), always within Slack's limits: long content continues."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks import Block as SlackBlock

from bot.slack import limits
from bot.slack import mrkdwn as md
from handlers.replies import (
    Bullets,
    Button,
    Buttons,
    Divider,
    Fields,
    Heading,
    Note,
    Paragraph,
    Reply,
    Span,
    Strong,
)

log = logging.getLogger(__name__)

ACTION_PREFIX = "tac:"  # every button's action_id; what it means travels in its value


@dataclass(frozen=True, slots=True)
class Message:
    """One Slack message: fallback ``text`` (mrkdwn, escaped) and its blocks as JSON-ready dicts."""

    text: str
    blocks: list[dict[str, object]]


def button_value(button: Button) -> str:
    """The neutral button as the JSON a Slack button carries back in ``value``."""
    data: dict[str, object] = {"a": button.action, "v": button.value}
    if button.prompt is not None:
        data["p"] = [button.prompt.kind, button.prompt.label, button.prompt.field]
    return json.dumps(data, separators=(",", ":"))


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _sections(spans: tuple[Span, ...] | list[Span]) -> list[SlackBlock]:
    return [_section(chunk) for chunk in md.text(spans, size=limits.SECTION_TEXT)]


def _heading(text: str) -> list[SlackBlock]:
    if not text.strip():
        return []
    if len(text) <= limits.HEADER_TEXT and not any(ch in text for ch in "<>&"):
        return [HeaderBlock(text=PlainTextObject(text=md.plain(text, size=limits.HEADER_TEXT)))]
    return [_section(chunk) for chunk in md.text([Strong(text)], size=limits.SECTION_TEXT)]


def _fields(block: Fields) -> list[SlackBlock]:
    out: list[SlackBlock] = []
    row: list[MarkdownTextObject] = []
    for label, value in block.items:
        text = f"*{md.escape(label)}*\n" + "".join(md.atoms(value, size=limits.FIELD_TEXT))
        if len(text) <= limits.FIELD_TEXT:
            row.append(MarkdownTextObject(text=text))
            if len(row) == limits.FIELDS:
                out.append(SectionBlock(fields=row))
                row = []
            continue
        if row:
            out.append(SectionBlock(fields=row))
            row = []
        out.extend(_sections([label, ": ", *value]))  # too long for a field: its own sections
    if row:
        out.append(SectionBlock(fields=row))
    return out


def _bullets(block: Bullets) -> list[SlackBlock]:
    pieces: list[str] = []
    for i, item in enumerate(block.items):
        atoms = md.atoms(item, size=limits.SECTION_TEXT - 3) or [""]
        pieces.extend([("\n" if i else "") + "• " + atoms[0], *atoms[1:]])
    return [_section(chunk) for chunk in md.pack(pieces, size=limits.SECTION_TEXT)]


def _buttons(block: Buttons, counter: list[int]) -> list[SlackBlock]:
    elements: list[ButtonElement] = []
    for button in block.buttons:
        value = button_value(button)
        if len(value) > limits.BUTTON_VALUE:
            log.warning("button %s dropped: its value is too long for Slack", button.action)
            continue
        counter[0] += 1
        elements.append(
            ButtonElement(
                text=PlainTextObject(text=md.plain(button.label, size=limits.BUTTON_TEXT)),
                action_id=f"{ACTION_PREFIX}{counter[0]}",
                value=value,
                style=button.style if button.style in ("primary", "danger") else None,
            )
        )
    step = limits.ACTIONS_ELEMENTS
    return [ActionsBlock(elements=elements[i : i + step]) for i in range(0, len(elements), step)]


def _note(block: Note) -> list[SlackBlock]:
    return [
        ContextBlock(elements=[MarkdownTextObject(text=chunk)])
        for chunk in md.text(block.spans, size=limits.CONTEXT_TEXT)
    ]


def slack_blocks(reply: Reply) -> list[SlackBlock]:
    """Every neutral block as one or more Slack blocks, each within its own limits."""
    out: list[SlackBlock] = []
    counter = [0]
    for block in reply.blocks:
        if isinstance(block, Heading):
            out.extend(_heading(block.text))
        elif isinstance(block, Paragraph):
            out.extend(_sections(block.spans))
        elif isinstance(block, Fields):
            out.extend(_fields(block))
        elif isinstance(block, Bullets):
            out.extend(_bullets(block))
        elif isinstance(block, Buttons):
            out.extend(_buttons(block, counter))
        elif isinstance(block, Divider):
            out.append(DividerBlock())
        elif isinstance(block, Note):
            out.extend(_note(block))
    return out


def fallback(reply: Reply) -> str:
    """The message's top-level text (notifications, screen readers): escaped, within Slack's limit."""
    summary = reply.summary if reply.summary.strip() else "TAC Bot"
    return md.text([summary], size=limits.MESSAGE_TEXT - 20)[0]


def messages(reply: Reply) -> list[Message]:
    """The reply as one or more messages of at most 50 blocks each (long content continues)."""
    blocks = [b.to_dict() for b in slack_blocks(reply)]
    text = fallback(reply)
    if not blocks:
        return [Message(text=text, blocks=[_section(text).to_dict()])]
    size = limits.MESSAGE_BLOCKS
    chunks = [blocks[i : i + size] for i in range(0, len(blocks), size)]
    return [
        Message(text=text if n == 0 else f"{text} (continued)", blocks=chunk)
        for n, chunk in enumerate(chunks)
    ]


def view_blocks(reply: Reply) -> list[dict[str, object]]:
    """The reply's blocks for a modal or the Home tab: at most 100, the last one saying what was cut."""
    blocks = [b.to_dict() for b in slack_blocks(reply)]
    if len(blocks) <= limits.VIEW_BLOCKS:
        return blocks
    more = ContextBlock(
        elements=[MarkdownTextObject(text="More than fits here: use `/tac` commands for the full list.")]
    )
    return [*blocks[: limits.VIEW_BLOCKS - 1], more.to_dict()]
