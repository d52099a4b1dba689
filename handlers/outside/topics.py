"""What an e-mail to a member outside the workspace is about: the kind of thing only, never its text."""

from __future__ import annotations

from enum import StrEnum


class Topic(StrEnum):
    ADDED = "added"  # you are on the team (the first e-mail, with the link)
    FORM = "form"  # a form is asked of you
    FORM_DUE = "form_due"  # a form asked of you is due soon
    FORM_OVERDUE = "form_overdue"  # a form asked of you is overdue
    ACTION_DUE = "action_due"  # an action of yours is due
    ACTION_OVERDUE = "action_overdue"  # an action of yours is overdue
    MEETING = "meeting"  # you are invited to a meeting (.ics attached)
    MEETING_CANCELLED = "meeting_cancelled"  # a meeting is cancelled (.ics CANCEL attached; no link)
    MEETING_SOON = "meeting_soon"  # a meeting you are invited to is coming up
    POLL = "poll"  # choose the dates you can make
    ACTIONS = "actions"  # your actions after a review
    UPDATE = "update"  # a progress update for the family
    NEWS = "news"  # something else for you on the case
