"""Use case: `define <term>`, explained as education, health, social care and the SEND Code use it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from handlers.core import Ask
from handlers.errors import NotFound
from handlers.grammar import commands as c
from handlers.replies import Fields, Heading, Note, Reply, reply

GLOSSARY = Path(__file__).parent / "data" / "glossary.yaml"
PERSPECTIVES = (
    ("education", "Education"),
    ("health", "Health"),
    ("social_care", "Social care"),
    ("send_code", "SEND Code of Practice"),
)


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    aliases: tuple[str, ...]
    meanings: tuple[tuple[str, str], ...]
    source: str
    plain: str = ""  # for families: what it means, without jargon (`update family`)


@cache
def glossary() -> dict[str, Term]:
    """Every term by its name and aliases, from the glossary shipped in the package."""
    raw = yaml.safe_load(GLOSSARY.read_text("utf-8"))
    terms: dict[str, Term] = {}
    for name, entry in raw.items():
        term = Term(
            name=name,
            aliases=tuple(entry.get("aliases", ())),
            meanings=tuple((label, entry[key]) for key, label in PERSPECTIVES),
            source=entry["source"],
            plain=entry.get("plain", ""),
        )
        for key in (name, *term.aliases):
            terms[key.lower()] = term
    return terms


async def define(ask: Ask, cmd: c.Define) -> Reply:
    words = " ".join(cmd.term.lower().split()).strip("?.!")
    terms = glossary()
    term = terms.get(words)
    if term is None:
        close = difflib.get_close_matches(words, list(terms), n=1, cutoff=0.7)
        names = sorted({t.name for t in terms.values()})
        raise NotFound(
            f"The glossary has no entry for `{words}`.",
            hint=(f"Did you mean `define {close[0]}`? " if close else "")
            + "Terms: "
            + ", ".join(names)
            + ".",
        )
    return reply(
        Heading(term.name[:1].upper() + term.name[1:]),
        Fields(tuple((label, (text,)) for label, text in term.meanings)),
        Note((f"Source: {term.source}",)),
        summary=f"Definition of {term.name}",
    )
