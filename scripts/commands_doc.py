"""Write docs/commands.md, the users' command reference, from the same usage table `help` shows.

Run `python scripts/commands_doc.py` after changing a command's usage; a test fails while the file
and the table disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from handlers.forms.library import builtin_library
from handlers.grammar.usage import USAGES
from handlers.roles import ROLE_LABELS, ROLES, SCHOOL_STAFF

OUT = Path(__file__).resolve().parents[1] / "docs" / "commands.md"

INTRO = """\
# TAC Bot commands

The same words work in Slack, Microsoft Teams and the console:
- **Slack**: after the slash command, `/tac status`.
- **Teams**: a message to TAC Bot in a 1:1 chat (`status`), or an @mention in a channel or group chat
  (`@TAC Bot status`); a leading `tac` is optional.
- **Console** (`make console`): typed after `/tac`, as whoever you are playing (`:as anna`).

Keywords are case-insensitive. In a case's room the case is implied; anywhere else a command that needs
a case takes `case TAC-0007` (or just `TAC-0007`) anywhere in it. In a direct message, `status`, `plan`
and `team` act on your case when you are on exactly one, and offer your cases as buttons when you are
on several. `cases` lists the open cases you are on. `help <command>` in chat shows the same usage and
example as below.

**Naming people.** Mention them as the platform does: in Slack `@Anna` (it arrives as `<@U0123ABC>`), in
Teams an @mention, in the console `@handle`.

**Dates** can be `2026-12-15`, `15/12/2026`, `15/12`, `15 Dec`, or `tomorrow`, `next tuesday`,
`in 3 weeks`. **Times** are `14:30`. **Quoted text** takes straight or curly double quotes.

**Refusals.** A command you may not use, a case you are not on, an unknown person or a bad date gets a
short answer only you can see, saying why and what to do. It changes nothing, and it reveals nothing
about a case you are not on.
"""


def render() -> str:
    lines = [INTRO, "## Commands", ""]
    lines += ["| command | who may use it | what it does |", "|---|---|---|"]
    for u in USAGES:
        lines.append(f"| [`{u.name}`](#{u.name}) | {u.who} | {u.summary} |")
    for u in USAGES:
        lines += [
            "",
            f"### {u.name}",
            "",
            "```",
            u.syntax,
            "```",
            "",
            f"{u.summary[0].upper()}{u.summary[1:]}.",
        ]
        lines += ["", f"Who: {u.who}. Example: `{u.example}`"]
    staff = ", ".join(f"`{r}`" for r in ROLES if r in SCHOOL_STAFF)
    others = ", ".join(f"`{r}`" for r in ROLES if r not in SCHOOL_STAFF)
    lines += [
        "",
        "## Roles",
        "",
        f"School staff, who need no consent: {staff}.",
        "",
        f"Everyone else needs consent whose scope covers their agency: {others}.",
        "",
        "| role | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{r}` | {ROLE_LABELS[r]} |" for r in ROLES]
    lines += [
        "",
        "## Forms",
        "",
        "`request <form> from ...` takes one of these ids (`forms` lists them, with a school's own).",
        "",
    ]
    lines += ["| id | title | for |", "|---|---|---|"]
    lines += [f"| `{f.id}` | {f.title} | {f.for_whom} |" for f in builtin_library().requestable()]
    return "\n".join(lines) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text("utf-8") != text:
            print(f"{OUT} is out of date: run python scripts/commands_doc.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
