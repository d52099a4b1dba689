"""The e-mails themselves, written when they are sent, from current data.

An e-mail leaves the school's platform: it names the case by its reference only and says what kind of
thing is asked (a form, an action due or overdue, a meeting). Never the alias, a name of the child, or
any text typed about them: the details are on the portal page behind the personal link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr

from jinja2 import Environment, PackageLoader, select_autoescape

from handlers.outside.config import Outside
from handlers.outside.topics import Topic

_SUBJECTS: dict[Topic, str] = {
    Topic.ADDED: "you are on the team around a child",
    Topic.FORM: "a form is asked of you",
    Topic.FORM_DUE: "a form asked of you is due soon",
    Topic.FORM_OVERDUE: "a form asked of you is overdue",
    Topic.ACTION_DUE: "an action of yours is due",
    Topic.ACTION_OVERDUE: "an action of yours is overdue",
    Topic.MEETING: "a review meeting",
    Topic.MEETING_CANCELLED: "the review meeting is cancelled",
    Topic.MEETING_SOON: "a review meeting is coming up",
    Topic.POLL: "which dates can you make?",
    Topic.ACTIONS: "your actions after the review",
    Topic.UPDATE: "an update for the family",
    Topic.NEWS: "something new for you",
}

_LINES: dict[Topic, str] = {
    Topic.ADDED: "You have been added to the team around a child, {ref}. Your page shows what you are "
    "asked for, your actions and the next meeting.",
    Topic.FORM: "You are asked to fill in a form for {ref}{due}.",
    Topic.FORM_DUE: "A form you were asked to fill in for {ref} is due{due}.",
    Topic.FORM_OVERDUE: "A form you were asked to fill in for {ref} is overdue{due}.",
    Topic.ACTION_DUE: "An action of yours on {ref} is due{due}.",
    Topic.ACTION_OVERDUE: "An action of yours on {ref} is overdue{due}.",
    Topic.MEETING: "There is news about the review meeting for {ref}. The calendar invitation is "
    "attached; the place and the details are on your page.",
    Topic.MEETING_CANCELLED: "The review meeting for {ref} is cancelled. The attached calendar file takes "
    "it out of your calendar.",
    Topic.MEETING_SOON: "The review meeting for {ref} is coming up{due}. The details are on your page.",
    Topic.POLL: "Please choose the dates you can make for the review meeting of {ref}.",
    Topic.ACTIONS: "The review of {ref} has been recorded. Your actions are on your page.",
    Topic.UPDATE: "There is an update for you about {ref}. Read it on your page.",
    Topic.NEWS: "There is something new for you on {ref}.",
}

# The three answers a chaser offers, as links (each opens a page that asks before it acts).
ANSWERS = (("done", "Done"), ("later", "Need more time"), ("blocked", "Blocked"))
_CHASED = {
    Topic.ACTION_DUE: "action",
    Topic.ACTION_OVERDUE: "action",
    Topic.FORM_DUE: "input_request",
    Topic.FORM_OVERDUE: "input_request",
}

_env = Environment(
    loader=PackageLoader("handlers.outside", "mail_templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class Letter:
    outbox_id: int  # the ``mail_outbox`` row: the X-TACBot-Mail header and the Message-ID carry it
    queued_at: datetime
    to: str
    reference: str
    topic: Topic
    greeting_name: str
    link: str
    answers: tuple[tuple[str, str], ...]  # (label, link)
    due: date | None
    calendar: bytes | None


def letter(
    outside: Outside,
    *,
    outbox_id: int,
    queued_at: datetime,
    to: str,
    name: str,
    reference: str,
    topic: Topic,
    person_id: int,
    case_id: int,
    due: date | None,
    subject_id: int | None,
    calendar: bytes | None,
) -> Letter:
    # A form's e-mails open the form itself (its page names the case and links back to theirs).
    opens_form = topic in (Topic.FORM, Topic.FORM_DUE, Topic.FORM_OVERDUE) and subject_id is not None
    link = outside.link(
        person_id=person_id, case_id=case_id, path=f"/form/{subject_id}" if opens_form else ""
    )
    if topic is Topic.MEETING_CANCELLED:
        link = ""  # sent as the case closes, perhaps: a link would open nothing
    answers: tuple[tuple[str, str], ...] = ()
    chased = _CHASED.get(topic)
    if chased is not None and subject_id is not None:
        answers = tuple(
            (
                label,
                outside.link(person_id=person_id, case_id=case_id, path=f"/chaser/{chased}/{subject_id}/{a}"),
            )
            for a, label in ANSWERS
        )
    return Letter(outbox_id, queued_at, to, reference, topic, name, link, answers, due, calendar)


def subject(topic: Topic, reference: str) -> str:
    return f"{reference}: {_SUBJECTS[topic]}"


def message(outside: Outside, item: Letter) -> EmailMessage:
    """The e-mail: a plain-text part and an HTML part (and the meeting's .ics)."""
    due = f" (by {item.due:%A %d %B %Y})" if item.due is not None else ""
    line = _LINES[item.topic].format(ref=item.reference, due=due)
    values = {
        "name": item.greeting_name,
        "line": line,
        "link": item.link,
        "link_label": "The form" if "/form/" in item.link else "Your page",
        "answers": item.answers,
        "days": outside.links.lifetime.days,
        "reference": item.reference,
    }
    msg = EmailMessage()
    msg["Subject"] = subject(item.topic, item.reference)
    msg["From"] = outside.mail_from
    msg["To"] = formataddr(("", item.to))
    # One Message-ID per queued e-mail, the same on every try: should a crash send it twice, mail
    # programs that drop repeated Message-IDs show it once. Row number and queue instant: nothing personal.
    msg["Message-ID"] = f"<tacbot.mail.{item.outbox_id}.{int(item.queued_at.timestamp())}@tacbot>"
    msg["X-TACBot-Mail"] = str(item.outbox_id)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_env.get_template("letter.txt").render(values))
    msg.add_alternative(_env.get_template("letter.html").render(values), subtype="html")
    if item.calendar is not None:
        msg.add_attachment(
            item.calendar,
            maintype="text",
            subtype="calendar",
            filename=f"{item.reference.lower()}-review.ics",
        )
    return msg
