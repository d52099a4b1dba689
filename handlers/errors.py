"""One error hierarchy. Every ``TacBotError`` message is safe to show to the person who asked."""

from __future__ import annotations


class TacBotError(Exception):
    """Root of TAC Bot's errors; ``str(error)`` is a short, user-safe sentence."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(TacBotError):
    """The words did not fit the command; ``command`` names the command whose usage to show."""

    def __init__(self, message: str, *, command: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.command = command


class UnknownCommand(UsageError):
    def __init__(self, word: str, suggestion: str | None) -> None:
        hint = f"Did you mean `{suggestion}`?" if suggestion else "Try `/tac help` for the list of commands."
        super().__init__(f"I don't know the command `{word}`.", hint=hint)
        self.suggestion = suggestion


class BadDate(UsageError):
    pass


class WhichCase(UsageError):
    """A command typed in a direct message by someone on several cases: they pick one (as buttons)."""

    def __init__(self, *, word: str, cases: tuple[tuple[str, str], ...]) -> None:
        super().__init__(
            f"You are on {len(cases)} cases: which one?",
            hint=f"Pick one, or name it, like `{word} case {cases[0][0]}`.",
        )
        self.word = word
        self.cases = cases  # (reference, alias), the asker's own open cases


class NotAllowed(TacBotError):
    """The asker may not do this (role, key worker, SENCO)."""


class NotFound(TacBotError):
    """No such case (or not one the asker may see), person, action..."""


class NoConsent(TacBotError):
    """The consent gate: no recorded consent covers this agency."""
