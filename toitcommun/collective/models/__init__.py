"""Collective life: groups and mandates, meetings and minutes (governance), activities and projects."""

from .activities import (
    Activity,
    ActivityAttendee,
    ActivityKind,
    ActivityPhoto,
    ActivityState,
    ParticipationTally,
)
from .feeds import CalendarToken
from .groups import (
    OFFICER_ROLES,
    RECOMMENDING_KINDS,
    SINGLE_SEAT_ROLES,
    Group,
    GroupKind,
    HolderKind,
    Mandate,
    MandateRole,
    QuorumRule,
)
from .meetings import (
    OPEN_FOLLOW_UP,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Audience,
    Decision,
    DecisionMethod,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
    Presence,
    Recommendation,
    RecommendationAnswer,
    RecommendationState,
)
from .plans import OPEN_ACTION, ActionPlan, ActionStatus, PlanAction, PlanObjective, ProgressNote
from .projects import (
    AgreementObjective,
    CollectiveProject,
    ProjectMilestone,
    ProjectPartner,
    ProjectStatus,
)

__all__ = [
    "OFFICER_ROLES", "OPEN_FOLLOW_UP", "RECOMMENDING_KINDS", "SINGLE_SEAT_ROLES",
    "AgendaItem", "AgendaItemKind", "Attendance", "Audience", "Decision", "DecisionMethod", "FollowUp",
    "FollowUpEvent", "FollowUpStatus", "Group", "GroupKind", "HolderKind", "Mandate", "MandateRole",
    "Meeting", "MeetingKind", "MeetingState", "Minutes", "MinutesState", "Presence", "QuorumRule",
    "Recommendation", "RecommendationAnswer", "RecommendationState",
    "CalendarToken", "Activity", "ActivityAttendee", "ActivityKind", "ActivityPhoto", "ActivityState", "ParticipationTally",
    "OPEN_ACTION", "ActionPlan", "ActionStatus", "PlanAction", "PlanObjective", "ProgressNote",
    "AgreementObjective", "CollectiveProject", "ProjectMilestone", "ProjectPartner", "ProjectStatus",
]
