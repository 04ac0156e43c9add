"""Queue models: setup (services, work profiles, priority groups), tickets and counters, appointments."""

from motcua.queueing.models.appointments import Appointment, AppointmentSlot
from motcua.queueing.models.setup import (
    APPOINTMENT_PRIORITY,
    ORDINARY_PRIORITY,
    DailySequence,
    PriorityGroup,
    QueueService,
    WorkProfileEntry,
)
from motcua.queueing.models.tickets import (
    AT_COUNTER,
    CounterState,
    Rating,
    RatingScore,
    Ticket,
    TicketDossier,
    TicketSource,
    TicketStatus,
    ticket_columns,
    ticket_returning,
)

__all__ = [
    "APPOINTMENT_PRIORITY",
    "AT_COUNTER",
    "ORDINARY_PRIORITY",
    "Appointment",
    "AppointmentSlot",
    "CounterState",
    "DailySequence",
    "PriorityGroup",
    "QueueService",
    "Rating",
    "RatingScore",
    "Ticket",
    "TicketDossier",
    "TicketSource",
    "TicketStatus",
    "WorkProfileEntry",
    "ticket_columns",
    "ticket_returning",
]
