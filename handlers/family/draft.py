"""The plain-language draft of `update family`: progress since the last update, no professional jargon.

What the team is working towards (the outcomes), what has been done since the last update, what is
happening now, and the next meeting; every glossary term the team's own words use is explained in its
plain meaning (``glossary.yaml``'s ``plain``).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.glossary import glossary
from storage.models import Case, Person
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo

MOST_ITEMS = 6  # a short update: the family reads it on a phone


def _day(when: datetime, tz: ZoneInfo) -> str:
    local = when.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B}"


def plain_words(texts: list[str]) -> list[str]:
    """ "<term>" means <plain meaning>, for each glossary term (or alias) the texts use, once each."""
    found: dict[str, str] = {}
    lowered = " ".join(texts).lower()
    for word, term in sorted(glossary().items(), key=lambda kv: -len(kv[0])):
        if term.plain and term.name not in found and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            found[term.name] = f"\u201c{word}\u201d means {term.plain}"
    return list(found.values())


def draft_text(
    s: Session, *, case: Case, key_worker: Person, since: datetime, now: datetime, tz: ZoneInfo
) -> str:
    outcomes = plan_repo.outcomes(s, case_id=case.id)
    actions = plan_repo.actions(s, case_id=case.id)
    done = [a for a in actions if a.status == "done" and a.done_at is not None and a.done_at >= since]
    ongoing = [a for a in actions if a.status == "open"]
    review = review_repo.current_review(s, case_id=case.id)
    lines = [f"Here is how things are going for {case.alias} since {_day(since, tz)}."]
    if outcomes:
        lines += ["", "What we are working towards together:"]
        lines += [f"• {o.text}" for o in outcomes[:MOST_ITEMS]]
    if done:
        lines += ["", "What has been done:"]
        lines += [f"• {a.what} (finished {_day(a.done_at, tz)})" for a in done[:MOST_ITEMS] if a.done_at]
    if ongoing:
        lines += ["", "What is happening now:"]
        lines += [f"• {a.what}, until {a.due.day} {a.due:%B}" for a in ongoing[:MOST_ITEMS]]
    if not (outcomes or done or ongoing):
        lines += ["", "The team is getting to know your child and agreeing what help to put in place."]
    if review is not None and review.starts_at is not None and review.starts_at > now:
        where = f", {review.place}" if review.place else ""
        at = review.starts_at.astimezone(tz)
        lines += [
            "",
            f"Our next meeting is on {_day(review.starts_at, tz)} at {at:%H:%M}{where}. "
            "You are very welcome to come.",
        ]
    words = plain_words([o.text for o in outcomes] + [a.what for a in done + ongoing])
    if words:
        lines += ["", "Words you may hear:"] + [f"• {w}" for w in words]
    name = key_worker.display_name or "the key worker"
    lines += ["", f"If you have any questions, just reply to {name}, your main contact in the team."]
    return "\n".join(lines)
