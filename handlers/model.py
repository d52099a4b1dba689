"""The neutral command every platform hands to the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.text import clean_text


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking: a platform user in a workspace (Slack team, Teams tenant, the console school)."""

    platform: str
    workspace: str
    user_id: str
    display_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "display_name", clean_text(self.display_name, multiline=False))


@dataclass(frozen=True, slots=True)
class Command:
    """A `/tac` command as typed. Mentions are already canonical: ``<@USERID>`` or ``<@USERID|name>``.

    ``room_id`` is the conversation it was typed in (None for a direct message or the console's DM).
    ``names`` maps mentioned user ids to display names where the platform told us them.
    """

    actor: Actor
    text: str
    room_id: str | None = None
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """What was typed, without control characters (``handlers.text``): the way in for all commands."""
        object.__setattr__(self, "text", clean_text(self.text, multiline=True))
        object.__setattr__(self, "names", {k: clean_text(v, multiline=False) for k, v in self.names.items()})


@dataclass(frozen=True, slots=True)
class Interaction:
    """A button pressed (or a small prompt answered) on something the bot sent.

    ``action`` and ``value`` are the ``Button``'s; ``inputs`` holds what the person typed or picked when
    the button asked for it (``Button.prompt``), keyed by the prompt's ``field``.
    """

    actor: Actor
    action: str
    value: str
    room_id: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "inputs", {k: clean_text(v, multiline=False) for k, v in self.inputs.items()}
        )
