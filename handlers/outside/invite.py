"""`invite external "<name>" <email> <role> [agency "<name>"] [champion]`: a member outside the workspace.

The same use case as `invite` (consent gate, roster, room notice), with the person found or made from
their e-mail address in this school; they are told by e-mail, with their personal link. Where the
platform can (Slack Connect with ``TACBOT_SLACK_CONNECT``, a Teams guest through Graph), they are also
asked into the case room; a refusal there changes nothing, e-mail and the portal work either way.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import access
from handlers.core import Ask
from handlers.errors import NotAllowed
from handlers.grammar import commands as c
from handlers.outside import guests
from handlers.outside.ids import new_external_id
from handlers.platform import PlatformError
from handlers.replies import Reply
from handlers.team import join
from storage import audit
from storage.models import ExternalContact, Person
from storage.repo import cases as case_repo

log = logging.getLogger(__name__)


def mail_is_on(ask: Ask) -> None:
    outside = ask.core.outside
    if outside is None or outside.mailer is None:
        raise NotAllowed(
            "E-mail is off here, so I can't invite someone outside the workspace.",
            hint="Your administrator turns it on with TACBOT_SMTP_HOST and TACBOT_PUBLIC_URL.",
        )


async def invite_external(ask: Ask, cmd: c.InviteExternal) -> Reply:
    mail_is_on(ask)

    def by_address(s: Session, who: access.Asker, name: str) -> Person:
        contact = s.scalars(
            select(ExternalContact).where(
                ExternalContact.school_id == who.school.id, ExternalContact.email == cmd.email
            )
        ).one_or_none()
        if contact is not None:
            person = s.get(Person, contact.person_id)
            assert person is not None
            person.display_name = name
            return person
        person = Person(
            platform=ask.command.actor.platform,
            external_id=new_external_id(),
            display_name=name,
            created_at=ask.now,
        )
        s.add(person)
        s.flush()
        s.add(
            ExternalContact(
                person_id=person.id,
                school_id=who.school.id,
                email=cmd.email,
                invited_by_id=who.person.id,
                created_at=ask.now,
            )
        )
        s.flush()
        audit.record(
            s,
            action="external.added",
            at=ask.now,
            school_id=who.school.id,
            actor_id=who.person.id,
            person_id=person.id,
        )
        return person

    ref = c.PersonRef(user_id="", label=cmd.name)
    done = await join(
        ask,
        c.Invite(cmd.case_ref, ref, cmd.role, cmd.agency, cmd.champion),
        name=cmd.name,
        person_for=by_address,
    )
    if not done.refused:
        await _into_room(ask, cmd)
    return done


async def _into_room(ask: Ask, cmd: c.InviteExternal) -> None:
    """Slack Connect or a Teams guest, where the platform offers it (``invite_guest``); quietly not.

    The room remembers whom it asked in (``handlers.outside.guests``) before the platform is asked, so
    that their joining (which the platform may report before it answers) is not taken for an intruder."""
    outside = ask.core.outside
    platform = ask.platform
    invite_guest = getattr(platform, "invite_guest", None)
    if outside is None or invite_guest is None:
        return
    where = ask.command.actor.platform
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        room = case_repo.get_room(s, case_id=acc.case.id)
        contact = s.scalars(
            select(ExternalContact).where(
                ExternalContact.school_id == who.school.id, ExternalContact.email == cmd.email
            )
        ).one()
        person = s.get(Person, contact.person_id)
        assert person is not None
        if room is None or not room.external_id or room.state != "ready":
            return
        room_id, person_id = room.external_id, person.external_id
        guests.remember(
            s,
            platform=where,
            workspace=ask.workspace,
            room_id=room_id,
            person=person_id,
            user_id=None,
            now=ask.now,
        )
    asked = False
    with contextlib.suppress(PlatformError):
        asked = bool(
            await invite_guest(
                workspace=ask.workspace,
                room_id=room_id,
                email=cmd.email,
                name=cmd.name,
                person=person_id,
                slack_connect=outside.slack_connect,
            )
        )
    if not asked:
        with ask.core.db.transaction() as s:
            guests.forget(s, platform=where, room_id=room_id, person=person_id)
