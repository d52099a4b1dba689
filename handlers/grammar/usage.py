"""Usage lines, examples and who may use each command: the text behind `help` and usage errors."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.roles import CHAMPION


@dataclass(frozen=True, slots=True)
class Usage:
    name: str
    syntax: str
    summary: str
    example: str
    who: str


_U = Usage
USAGES: tuple[Usage, ...] = (
    _U("help", "help [command]", "usage, with examples", "help invite", "anyone"),
    _U(
        "open",
        "open <alias> [year <group>] [route <sen-support|ehc-assessment|annual-review|early-help>]",
        "open a case with a private room; you become its key worker",
        "open Robin year 4 route sen-support",
        "SENCO",
    ),
    _U(
        "alias",
        "alias <new alias>",
        "rename the case's alias (never the pupil's full name: one that looks like it is asked about first)",
        "alias Robin T",
        "key worker",
    ),
    _U(
        "consent",
        'consent given|withdrawn by "<name>" [relationship <parent|carer|pupil|other>] '
        "[scope <all|education|health|social-care>]",
        "record consent, or its withdrawal (default scope all)",
        'consent given by "Sam Taylor" relationship parent scope all',
        "key worker",
    ),
    _U(
        "invite",
        'invite <@person> <role> [agency "<name>"] [champion] '
        '| invite external "<name>" <email> <role> [agency "<name>"] [champion]',
        "add someone to the team and the case room; again with another role (or `champion`) changes it. "
        "Someone outside the workspace is invited by e-mail: they answer on a personal web page, and "
        'are named in commands by their quoted name (`remove "Dr Ann Vale"`). ' + CHAMPION,
        'invite @anna educational-psychologist agency "County EP Service"',
        "key worker",
    ),
    _U(
        "remove",
        "remove <@person>",
        "take someone off the team and out of the room",
        "remove @anna",
        "key worker",
    ),
    _U(
        "team",
        "team",
        "the roster: roles, agencies, champion, who is awaiting what. " + CHAMPION,
        "team",
        "member",
    ),
    _U("forms", "forms", "the input forms that can be requested", "forms", "member"),
    _U(
        "request",
        "request <form> from <@person>|team [due <date>]",
        "send someone (or the whole team) an input form, and chase it",
        "request ep-advice from @anna due 15/12",
        "key worker",
    ),
    _U(
        "inputs",
        "inputs | input <n>",
        "the submitted inputs; one in full with its versions (also its author)",
        "input 1",
        "key worker",
    ),
    _U(
        "share",
        'share input <n> [reason "<why>"]',
        "post an input's answers to the case room (the room otherwise sees only that it came in)",
        'share input 2 reason "for the review meeting"',
        "key worker",
    ),
    _U(
        "pupil",
        "pupil details",
        "a private form for the pupil's full name, date of birth and UPN (stored encrypted)",
        "pupil details",
        "key worker",
    ),
    _U(
        "audit",
        "audit [page <n>]",
        "the case's audit trail, newest first: who did or read what, when and why",
        "audit page 2",
        "key worker; the DSL and SENCO for their school's cases",
    ),
    _U(
        "outcome",
        'outcome add "<text>" [measure "<how we will know>"] | outcome measure <n> "<how we will know>" '
        '| outcome edit <n> "<text>" | outcome remove <n>',
        "add an outcome for the child to the plan, and how the team will know it is working; "
        "correct its words or take it off (its actions stay)",
        'outcome add "Robin reads a short book aloud to an adult each week"',
        "key worker",
    ),
    _U(
        "action",
        'action add "<what>" owner <@person> due <date> [where "<place>"] [often <how often>] '
        "[cost <amount>] [outcome <n>] | action done <n> | action due <n> <date> "
        '| action edit <n> [what "<text>"] [owner <@person>] [due <date>] [where "<place>"] [often ...] '
        "[cost ...] [outcome <n>] | action remove <n>",
        "add an action to the plan, mark it done, move its due date, correct any part of it, "
        "or take it off (its reminders follow)",
        'action add "Phonics group" owner @tom due in 3 weeks where "Library" often "3x weekly" '
        'cost "30 min" outcome 1',
        "key worker (done/due: also the action's owner)",
    ),
    _U(
        "review",
        'review [on <date> [at <time>] [where "<place>"]] | review poll [<date> <time>, ...] '
        "| review pick <n> | review cancel | review record (opens a form) "
        '| review record [attendees <@person>...] decided "<text>" '
        '[changes "<text>"] [next <date> [at <time>]]',
        "schedule review meetings (invitations as .ics), poll the team for a date, record the meeting; "
        "a day the school is shut is asked about first (add `confirm` to go ahead)",
        'review on 15/12 at 14:30 where "Meeting room 2"',
        "key worker",
    ),
    _U(
        "purpose",
        'purpose ["<text>"]',
        "the team's agreed purpose: the room's topic and the first line of status and plan",
        'purpose "Robin enjoys school and reads with confidence by the summer"',
        "key worker (set) / member",
    ),
    _U("plan", "plan | plan export", "the joint agency plan; export it as Word and PDF", "plan", "member"),
    _U("status", "status", "the case at a glance", "status case TAC-0007", "member"),
    _U("cases", "cases", "the open cases you are on", "cases", "anyone"),
    _U("define", "define <term>", "a term as each profession uses it", "define provision", "anyone"),
    _U(
        "priority",
        'priority add "<text>" | priority ask <@person> | priorities',
        "the school's SEN development priorities, and what specialists offer towards them",
        'priority add "Speech and language support in Reception"',
        "SENCO (add, ask) / anyone",
    ),
    _U(
        "refer",
        'refer <service> [reason "<text>"] | referral <n> sent|accepted|declined|waiting [<weeks> weeks]'
        '|seen|closed [note "<text>"] | referrals',
        "refer the child to a service (consent must cover it), move the referral on, list referrals",
        'refer salt reason "Unclear speech in class"',
        "key worker (referrals: member)",
    ),
    _U(
        "update",
        "update family | update family send",
        "a plain-language update of progress for the parents and carers on the team: edit it, then send it",
        "update family",
        "key worker",
    ),
    _U(
        "concern",
        "concern | concerns | concern <n>",
        "a safeguarding concern, in a private form that goes only to the Designated Safeguarding Leads; "
        "they list and read them",
        "concern",
        "anyone (concerns, concern <n>: a DSL)",
    ),
    _U(
        "services",
        "services | service <id or name>",
        "the school's service directory: remit, eligibility, how to refer, wait, cost, what else it offers",
        "service eps",
        "anyone",
    ),
    _U(
        "close",
        'close [reason "<text>"] [confirm]',
        "close the case and archive its room (with work still open it lists it and asks you to confirm)",
        'close reason "Moved to secondary school"',
        "key worker",
    ),
    _U(
        "reopen",
        "reopen",
        "reopen a case closed in the last 30 days: its room and team come back, open actions are chased",
        "reopen case TAC-0007",
        "key worker",
    ),
    _U(
        "handover",
        "handover <@person>",
        "make another member of the school's staff the key worker: the room, chasers, escalations "
        "and the digest follow",
        "handover @tom",
        "key worker or SENCO",
    ),
)

BY_NAME: dict[str, Usage] = {u.name: u for u in USAGES}
ALIASES = {
    "referral": "refer",
    "referrals": "refer",
    "concerns": "concern",
    "service": "services",
    "input": "inputs",
    "priorities": "priority",
    "consents": "consent",
    "actions": "action",
}


def usage_for(name: str) -> Usage | None:
    return BY_NAME.get(ALIASES.get(name, name))
