"""`xinfang check`, `xinfang holidays` and `xinfang clock_rules` against a real database."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import at, register
from xinfang.deadlines.models import CoveredYear, HolidayOverride
from xinfang.matters import services
from xinfang.matters.models import Event, Matter


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_check_passes_on_consistent_data(world):
    register(world)
    assert "Data checks passed" in run("check")


def test_check_finds_a_drifted_due_date_and_fix_recomputes_it(world):
    matter = register(world)
    right = matter.due_date
    Matter.objects.filter(pk=matter.pk).update(due_date="2030-01-01")
    with pytest.raises(CommandError, match="1 drifted due dates"):
        run("check")
    out = run("check", "--fix-due-dates")
    assert "Recomputed 1 drifted due dates" in out
    matter.refresh_from_db()
    assert matter.due_date == right


def test_check_finds_a_tampered_event(world):
    matter = register(world)
    Event.objects.filter(matter=matter).update(text="改过的内容")
    with pytest.raises(CommandError, match="1 timeline breaks"):
        run("check")


def test_holidays_show_names_the_uncovered_year(db):
    out = run("holidays", "show", "--from", "2026", "--to", "2027")
    assert "2026: covered by the chinese-calendar package" in out
    assert "2027: NOT COVERED" in out


def test_holidays_load_covers_the_year_and_moves_due_dates(world, tmp_path):
    # Registered 2026-12-20 at the petition office: the 15-day route clock ends 2027-01-04,
    # a Monday by the weekday fallback, with a warning since 2027 is not covered.
    with time_machine.travel(at(2026, 12, 20), tick=False):
        matter = register(world)
    assert matter.calendar_warning
    assert matter.due_date.isoformat() == "2027-01-04"
    schedule = tmp_path / "2027.csv"
    # A made-up schedule for the test: 1-5 January off, so the period rolls to the 6th.
    schedule.write_text(
        "# test schedule\n" + "".join(f"2027-01-0{d},off,元旦\n" for d in range(1, 6)),
        encoding="utf-8",
    )
    out = run("holidays", "load", str(schedule), "--year", "2027", "--source", "测试")
    assert "Loaded 5 days for 2027; 1 due dates moved." in out
    matter.refresh_from_db()
    assert matter.due_date.isoformat() == "2027-01-06"
    assert not matter.calendar_warning
    assert CoveredYear.objects.get(year=2027).source == "测试"
    assert "Data checks passed" in run("check")


def test_holidays_load_refuses_a_bad_file_and_changes_nothing(world, tmp_path):
    schedule = tmp_path / "bad.csv"
    schedule.write_text("2027-01-01,off,元旦\n2027-13-01,off,坏日期\n", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a date"):
        run("holidays", "load", str(schedule), "--year", "2027", "--source", "测试")
    schedule.write_text("2028-01-01,off,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError, match="不属于 2027 年"):
        run("holidays", "load", str(schedule), "--year", "2027", "--source", "测试")
    assert not HolidayOverride.objects.exists()
    assert not CoveredYear.objects.exists()


def test_clock_rules_set_for_one_office_moves_only_its_matters(world):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        matter = register(world)
        other = register(world, actor=world.dept_registrar)
    assert matter.due_date.isoformat() == "2026-03-17"
    assert other.due_date.isoformat() == "2026-03-17"
    out = run(
        "clock_rules",
        "set",
        "route",
        "--days",
        "10",
        "--kind",
        "working",
        "--office",
        "清河县信访局",
    )
    assert "1 due dates moved" in out
    matter.refresh_from_db()
    other.refresh_from_db()
    assert matter.due_date.isoformat() == "2026-03-16"  # 10 working days after Mon 2 March
    assert other.due_date.isoformat() == "2026-03-17"
    listing = run("clock_rules", "list", "--office", "清河县信访局")
    assert "route               10 working" in listing


def test_clock_rules_refuses_an_unknown_rule(db):
    with pytest.raises(CommandError, match="没有名为 nonsense 的期限规则"):
        run("clock_rules", "set", "nonsense", "--days", "3", "--kind", "working")


def test_an_approved_extension_recomputed_after_a_rule_change_stays_consistent(world):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        matter = register(world, actor=world.dept_registrar)
        matter = services.matter_accept(matter=matter, actor=world.unit_lead)
    run("clock_rules", "set", "handling", "--days", "45", "--kind", "calendar")
    matter.refresh_from_db()
    assert matter.due_date.isoformat() == "2026-04-16"  # 2 March + 45 days
    assert "Data checks passed" in run("check")
