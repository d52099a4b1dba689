"""The words of reminders, chasers, escalations and blocks (neutral replies; the digest's: ``digest``).

A reminder names the case by reference and alias (``case_title``) and says what it is about in its body
(``Subject.about``: the action's text, the form's title, the meeting's date, time and place), so nobody
has to go and look it up. Its notification text (``Reply.summary``, what a phone's lock screen shows) stays
minimal: the reference and the subject's kind and number, never the alias or the action's text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from handlers.chasing.subjects import Subject
from handlers.outside.topics import Topic
from handlers.referrals.chasing import referral_line
from handlers.render import case_title, mention
from handlers.replies import Block, Button, Buttons, Heading, MailNote, Note, Prompt, Reply, Span, para, reply
from scheduler.steps import overdue_number
from storage.models import Case, Person

CHASER = "chaser"


def chaser_buttons(kind: str, subject_id: int) -> Buttons:
    """Done / Need more time (a new date) / Blocked (a reason): handled by ``handlers.chasing.answers``."""
    value = f"{kind}:{subject_id}"
    return Buttons(
        (
            Button("Done", f"{CHASER}.done", value, style="primary"),
            Button("Need more time", f"{CHASER}.later", value, prompt=Prompt("date", "New due date", "date")),
            Button(
                "Blocked", f"{CHASER}.blocked", value, prompt=Prompt("text", "What is blocking it?", "reason")
            ),
        )
    )


def _day(d: date | None, today: date | None) -> str:
    """``Tue 30 Nov``; with the year when it is not this year's (or this year is not known)."""
    if d is None:
        return "soon"
    return f"{d:%a %d %b}" if today is not None and d.year == today.year else f"{d:%a %d %b %Y}"


def _line(step: str, subject: Subject, today: date) -> str:
    label, due = subject.label, subject.due
    referral = referral_line(step, label)
    if referral is not None:
        return referral
    day = _day(due, today)
    n = overdue_number(step)
    if n is not None:
        return f"{label} was due {day} and is overdue. Is it done?"
    if step == "due" or due == today:
        return f"{label} is due today ({day})."
    if step.startswith("week-"):
        return f"{label} is due {day} ({step.replace('-', ' ')} of the 6-week statutory timescale)."
    if step.startswith("review-"):
        return f"The review meeting is on {day}."
    return {
        "ar-invitations": (f"The annual review is on {day}: send the invitations and advice requests now."),
        "ar-advice-due": f"Advice for the annual review on {day} is due now (2 weeks before).",
        "ar-pack": f"Circulate the annual review pack now: the meeting is on {day}.",
        "ar-report-due": f"The annual review report for the meeting of {day} is due now.",
    }.get(step, f"{label} is due {day}.")


def chaser(*, kind: str, step: str, case: Case, subject: Subject, today: date) -> Reply:
    """A reminder or chaser to the person who owes something (a DM)."""
    line = _line(step, subject, today)
    blocks: list[Block] = [Heading(f"Reminder: {case_title(case)}"), para(line)]
    if subject.about:
        blocks.append(para(*subject.about))
    if subject.answerable and (step in ("due", "before-2") or step.startswith(("overdue", "week-"))):
        answers = chaser_buttons(kind, subject.id)
        blocks.append(Buttons(subject.buttons + answers.buttons))
    elif subject.buttons:
        blocks.append(Buttons(subject.buttons))
    blocks.append(Note((f"See it with `/tac status case {case.reference}`.",)))
    mail = MailNote(_topic(kind, step), case.id, due=subject.due, subject_id=subject.id)
    return replace(reply(*blocks, summary=f"{case.reference}: {line}"), mail=mail)


def _topic(kind: str, step: str) -> Topic:
    """What the e-mail of a chaser says it is about (a member outside the workspace)."""
    overdue = overdue_number(step) is not None
    if kind == "action":
        return Topic.ACTION_OVERDUE if overdue else Topic.ACTION_DUE
    if kind == "input_request":
        return Topic.FORM_OVERDUE if overdue else Topic.FORM_DUE
    if kind == "review":
        return Topic.MEETING_SOON
    return Topic.NEWS


def escalation(*, case: Case, subject: Subject, owner: Person | None, today: date | None = None) -> Reply:
    """To the key worker, once, after the second overdue chaser went unanswered."""
    due = _day(subject.due, today)
    spans: list[Span] = [f"{subject.label} was due {due} and is still open after two chasers"]
    if owner is not None:
        spans += [" to ", mention(owner)]
    spans.append(".")
    return reply(
        Heading(f"Overdue: {case_title(case)}"),
        para(*spans),
        *((para(*subject.about),) if subject.about else ()),
        Note(("You may want to talk to them, or change the plan.",)),
        summary=f"{case.reference}: {subject.label} is overdue",
    )


def blocked(*, case: Case, label: str, who: Person, reason: str, about: tuple[Span, ...] = ()) -> Reply:
    """To the key worker: someone pressed Blocked on a chaser. ``reason`` is user text (escaped)."""
    return reply(
        Heading(f"Blocked: {case_title(case)}"),
        para(mention(who), f" says {label} is blocked: ", reason),
        *((para(*about),) if about else ()),
        summary=f"{case.reference}: {label} is blocked",
    )
