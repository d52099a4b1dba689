"""Members outside the workspace are named in commands by the quoted name they were invited with:
`request ep-advice from "Dr Ann Vale" due 15/12`. Before a command runs, each quoted name is found
among the school's external members and becomes their ``ext.`` id, as a mention would be."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sqlalchemy import func, select

from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.grammar.commands import Parsed, PersonRef
from storage.models import ExternalContact, Person, School

P = TypeVar("P", bound=Parsed)


def _quoted(value: object) -> bool:
    return isinstance(value, PersonRef) and not value.user_id


def resolve(ask: Ask, parsed: P) -> tuple[Ask, P]:
    """``parsed`` with its quoted names found (and the ``ask`` knowing their names); ``NotFound`` for a
    name nobody outside the workspace in this school was invited with."""
    wanted: dict[str, list[str]] = {}
    for f in dataclasses.fields(parsed):
        value = getattr(parsed, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if _quoted(item):
                wanted.setdefault(item.label.casefold(), []).append(item.label)
    if not wanted:
        return ask, parsed
    actor = ask.command.actor
    found: dict[str, Person] = {}
    with ask.core.db.transaction() as s:
        rows = s.execute(
            select(Person, func.lower(Person.display_name))
            .join(ExternalContact, ExternalContact.person_id == Person.id)
            .join(School, School.id == ExternalContact.school_id)
            .where(
                School.platform == actor.platform,
                School.external_id == actor.workspace,
                func.lower(Person.display_name).in_(list(wanted)),
            )
        ).all()
    for person, lowered in rows:
        key = str(lowered).casefold()
        if key in found and found[key].id != person.id:
            raise UsageError(
                f'More than one person outside the workspace is called "{person.display_name}".',
                hint="Invite one of them again with a fuller name, like "
                '`invite external "Dr Ann Vale (EP)" ...`.',
            )
        found[key] = person
    for key, labels in wanted.items():
        if key not in found:
            raise NotFound(
                f'I don\'t know anyone outside the workspace called "{labels[0]}".',
                hint='Mention people in the workspace (@anna); invite others with `invite external "<name>" '
                "<email> <role>`.",
            )

    def swap(value: object) -> object:
        if isinstance(value, tuple):
            return tuple(swap(v) for v in value)
        if isinstance(value, PersonRef) and _quoted(value):
            person = found[value.label.casefold()]
            return PersonRef(user_id=person.external_id, label=person.display_name)
        return value

    changes: dict[str, Any] = {f.name: swap(getattr(parsed, f.name)) for f in dataclasses.fields(parsed)}
    names = dict(ask.command.names)
    names.update({p.external_id: p.display_name for p in found.values()})
    command = dataclasses.replace(ask.command, names=names)
    return dataclasses.replace(ask, command=command), dataclasses.replace(parsed, **changes)
