"""Satisfaction rating (đánh giá mức độ hài lòng) at the counter, after service."""

from __future__ import annotations

from motcua.org.models import Counter, StaffUser
from motcua.queueing.errors import RatingNotAllowed, UnknownCounter
from motcua.queueing.models import Rating, RatingScore, Ticket, TicketStatus
from motcua.queueing.permissions import check_counter
from motcua.queueing.transactions import queue_transaction


@queue_transaction
def rating_submit(
    *, counter_id: int, ticket_id: int, score: RatingScore, comment: str = "", actor: StaffUser | None
) -> Rating:
    """One rating per served ticket, tied to the officer who served it and the first dossier received.

    `actor` is the account the counter's tablet is signed in with.
    """
    counter = Counter.objects.select_related("center").filter(pk=counter_id).first()
    if counter is None:
        raise UnknownCounter(counter=counter_id)
    check_counter(actor, counter)
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id, counter=counter).first()
    if ticket is None or ticket.status != TicketStatus.DONE or Rating.objects.filter(ticket=ticket).exists():
        raise RatingNotAllowed(ticket=ticket_id)
    first_dossier = ticket.dossiers.order_by("id").values_list("dossier_code", flat=True).first()
    return Rating.objects.create(
        ticket=ticket,
        counter=counter,
        officer=ticket.officer,
        dossier_code=first_dossier or "",
        score=score,
        comment=comment.strip()[:1000],
    )
