"""The simulated school the console and the demo run in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SimPerson:
    handle: str
    name: str
    job: str


PEOPLE: tuple[SimPerson, ...] = (
    SimPerson("sam", "Sam Okafor", "SENCO"),
    SimPerson("tom", "Tom Reid", "class teacher"),
    SimPerson("lee", "Lee Chan", "teaching assistant"),
    SimPerson("anna", "Dr Anna Novak", "educational psychologist"),
    SimPerson("priya", "Priya Shah", "speech and language therapist"),
    SimPerson("ravi", "Dr Ravi Kumar", "paediatrician"),
    SimPerson("dan", "Dan Hughes", "social worker"),
    SimPerson("jo", "Jo Taylor", "parent"),
    SimPerson("dee", "Dee Morgan", "deputy head, Designated Safeguarding Lead"),
)
BY_HANDLE = {p.handle: p for p in PEOPLE}
SCHOOL = "console"
SENCO = "sam"
DSL = "dee"
