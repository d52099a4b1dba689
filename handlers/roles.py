"""Roles on a team, and the consent gate: which consent scope each role needs."""

from __future__ import annotations

from collections.abc import Iterable

ROLES: tuple[str, ...] = (
    "senco",
    "key-worker",
    "class-teacher",
    "teaching-assistant",
    "educational-psychologist",
    "speech-and-language-therapist",
    "occupational-therapist",
    "physiotherapist",
    "paediatrician",
    "school-nurse",
    "camhs",
    "social-worker",
    "early-help-worker",
    "specialist-teacher",
    "parent-carer",
    "other",
)
SCHOOL_STAFF = frozenset({"senco", "key-worker", "class-teacher", "teaching-assistant"})
AGENCIES = ("education", "health", "social-care")

# The consent scope (agency) each outside role's work falls under. ``parent-carer`` needs only that some
# consent is in force; ``other`` has no agency we can infer, so it needs consent covering all three.
ROLE_SCOPE: dict[str, str] = {
    "educational-psychologist": "education",
    "specialist-teacher": "education",
    "speech-and-language-therapist": "health",
    "occupational-therapist": "health",
    "physiotherapist": "health",
    "paediatrician": "health",
    "school-nurse": "health",
    "camhs": "health",
    "social-worker": "social-care",
    "early-help-worker": "social-care",
}

# The agency a member works for when the key worker named none: its service in words, not the role.
ROLE_AGENCY: dict[str, str] = {
    "educational-psychologist": "Educational psychology service",
    "specialist-teacher": "Specialist teaching service",
    "speech-and-language-therapist": "Speech and language therapy",
    "occupational-therapist": "Occupational therapy",
    "physiotherapist": "Physiotherapy",
    "paediatrician": "Community paediatrics",
    "school-nurse": "School nursing",
    "camhs": "CAMHS",
    "social-worker": "Children's social care",
    "early-help-worker": "Early help",
}

SCOPE_WORDS: dict[str, str] = {
    "all": "all agencies (education, health, social care)",
    "education": "education",
    "health": "health",
    "social-care": "social care",
}

ROLE_LABELS: dict[str, str] = {r: r.replace("-", " ").capitalize() for r in ROLES}
ROLE_LABELS.update(
    {"senco": "SENCO", "camhs": "CAMHS", "parent-carer": "Parent or carer", "key-worker": "Key worker"}
)


def scopes_of(scope: str) -> frozenset[str]:
    return frozenset(AGENCIES) if scope == "all" else frozenset({scope})


def effective_scopes(events: Iterable[tuple[bool, str]]) -> frozenset[str]:
    """Consent in force after a history of (given?, scope) events, oldest first."""
    current: set[str] = set()
    for given, scope in events:
        if given:
            current |= scopes_of(scope)
        else:
            current -= scopes_of(scope)
    return frozenset(current)


def needs_consent(role: str) -> bool:
    return role not in SCHOOL_STAFF


def consent_covers(role: str, in_force: frozenset[str]) -> bool:
    """Whether consent in force lets a person in ``role`` join the team."""
    if not needs_consent(role):
        return True
    if role == "parent-carer":
        return bool(in_force)
    needed = ROLE_SCOPE.get(role)
    if needed is None:
        return in_force >= frozenset(AGENCIES)
    return needed in in_force


def scope_needed(role: str) -> str:
    if role == "parent-carer":
        return "any"
    return ROLE_SCOPE.get(role, "all")


CHAMPION = (
    "The champion is the one adult on the team the pupil trusts and goes to: they make sure the pupil's "
    "own views are heard. A case has one; naming another moves it."
)
