"""Must-show 1: every index of the golden fixture (golden.py), computed by hand.

Period 2026-03 (1 March 00:00 to 1 April 00:00, Asia/Ho_Chi_Minh), evaluated on 10 April. All nine
dossiers: procedure P (online level "full", one fee-bearing channel of 50,000 VND with a structured
amount), handled by the subject commune's committee (unit U), received at the world's center.

| | channel | received | due | end | status | flags |
|---|---|---|---|---|---|---|
| A | direct | 03-02 08:00 | 03-09 08:00 | 03-05 08:00 | 10 | digitized, reused, e-result, satisfied |
| B | online | 03-02 09:00 | 03-09 09:00 | 03-10 09:00 | 9 | e-result, from store, VNeID, dissatisfied |
| C | direct | 03-16 | 03-23 | open | 4 | |
| D | direct | 03-16 | 04-20 | open | 4 | 2 supplement requests |
| E | online | 03-20 | – | open | 1 | not accepted yet |
| F | direct | 03-20 | 03-25 | open, paused 03-24 | 5 | 1 supplement request |
| G | direct | 02-10 | 02-17 | 02-16 | 10 | ended before the period |
| H | direct | 02-24 | 03-27 | 03-03 08:00 | 10 | digitized |
| I | direct | 03-05 | 03-12 | 03-06 | 7 | withdrawn |

Received in March: A B C D E F I = 7. Synced (status ≠ 1): all but E = 6.
Progress set (clock started, not withdrawn, not ended before March): A B C D F H = 6.
Late: B (ended 03-10 > due 03-09), C (open, due 03-23 < period end), D (two supplement requests) = 3;
F is paused on 03-24 before its due time 03-25, so not late.
Results in March (ended in period, status 9/10): A B H = 3; with e-result A B = 2; digitized and
e-result: A = 1.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.tests.factories import World
from motcua.reports.index766 import IndexSet
from motcua.reports.periods import period_parse
from motcua.reports.selectors import index766_province
from motcua.reports.tests.golden import build_golden

NOW = datetime(2026, 4, 10, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _by_code(indices: IndexSet) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {i.code: (i.rate, i.score) for g in indices.groups for i in g.indices}


@pytest.mark.django_db
def test_every_index_of_the_golden_fixture(world: World) -> None:
    build_golden(world)
    result = index766_province(world.subject_agency.province_id, period_parse("2026-03"), now=NOW)
    unit = next(u for u in result.units if u.scope == world.subject_code)
    for indices in (result.province, unit, result.procedures[0]):
        got = _by_code(indices)
        # 1.1–1.3: no announcement data → N/A, not counted.
        assert got["1.1"] == got["1.2"] == got["1.3"] == (None, None)
        # 1.4: 6 / 7 = 0.857142… → 0.8571; score 6 × 6/7 = 5.142… → 5.14.
        assert got["1.4"] == (Decimal("0.8571"), Decimal("5.14"))
        # 2.1: (6 − 3) / 6 = 0.5; no threshold: 0.5 × 20 = 10.00.
        assert got["2.1"] == (Decimal("0.5000"), Decimal("10.00"))
        # 3.1: P is "full" → 1 / 1 = 1 ≥ 80 % → max 6.
        assert got["3.1"] == (Decimal("1.0000"), Decimal("6"))
        # 3.3: online received B, E = 2; × sync rate 6/7 → 1.714…; / 7 = 0.244897… → 0.2449;
        # below 50 %: 0.2449 × 6 / 0.5 = 2.9388 → 2.94.
        assert got["3.3"] == (Decimal("0.2449"), Decimal("2.94"))
        # 4.1: 2 / 3 = 0.6667; × 6 = 4.0002 → 4.00.
        assert got["4.1"] == (Decimal("0.6667"), Decimal("4.00"))
        # 4.2: 1 / 3 = 0.3333; below 80 %: 0.3333 × 4 / 0.8 = 1.6665 → 1.67 (half up).
        assert got["4.2"] == (Decimal("0.3333"), Decimal("1.67"))
        # 4.x: no certified copies → N/A.
        assert got["4.x"] == (None, None)
        # 4.3: reused A = 1 / 7 = 0.1429; below 80 %: 0.1429 × 2 / 0.8 = 0.357… → 0.36.
        assert got["4.3"] == (Decimal("0.1429"), Decimal("0.36"))
        # 4.4: from store B = 1 / 7 = 0.1429; × 4 = 0.5716 → 0.57.
        assert got["4.4"] == (Decimal("0.1429"), Decimal("0.57"))
        # 4.5a: procedures with a VNeID dossier {P} / procedures received {P} = 1 → 2.00.
        assert got["4.5a"] == (Decimal("1.0000"), Decimal("2.00"))
        # 4.5b: VNeID B = 1 / 7 = 0.1429; × 2 = 0.2858 → 0.29.
        assert got["4.5b"] == (Decimal("0.1429"), Decimal("0.29"))
        # 5a: fee-bearing P has a structured amount: 1 / 1 ≥ 80 % → max 2. 5b, 5c: no payments → N/A.
        assert got["5a"] == (Decimal("1.0000"), Decimal("2"))
        assert got["5b"] == got["5c"] == (None, None)
        # 6a, 6b: no PAKN → N/A. 6c: (6 − 3 late − 1 dissatisfied B) / 6 = 0.3333; below 90 %:
        # 0.3333 × 6 / 0.9 = 2.222 → 2.22.
        assert got["6a"] == got["6b"] == (None, None)
        assert got["6c"] == (Decimal("0.3333"), Decimal("2.22"))
        # 2.2 (information only): A Mon 2 → Thu 5 March 08:00 = 3 working days; B Mon 2 → Tue 10 March
        # 09:00 = 6; H Tue 24 Feb → Tue 3 March 08:00 = 5 (no holiday between) → (3 + 6 + 5) / 3 = 4.67.
        average = next(i for g in indices.groups for i in g.indices if i.code == "2.2")
        assert average.value == 4.67
        assert average.score is None
        # Groups: 1: 5.14 of 6 counted · 2: 10 of 20 · 3: 6 + 2.94 = 8.94 of 12 ·
        # 4: 4.00 + 1.67 + 0.36 + 0.57 + 2.00 + 0.29 = 8.89 of 20 · 5: 2 of 2 · 6: 2.22 of 6.
        assert [(g.score, g.max_counted) for g in indices.groups] == [
            (Decimal("5.14"), Decimal(6)), (Decimal("10.00"), Decimal(20)), (Decimal("8.94"), Decimal(12)),
            (Decimal("8.89"), Decimal(20)), (Decimal("2"), Decimal(2)), (Decimal("2.22"), Decimal(6)),
        ]  # fmt: skip
        # Total 37.19 of the 66 points our data can feed (of 100).
        assert (indices.score, indices.max_counted) == (Decimal("37.19"), Decimal(66))
        assert indices.excluded == ["1.1", "1.2", "1.3", "4.x", "5b", "5c", "6a", "6b"]
    # The other commune handled nothing: every index N/A, total 0 of 0.
    other = next(u for u in result.units if u.scope == world.other_agency.unit_id)
    assert (other.score, other.max_counted) == (Decimal(0), Decimal(0))
