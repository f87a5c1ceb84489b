from __future__ import annotations

import importlib.util
import random
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import find_drift
from xinfang.demo import data
from xinfang.demo.plans import Planner
from xinfang.matters.identity import validate_id_number
from xinfang.matters.models import (
    OPEN_STATES,
    Category,
    Evaluation,
    Event,
    Matter,
    MatterType,
    Petitioner,
)
from xinfang.org.models import Membership, Region, Role, Unit
from xinfang.reports.models import Document, DocumentKind

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "seed_and_measure.py"


def run_demo(**options: Any) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Region,
            Unit,
            get_user_model(),
            Membership,
            Category,
            Matter,
            Event,
            Petitioner,
            Evaluation,
            Document,
        )
    }


@pytest.fixture
def dev(settings: Any) -> None:
    settings.DEV = True


@pytest.mark.django_db
def test_demo_builds_the_county_with_a_user_for_every_role(dev: None) -> None:
    output = run_demo(matters=60)

    assert Region.objects.get(code="990102").name == "清河县"
    assert Region.objects.filter(level="township", code__startswith="990102").count() == 5
    assert Region.objects.filter(level="village").count() >= 15
    bureau = Unit.objects.get(name="清河县信访局")
    assert (bureau.kind, bureau.short_name) == (Unit.Kind.PETITION_OFFICE, "清信")
    gov = Unit.objects.get(name="清河县人民政府")
    assert gov.parent == Unit.objects.get(name="江州市人民政府")
    assert Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, parent=gov).count() >= 15
    assert Unit.objects.get(name="县纪委监委").kind == Unit.Kind.DISCIPLINE
    assert Unit.objects.get(name="县法院").kind == Unit.Kind.JUDICIAL
    assert Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, parent=gov).count() == 5
    assert Category.objects.count() == 18

    held = set(Membership.objects.values_list("role", flat=True))
    assert held >= set(Role.values)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert get_user_model().objects.get(username="registrar").check_password(data.DEMO_PASSWORD)
    for username in (
        "registrar",
        "director",
        "handler",
        "gov_lead",
        "city_lead",
        "town_lead",
        "inspector",
        data.DEMO_PASSWORD,
        "http://127.0.0.1:8000",
    ):
        assert username in output


@pytest.mark.django_db
def test_demo_matters_cover_the_lifecycle_and_are_consistent(dev: None) -> None:
    run_demo(matters=60)

    matters = Matter.objects.all()
    assert matters.count() == 60
    states = set(matters.values_list("state", flat=True))
    assert len(states) >= 10, states
    today = timezone.localdate()
    assert matters.filter(state__in=OPEN_STATES, due_date__lt=today).exists()  # some overdue
    assert matters.filter(simplified=True).exists()
    assert matters.filter(extension_days__gt=0).exists()
    assert matters.filter(is_collective=True, petitioners__is_representative=True).exists()
    assert matters.filter(type=MatterType.ACCUSATION, accused_units__isnull=False).exists()
    assert Evaluation.objects.exists()
    # Online submissions come in through the portal's path: no registrar, classified later.
    online = matters.filter(channel="online", office__name="清河县信访局")
    assert online.exists()
    assert not Event.objects.filter(matter__in=online, kind="registered").exclude(actor=None)
    routed = online.exclude(state="registered")
    assert routed.exists()
    assert all(m.category_id and m.events.filter(kind="classified").exists() for m in routed)

    now = timezone.now()
    assert all(now - timedelta(days=370) < m.received_at <= now for m in matters)
    # Every matter was made by the services: a registration first, steps in time order.
    for matter in matters:
        events = list(matter.events.order_by("seq"))
        assert events[0].kind == "registered"
        times = [e.occurred_at for e in events]
        assert times == sorted(times), matter.number
    # Some notices and letters were issued, each on its matter's timeline, and last month's
    # bulletin of the bureau.
    letters = Document.objects.exclude(matter=None)
    assert letters.exists()
    for document in letters:
        assert document.matter.events.filter(kind="document_issued").exists()
    bulletin = Document.objects.get(matter=None)
    assert bulletin.kind == DocumentKind.BULLETIN and bulletin.unit.name == "清河县信访局"
    assert verify_all() == []
    assert find_drift() == []


@pytest.mark.django_db
def test_running_the_demo_twice_changes_nothing(dev: None) -> None:
    run_demo(matters=30)
    before = snapshot()

    output = run_demo(matters=30)

    assert snapshot() == before
    assert "already present" in output
    assert "registrar" in output and data.DEMO_PASSWORD in output


@pytest.mark.django_db
def test_demo_refuses_to_run_outside_development(settings: Any) -> None:
    settings.DEV = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="XINFANG_DEV"):
        run_demo(matters=5)
    assert not Unit.objects.exists()

    run_demo(matters=0, force=True)
    assert Unit.objects.filter(name="清河县信访局").exists()


@pytest.mark.django_db
def test_demo_works_just_after_midnight_on_a_holiday(dev: None) -> None:
    # Every step lands in office hours before now, or the services refuse it as in the future.
    with time_machine.travel(timezone.make_aware(datetime(2026, 10, 1, 0, 20)), tick=True):
        run_demo(matters=60)
        assert Matter.objects.count() == 60
        assert verify_all() == []
        assert find_drift() == []


def test_plans_are_deterministic_and_identifiers_valid() -> None:
    now = timezone.localtime()

    def plans() -> list[Any]:
        return Planner(random.Random(7), now).plan(80)

    first, second = plans(), plans()
    assert [(p.key, p.target, p.received_at, p.filing.title) for p in first] == [
        (p.key, p.target, p.received_at, p.filing.title) for p in second
    ]
    for plan in first:
        moments = [plan.received_at, *(s.at for s in plan.steps if s.at is not None)]
        assert moments == sorted(moments)
        assert moments[-1] < now
        assert len(plan.filing.petitioners) <= 5
        for person in plan.filing.petitioners:
            validate_id_number(person.id_number, today=now.date())
            assert person.phone.startswith("139") and len(person.phone) == 11


@pytest.mark.django_db
def test_benchmark_seeds_and_reports_positive_figures(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("seed_and_measure", BENCHMARK)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    result = bench.measure(50, batch=20, worklist_repetitions=10, scratch_dir=str(tmp_path))

    assert result["n"] == 50 and result["batch_transaction"] == 20
    assert result["machine"]["cpu_count"] and result["machine"]["database"]["vendor"]
    for key in (
        "registrations_per_second",
        "raw_sqlite_rows_per_second",
        "raw_over_service_ratio",
        "seeding_wall_seconds",
    ):
        assert result[key] > 0, key
    assert result["raw_sqlite_insert"]["rows"] == 50
    assert result["worklist"]["repetitions"] == 10
    assert result["worklist"]["median_ms"] > 0 and result["worklist"]["p95_ms"] > 0
    assert Matter.objects.count() == 50
