"""The neutral reply model every platform renders (Block Kit, Adaptive Cards, console text).

Plain ``str`` spans are always user-safe text: renderers escape them so they can never ping, mention
or link. Only ``Mention`` spans mention, and only the bot creates those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from handlers.outside.ids import is_external
from handlers.outside.topics import Topic


@dataclass(frozen=True, slots=True)
class Mention:
    """A person on the case's platform, by platform user id."""

    user_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Strong:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


Span = str | Mention | Strong | Code


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Fields:
    """Label/value pairs, shown two to a row where the platform can."""

    items: tuple[tuple[str, tuple[Span, ...]], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True, slots=True)
class Prompt:
    """Something a button asks for before it acts: a date (``kind="date"``) or a line of text."""

    kind: str  # "date" | "text"
    label: str
    field: str = "value"


@dataclass(frozen=True, slots=True)
class Button:
    """A button; pressing it comes back as ``handlers.model.Interaction(action, value, inputs)``."""

    label: str
    action: str
    value: str = ""
    style: str | None = None  # "primary" | "danger" | None
    prompt: Prompt | None = None


@dataclass(frozen=True, slots=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class Divider:
    pass


@dataclass(frozen=True, slots=True)
class Note:
    """Small print under the main content."""

    spans: tuple[Span, ...]


Block = Heading | Paragraph | Fields | Bullets | Buttons | Divider | Note


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that travels with a message, e.g. a calendar invitation (``text/calendar``).

    Platforms deliver it beside the message (Slack: a file upload into the same conversation; console:
    a local file). The message's own text must still say what matters, for platforms that cannot.
    """

    filename: str
    content: bytes
    mime: str


@dataclass(frozen=True, slots=True)
class MailNote:
    """What an e-mail says instead of this message, to a member outside the workspace: the kind of
    thing (``topic``) on which case. Never the message's own text, which may name the child: the details
    are on the portal page behind the e-mail's link (``handlers.outside``)."""

    topic: Topic
    case_id: int
    due: date | None = None
    subject_id: int | None = None  # the action, input request or review it is about


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says. ``summary`` is the plain fallback text (notifications, screen readers)."""

    blocks: tuple[Block, ...] = field(default_factory=tuple)
    summary: str = ""
    private: bool = True
    refused: bool = False  # a refusal: the command changed nothing
    # For the asker alone, even where replies are seen by the room (a Teams channel): sent by direct
    # message there. Safeguarding (`concern`, the disclosure reminder) uses it, and so does what only the
    # asker may read (an input's answers before they are shared, the inputs, the audit trail, the pupil
    # details form).
    direct: bool = False
    attachments: tuple[Attachment, ...] = ()
    # An input request whose form the platform opens at once where it can (Slack: a modal from the slash
    # command's trigger id; Teams: the form card itself). The reply, with its Open form button, is the
    # fallback where it cannot.
    opens_form: str | None = None
    # How a direct message reaches a member outside the workspace (by e-mail); without it they are not
    # sent this message at all.
    mail: MailNote | None = None

    @staticmethod
    def text(*spans: Span, private: bool = True, direct: bool = False, mail: MailNote | None = None) -> Reply:
        return Reply(
            blocks=(Paragraph(tuple(spans)),), summary=plain(spans), private=private, direct=direct, mail=mail
        )


def para(*spans: Span) -> Paragraph:
    return Paragraph(tuple(spans))


def plain(spans: tuple[Span, ...] | list[Span]) -> str:
    """Spans as plain text (mentions by name), for fallback text and logs."""
    out: list[str] = []
    for span in spans:
        if isinstance(span, str):
            out.append(span)
        elif isinstance(span, Mention) and is_external(span.user_id):
            out.append(span.name or "someone")  # reached by e-mail: no handle to show, no id to leak
        elif isinstance(span, Mention):
            out.append(f"@{span.name or span.user_id}")
        else:
            out.append(span.text)
    return "".join(out)


_HINT = re.compile(r"`([^`\n]+)`")


def hint_parts(text: str) -> list[tuple[str, bool]]:
    """Text split at its `backticked` command hints: ``(piece, is_hint)`` in order.

    The bot writes commands in backticks (``Type `forms` to see them``). Slack shows them as code; the
    console and Teams, which have no inline code, show the hint their own way (``bot.teams.cards``).
    """
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _HINT.finditer(text):
        if m.start() > last:
            parts.append((text[last : m.start()], False))
        parts.append((m.group(1), True))
        last = m.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def unmarked(text: str) -> str:
    """Text with the backticks of its command hints removed: for plain-text fallbacks and terminals."""
    return "".join(piece for piece, _ in hint_parts(text))


def reply(
    *blocks: Block, summary: str, private: bool = True, direct: bool = False, mail: MailNote | None = None
) -> Reply:
    return Reply(blocks=tuple(blocks), summary=summary, private=private, direct=direct, mail=mail)
