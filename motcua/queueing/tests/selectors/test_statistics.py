"""Must-show 4: statistics against a fixture computed by hand.

Day 2 March 2026, center with services A and B, counters 1 and 2 (officers u1, u2), local times:

| ticket | service | issued | first call | start | end   | status  | counter | wait  | service |
|--------|---------|--------|------------|-------|-------|---------|---------|-------|---------|
| A001   | A       | 08:00  | 08:10      | 08:11 | 08:21 | done    | 1 (u1)  | 600   | 600     |
| A002   | A       | 08:05  | 08:25      | 08:26 | 08:46 | done    | 1 (u1)  | 1200  | 1200    |
| B001   | B       | 08:30  | 08:40      |       |       | no_show | 2 (u2)  | 600   |         |
| B002   | B       | 09:15  |            |       |       | waiting |         |       |         |
| A003   | A       | 09:20  | 09:50      | 09:50 | 10:20 | done    | 2 (u2)  | 1800  | 1800    |

Totals: 5 issued, 4 called, 3 served, 1 no-show; mean wait (600+1200+600+1800)/4 = 1050 s, longest
1800 s; mean service (600+1200+1800)/3 = 1200 s. Peak hours: 8h (3 tickets), then 9h (2).
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from motcua.core.errors import PermissionDenied
from motcua.org.models import Counter, StaffUser
from motcua.org.tests.factories import StaffUserFactory
from motcua.queueing.exports import statistics_xlsx
from motcua.queueing.models import QueueService, TicketStatus
from motcua.queueing.selectors.statistics import Figures, queue_statistics
from motcua.queueing.tests.conftest import Hall, build_hall
from motcua.queueing.tests.factories import TicketFactory

DAY = date(2026, 3, 2)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(clock: str | None) -> datetime | None:
    if clock is None:
        return None
    hour, minute = map(int, clock.split(":"))
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=ZONE)


def ticket(
    service: QueueService,
    number: int,
    issued: str,
    called: str | None,
    start: str | None,
    end: str | None,
    status: TicketStatus,
    counter: Counter | None,
    officer: StaffUser | None,
) -> None:
    TicketFactory.create(
        service=service,
        number=number,
        issued_at=at(issued),
        called_at=at(called),
        first_called_at=at(called),
        started_at=at(start),
        ended_at=at(end),
        status=status,
        counter=counter,
        officer=officer,
    )


@pytest.fixture
def fixture_hall(db: None) -> tuple[Hall, StaffUser]:
    hall = build_hall(counters=2)
    u1 = StaffUserFactory.create(username="u1", center=hall.center)
    u2 = StaffUserFactory.create(username="u2", center=hall.center)
    a, b = hall.services["A"], hall.services["B"]
    c1, c2 = hall.counters
    ticket(a, 1, "08:00", "08:10", "08:11", "08:21", TicketStatus.DONE, c1, u1)
    ticket(a, 2, "08:05", "08:25", "08:26", "08:46", TicketStatus.DONE, c1, u1)
    ticket(b, 1, "08:30", "08:40", None, None, TicketStatus.NO_SHOW, c2, u2)
    ticket(b, 2, "09:15", None, None, None, TicketStatus.WAITING, None, None)
    ticket(a, 3, "09:20", "09:50", "09:50", "10:20", TicketStatus.DONE, c2, u2)
    # Another day: outside the period asked for.
    TicketFactory.create(service=a, number=9, issued_at=datetime(2026, 3, 3, 8, 0, tzinfo=ZONE))
    admin = StaffUserFactory.create(center_admin=True, center=hall.center)
    return hall, admin


def test_statistics_match_the_hand_computed_fixture(fixture_hall: tuple[Hall, StaffUser]) -> None:
    hall, admin = fixture_hall

    stats = queue_statistics(center_code=hall.center.code, start=DAY, end=DAY, actor=admin)

    assert stats.total == Figures(
        issued=5, called=4, served=3, no_show=1, avg_wait_s=1050, max_wait_s=1800, avg_service_s=1200
    )
    assert dict(stats.by_service) == {
        "A – Hộ tịch – Chứng thực": Figures(3, 3, 3, 0, 1200, 1800, 1200),
        "B – Đất đai": Figures(2, 1, 0, 1, 600, 600, None),
    }
    assert dict(stats.by_counter) == {
        "1": Figures(2, 2, 2, 0, 900, 1200, 900),
        "2": Figures(2, 2, 1, 1, 1200, 1800, 1800),
    }
    assert dict(stats.by_officer) == {"u1": dict(stats.by_counter)["1"], "u2": dict(stats.by_counter)["2"]}
    assert [(hour, figures.issued) for hour, figures in stats.by_hour] == [(8, 3), (9, 2)]
    assert stats.peak_hours == [8, 9]
    assert stats.total.avg_wait_min == 17.5


def test_statistics_export_to_xlsx(fixture_hall: tuple[Hall, StaffUser]) -> None:
    hall, admin = fixture_hall
    stats = queue_statistics(center_code=hall.center.code, start=DAY, end=DAY, actor=admin)

    book = load_workbook(BytesIO(statistics_xlsx(stats)))

    assert book.sheetnames == ["Tổng hợp", "Theo dịch vụ", "Theo quầy", "Theo cán bộ", "Theo giờ"]
    summary = [row for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0] == "Tất cả"]
    assert summary == [("Tất cả", 5, 4, 3, 1, 17.5, 30.0, 20.0)]
    assert [row[:2] for row in book["Theo giờ"].iter_rows(min_row=2, values_only=True)] == [("08:00", 3), ("09:00", 2)]


@pytest.mark.django_db
def test_only_the_centers_staff_and_the_provinces_supervisors_read_statistics() -> None:
    hall = build_hall(counters=1)
    stranger = StaffUserFactory.create(center_admin=True)
    supervisor = StaffUserFactory.create(supervisor=True, province=hall.center.province)

    assert queue_statistics(center_code=hall.center.code, start=DAY, end=DAY, actor=supervisor).total.issued == 0
    with pytest.raises(PermissionDenied):
        queue_statistics(center_code=hall.center.code, start=DAY, end=DAY, actor=stranger)
