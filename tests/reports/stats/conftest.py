"""A county whose matters were received on known days, counted by hand in the tests.

Frozen on 2026-11-20 (local time). The period under test is October 2026; the previous period
is September 2026, the year earlier October 2025.

| matter | received (local)   | channel | type       | category | region           | responsible |
|--------|--------------------|---------|------------|----------|------------------|-------------|
| o1     | 2026-10-05 10:00   | letter  | request    | labour   | village of 永安镇 | dept (fwd)  |
| o2     | 2026-10-10 12:00   | visit   | request    | labour   | 永安镇            | dept (fwd)  |
| o3     | 2026-10-31 23:30   | online  | suggestion | housing  | —                | bureau      |
| o4     | 2026-10-20 12:00   | phone   | accusation | labour   | —                | discipline  |
| o5     | 2026-10-01 00:05   | letter  | request    | —        | 清河县            | dept (own)  |
| s1     | 2026-09-15 12:00   | letter  | request    | labour   | 永安镇            | dept (fwd)  |
| s2     | 2026-09-30 23:59   | letter  | suggestion | housing  | —                | bureau      |
| n1     | 2026-11-01 00:10   | letter  | request    | labour   | —                | bureau      |
| y1     | 2025-10-15 12:00   | letter  | request    | labour   | 永安镇            | dept (fwd)  |
| y2     | 2025-10-03 12:00   | visit   | request    | housing  | —                | bureau      |

o4 accuses 县住建局 (`other`). o3 at 23:30 on 31 October is 15:30 UTC: October. n1 at 00:10
on 1 November is 16:10 UTC on 31 October: November.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from tests.conftest import at, register
from tests.factories import RegionFactory
from xinfang.matters import services
from xinfang.matters.models import Category, Channel, Matter, MatterType
from xinfang.org.models import Level

TODAY = at(2026, 11, 20)


def received(w: SimpleNamespace, when: datetime, to_unit: Any = None, **kwargs: Any) -> Matter:
    """Register (and forward) at the time of receipt, as the office did then."""
    with time_machine.travel(when + timedelta(minutes=1), tick=False):
        m = register(w, received_at=when, **kwargs)
        if to_unit is not None:
            m = services.matter_forward(matter=m, actor=w.registrar, to_unit=to_unit)
    return m


@pytest.fixture
def sworld(world: SimpleNamespace) -> Iterator[SimpleNamespace]:
    w = world
    w.labour = Category.objects.create(name="劳动与社会保障", position=1)
    w.housing = Category.objects.create(name="城乡建设与住房", position=2)
    w.village = RegionFactory(
        code="990102001001", name="和平村", level=Level.VILLAGE, parent=w.township
    )
    req, sug, acc = MatterType.REQUEST, MatterType.SUGGESTION, MatterType.ACCUSATION
    w.o1 = received(w, at(2026, 10, 5, 10), w.dept, category=w.labour, region=w.village, type=req)
    w.o2 = received(
        w,
        at(2026, 10, 10),
        w.dept,
        channel=Channel.VISIT,
        category=w.labour,
        region=w.township,
        type=req,
    )
    w.o3 = received(
        w, at(2026, 10, 31, 23, 30), channel=Channel.ONLINE, category=w.housing, type=sug
    )
    w.o4 = received(
        w,
        at(2026, 10, 20),
        w.discipline,
        channel=Channel.PHONE,
        category=w.labour,
        type=acc,
        title="举报某局长收受红包",
        content="举报县住建局某局长收受红包，举报人不愿公开身份。",
        accused_units=[w.other],
    )
    w.o5 = received(w, at(2026, 10, 1, 0, 5), actor=w.dept_registrar, region=w.county, type=req)
    w.s1 = received(w, at(2026, 9, 15), w.dept, category=w.labour, region=w.township, type=req)
    w.s2 = received(w, at(2026, 9, 30, 23, 59), category=w.housing, type=sug)
    w.n1 = received(w, at(2026, 11, 1, 0, 10), category=w.labour, type=req)
    w.y1 = received(w, at(2025, 10, 15), w.dept, category=w.labour, region=w.township, type=req)
    w.y2 = received(w, at(2025, 10, 3), channel=Channel.VISIT, category=w.housing, type=req)
    with time_machine.travel(TODAY, tick=False):
        yield w
