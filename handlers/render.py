"""Small helpers for building replies about people and cases."""

from __future__ import annotations

from handlers.replies import Mention
from handlers.roles import ROLE_LABELS
from storage.models import Case, Person


def mention(person: Person) -> Mention:
    return Mention(user_id=person.external_id, name=person.display_name)


def case_title(case: Case) -> str:
    """How a case is named anywhere outside its record: reference and alias, nothing else."""
    return f"{case.reference} ({case.alias})"


def room_topic(reference: str, purpose: str | None) -> str:
    """The room's topic: the reference, then the team's purpose (or what the room is for, before one)."""
    return f"{reference}: {purpose or 'Team Around the Child'}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 member``, ``2 members`` (``many`` for irregular words: ``plural(3, "person", "people")``)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


ROUTE_LABELS = {
    "sen-support": "SEN support",
    "ehc-assessment": "EHC needs assessment",
    "annual-review": "Annual review of an EHC plan",
    "early-help": "Early help",
}


def route_label(route: str) -> str:
    """A route in words: ``ehc-assessment`` -> ``EHC needs assessment``."""
    return ROUTE_LABELS.get(route, route)


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def with_article(label: str) -> str:
    """``An educational psychologist``, ``A speech and language therapist``, ``A SENCO``: for a sentence's
    start (a label all in capitals, an initialism, keeps its case)."""
    first = label.split(" ", 1)[0]
    word = label if first.isupper() else label[:1].lower() + label[1:]
    article = "An" if label[:1].lower() in "aeiou" and not first.isupper() else "A"
    return f"{article} {word}"
