"""Every table TAC Bot keeps; importing this module registers them all on ``Base.metadata``."""

from storage.models.audit import AuditEvent
from storage.models.base import Base, UTCDateTime
from storage.models.cases import Case, Consent, Membership, Room
from storage.models.conversations import ConversationRef
from storage.models.plan import Action, Outcome
from storage.models.tenancy import Person, School, Senco

__all__ = [
    "Action",
    "AuditEvent",
    "Base",
    "Case",
    "Consent",
    "ConversationRef",
    "Membership",
    "Outcome",
    "Person",
    "Room",
    "School",
    "Senco",
    "UTCDateTime",
]
