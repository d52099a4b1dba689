"""Every table TAC Bot keeps; importing this module registers them all on ``Base.metadata``."""

from storage.models.audit import AuditEvent
from storage.models.base import Base, UTCDateTime
from storage.models.calendar import SchoolHoliday
from storage.models.cases import Case, Consent, Membership, Room
from storage.models.concerns import Concern
from storage.models.conversations import ConversationRef
from storage.models.events import SeenEvent
from storage.models.family import FamilyUpdate
from storage.models.forms import FormDraft, FormSubmission, InputRequest, SchoolForm
from storage.models.governance import ErasureRequest, InputShare, PupilDetails
from storage.models.outside import ExternalContact, OutgoingMail
from storage.models.plan import Action, Outcome
from storage.models.policies import SchoolPolicy
from storage.models.priorities import Priority, PriorityOffer
from storage.models.referrals import Referral
from storage.models.reminders import Reminder
from storage.models.reviews import Review, ReviewAnswer, ReviewSlot
from storage.models.room_mismatches import RoomMismatch
from storage.models.services import Service
from storage.models.slack import SlackBot, SlackInstallation, SlackOAuthState
from storage.models.tenancy import Dsl, Person, School, Senco

__all__ = [
    "Action",
    "AuditEvent",
    "Base",
    "Case",
    "Concern",
    "Consent",
    "ConversationRef",
    "Dsl",
    "ErasureRequest",
    "ExternalContact",
    "FamilyUpdate",
    "FormDraft",
    "FormSubmission",
    "InputRequest",
    "InputShare",
    "Membership",
    "Outcome",
    "OutgoingMail",
    "Person",
    "Priority",
    "PriorityOffer",
    "PupilDetails",
    "Referral",
    "Reminder",
    "Review",
    "ReviewAnswer",
    "ReviewSlot",
    "Room",
    "RoomMismatch",
    "School",
    "SchoolForm",
    "SchoolHoliday",
    "SchoolPolicy",
    "SeenEvent",
    "Senco",
    "Service",
    "SlackBot",
    "SlackInstallation",
    "SlackOAuthState",
    "UTCDateTime",
]
