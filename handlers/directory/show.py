"""Use cases `services` and `service <name>`: the school's directory ("services' duties and limitations,
including finances"), and the lookup `refer` and `invite` use to suggest from it."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace

from handlers import access
from handlers.core import Ask
from handlers.errors import NotFound
from handlers.grammar import commands as c
from handlers.replies import Block, Bullets, Fields, Heading, Note, Reply, Span, Strong, para, reply
from storage.models import Service
from storage.repo import services as repo

MAX_LISTED = 40  # one Slack message
EMPTY_HINT = (
    "An administrator loads the school's directory with `tacbot services load <file.yaml>` "
    "(`tacbot services example` prints one to start from)."
)


def wait_text(weeks: int | None) -> str:
    if weeks is None:
        return "not known"
    return "none" if weeks == 0 else f"about {weeks} week{'s' if weeks != 1 else ''}"


def find(services: Sequence[Service], word: str) -> Service | None:
    """The service a user means: its id, its name, or the one name that contains the words."""
    wanted = " ".join(word.lower().split())
    for s in services:
        if s.key == wanted or s.name.lower() == wanted:
            return s
    matches = [s for s in services if wanted and wanted in s.name.lower()]
    return matches[0] if len(matches) == 1 else None


def not_in_directory(services: Sequence[Service], word: str, *, command: str) -> NotFound:
    """The refusal for a service the directory does not hold, with the closest id or the ids there are."""
    keys = [s.key for s in services]
    close = difflib.get_close_matches(word.lower(), keys, n=1)
    outside = (
        ' To refer somewhere outside it, quote the name: `refer "<name>"`.' if command == "refer" else ""
    )
    if not services:
        return NotFound("The school has no service directory yet.", hint=EMPTY_HINT + outside)
    hint = f"Did you mean `{command} {close[0]}`?" if close else "The directory has: " + ", ".join(keys[:20])
    return NotFound(f"There is no service called {word[:60]} in the school's directory.", hint=hint + outside)


def suggestions_for_role(services: Sequence[Service], role: str) -> list[Service]:
    return [s for s in services if role in (s.roles or [])]


def with_directory_hint(ask: Ask, done: Reply, *, role: str, agency: str | None) -> Reply:
    """`invite` suggests from the directory: the services a person of that role comes from."""
    if agency:
        return done
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        found = suggestions_for_role(repo.directory(s, school_id=who.school.id), role)[:3]
    if not found:
        return done
    names = "; ".join(f'agency "{s.name}" (`service {s.key}`)' for s in found)
    return replace(done, blocks=(*done.blocks, Note((f"From the school's directory: {names}.",))))


async def list_services(ask: Ask, cmd: c.ServicesList) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        found = list(repo.directory(s, school_id=who.school.id))
    blocks: list[Block] = [Heading("The school's service directory")]
    if not found:
        blocks.append(para("There is no directory yet. ", EMPTY_HINT))
        return reply(*blocks, summary="The school's service directory")
    items: list[tuple[Span, ...]] = [
        (
            Strong(s.name),
            f" (`{s.key}`) · {s.scope} · wait {wait_text(s.typical_wait_weeks)}",
        )
        for s in found[:MAX_LISTED]
    ]
    blocks.append(Bullets(tuple(items)))
    blocks.append(Note(("`service <id>` shows one in full; `refer <id>` refers a case there.",)))
    return reply(*blocks, summary="The school's service directory")


async def show_service(ask: Ask, cmd: c.ServiceShow) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        found = list(repo.directory(s, school_id=who.school.id))
        service = find(found, cmd.name)
        if service is None:  # refused inside the transaction: nothing is written
            raise not_in_directory(found, cmd.name, command="service")
    fields: list[tuple[str, tuple[Span, ...]]] = [
        ("Remit", (service.remit,)),
        ("Who is eligible", (service.eligibility,)),
        ("How to refer", (service.how_to_refer,)),
        ("Typical wait", (wait_text(service.typical_wait_weeks),)),
        ("Cost to the school", (service.cost,)),
        ("Consent that covers a referral", (service.scope,)),
    ]
    if service.beyond_casework:
        fields.append(("Beyond case work", (service.beyond_casework,)))
    return reply(
        Heading(service.name),
        Fields(tuple(fields)),
        Note((f'Refer a case: `refer {service.key} reason "<why>"` in its room.',)),
        summary=service.name,
    )
