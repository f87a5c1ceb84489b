"""Working-day calendar against the State Council's published schedules (chinese_calendar 1.11).

Every expected date below was read off the package's data for that year, not computed by the code
under test: the official 2025 and 2026 schedules are written out in the docstrings where they
matter.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xinfang.deadlines.calendar import WorkingCalendar


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


class TestOfficialSchedule:
    def test_national_day_2025(self, cal: WorkingCalendar) -> None:
        """2025: Oct 1-8 off (National Day + Mid-autumn); Sun Sep 28 and Sat Oct 11 worked."""
        for day in range(1, 9):
            assert not cal.is_workday(date(2025, 10, day)), day
        assert cal.is_workday(date(2025, 9, 28))  # Sunday, adjusted working day
        assert cal.is_workday(date(2025, 10, 11))  # Saturday, adjusted working day
        assert not cal.is_workday(date(2025, 9, 27))  # an ordinary Saturday
        assert not cal.is_workday(date(2025, 10, 12))  # an ordinary Sunday
        assert cal.is_workday(date(2025, 9, 30))
        assert cal.is_workday(date(2025, 10, 9))

    def test_national_day_2026(self, cal: WorkingCalendar) -> None:
        """2026: Mid-autumn Sep 25-27 off, Oct 1-7 off; Sun Sep 20 and Sat Oct 10 worked."""
        for day in (25, 26, 27):
            assert not cal.is_workday(date(2026, 9, day)), day
        for day in range(1, 8):
            assert not cal.is_workday(date(2026, 10, day)), day
        assert cal.is_workday(date(2026, 9, 20))  # Sunday, adjusted
        assert cal.is_workday(date(2026, 10, 8))
        assert cal.is_workday(date(2026, 10, 10))  # Saturday, adjusted
        assert not cal.is_workday(date(2026, 10, 11))

    def test_spring_festival_2026(self, cal: WorkingCalendar) -> None:
        """2026: Feb 15-23 off; Sat Feb 14 and Sat Feb 28 worked."""
        for day in range(15, 24):
            assert not cal.is_workday(date(2026, 2, day)), day
        assert cal.is_workday(date(2026, 2, 14))
        assert cal.is_workday(date(2026, 2, 24))
        assert cal.is_workday(date(2026, 2, 28))
        assert not cal.is_workday(date(2026, 3, 1))

    def test_ordinary_week(self, cal: WorkingCalendar) -> None:
        # Mon 2025-03-10 .. Sun 2025-03-16: no holiday that week.
        answers = [cal.is_workday(date(2025, 3, day)) for day in range(10, 17)]
        assert answers == [True, True, True, True, True, False, False]

    def test_covers(self, cal: WorkingCalendar) -> None:
        assert cal.covers(2004)
        assert cal.covers(2025)
        assert cal.covers(2026)
        assert not cal.covers(2003)
        assert not cal.covers(2027)

    def test_covered_years_are_not_recorded_as_guesses(self, cal: WorkingCalendar) -> None:
        cal.is_workday(date(2025, 10, 1))
        cal.period_end(date(2026, 12, 1), 15)
        assert cal.uncovered_years_seen == set()


class TestNextWorkday:
    def test_working_day_is_itself(self, cal: WorkingCalendar) -> None:
        assert cal.next_workday_on_or_after(date(2025, 9, 30)) == date(2025, 9, 30)

    def test_adjusted_sunday_is_itself(self, cal: WorkingCalendar) -> None:
        assert cal.next_workday_on_or_after(date(2025, 9, 28)) == date(2025, 9, 28)

    def test_holiday_rolls_past_the_whole_break(self, cal: WorkingCalendar) -> None:
        assert cal.next_workday_on_or_after(date(2025, 10, 1)) == date(2025, 10, 9)

    def test_plain_saturday_rolls_onto_adjusted_sunday(self, cal: WorkingCalendar) -> None:
        assert cal.next_workday_on_or_after(date(2025, 9, 27)) == date(2025, 9, 28)


class TestPeriodEnd:
    def test_first_day_not_counted(self, cal: WorkingCalendar) -> None:
        # Mon 2025-03-10 + 15 = Tue 2025-03-25, an ordinary working day.
        assert cal.period_end(date(2025, 3, 10), 15) == date(2025, 3, 25)

    def test_last_day_on_holiday_rolls_to_next_working_day(self, cal: WorkingCalendar) -> None:
        # 2025-09-16 + 15 = Oct 1; the break runs to Oct 8, so the period ends Thu Oct 9.
        assert cal.period_end(date(2025, 9, 16), 15) == date(2025, 10, 9)

    def test_last_day_on_adjusted_sunday_does_not_roll(self, cal: WorkingCalendar) -> None:
        # 2025-09-13 + 15 = Sun Sep 28, a 调休 working day.
        assert cal.period_end(date(2025, 9, 13), 15) == date(2025, 9, 28)

    def test_last_day_on_adjusted_saturday_does_not_roll(self, cal: WorkingCalendar) -> None:
        # 2025-09-26 + 15 = Sat Oct 11, a 调休 working day.
        assert cal.period_end(date(2025, 9, 26), 15) == date(2025, 10, 11)

    def test_plain_weekend_rolls_onto_adjusted_sunday(self, cal: WorkingCalendar) -> None:
        # 2025-09-12 + 15 = Sat Sep 27 (off); the next working day is the adjusted Sun Sep 28.
        assert cal.period_end(date(2025, 9, 12), 15) == date(2025, 9, 28)

    def test_national_day_2026(self, cal: WorkingCalendar) -> None:
        # + 15 lands on Thu Oct 1 -> Oct 8; on Fri Sep 25 (Mid-autumn) -> Mon Sep 28;
        # on Sat Oct 10 and Sun Sep 20, both adjusted working days -> no roll.
        assert cal.period_end(date(2026, 9, 16), 15) == date(2026, 10, 8)
        assert cal.period_end(date(2026, 9, 10), 15) == date(2026, 9, 28)
        assert cal.period_end(date(2026, 9, 25), 15) == date(2026, 10, 10)
        assert cal.period_end(date(2026, 9, 5), 15) == date(2026, 9, 20)

    def test_spring_festival_2026(self, cal: WorkingCalendar) -> None:
        # 2026-02-01 + 15 = Mon Feb 16, in the break -> Tue Feb 24.
        assert cal.period_end(date(2026, 2, 1), 15) == date(2026, 2, 24)

    def test_rejects_non_positive_length(self, cal: WorkingCalendar) -> None:
        with pytest.raises(ValueError):
            cal.period_end(date(2025, 3, 10), 0)


class TestAddWorkingDays:
    def test_start_not_counted(self, cal: WorkingCalendar) -> None:
        assert cal.add_working_days(date(2025, 3, 10), 1) == date(2025, 3, 11)
        # Fri -> the following Mon.
        assert cal.add_working_days(date(2025, 3, 14), 1) == date(2025, 3, 17)

    def test_across_national_day_2025(self, cal: WorkingCalendar) -> None:
        # From Fri Sep 26: Sun 28, Mon 29, Tue 30, (Oct 1-8 off), Thu Oct 9, Fri Oct 10.
        assert cal.add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)
        # ... Sat Oct 11 (adjusted) is the 6th.
        assert cal.add_working_days(date(2025, 9, 26), 6) == date(2025, 10, 11)

    def test_across_spring_festival_2026(self, cal: WorkingCalendar) -> None:
        # From Thu Feb 12: Fri 13, Sat 14 (adjusted), (15-23 off), Tue 24, Wed 25, Thu 26.
        assert cal.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
        # From Fri Feb 13: 14, 24, 25, 26, 27, Sat 28 (adjusted), Mar 2, 3, 4, 5.
        assert cal.add_working_days(date(2026, 2, 13), 10) == date(2026, 3, 5)

    def test_rejects_zero(self, cal: WorkingCalendar) -> None:
        with pytest.raises(ValueError):
            cal.add_working_days(date(2025, 3, 10), 0)


class TestWorkingDaysBetween:
    def test_half_open_interval(self, cal: WorkingCalendar) -> None:
        # (Fri Feb 13, Sat Feb 28] 2026: 14, 24, 25, 26, 27, 28.
        assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
        # (Sat Feb 14, Mon Feb 23]: the whole break, nothing.
        assert cal.working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0

    def test_empty_when_not_after(self, cal: WorkingCalendar) -> None:
        assert cal.working_days_between(date(2025, 10, 9), date(2025, 10, 9)) == 0
        assert cal.working_days_between(date(2025, 10, 10), date(2025, 10, 9)) == 0

    def test_consistent_with_add_working_days(self, cal: WorkingCalendar) -> None:
        start = date(2025, 9, 20)
        for n in range(1, 40):
            end = cal.add_working_days(start, n)
            assert cal.working_days_between(start, end) == n


class TestYearBoundary:
    def test_new_year_2026(self, cal: WorkingCalendar) -> None:
        """Jan 1-3 2026 off; Sun Jan 4 worked."""
        # 2025-12-17 + 15 = Thu Jan 1 2026 -> the adjusted Sun Jan 4.
        assert cal.period_end(date(2025, 12, 17), 15) == date(2026, 1, 4)
        # From Tue Dec 30: Wed Dec 31, Sun Jan 4, Mon Jan 5.
        assert cal.add_working_days(date(2025, 12, 30), 3) == date(2026, 1, 5)
        assert cal.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2
        assert cal.uncovered_years(date(2025, 12, 17), date(2026, 1, 4)) == []
        assert cal.uncovered_years_seen == set()

    def test_into_uncovered_2027_falls_back_to_monday_friday(self, cal: WorkingCalendar) -> None:
        # 2026-12-18 + 15 = Sat Jan 2 2027 -> Mon Jan 4 by weekends alone.
        assert cal.period_end(date(2026, 12, 18), 15) == date(2027, 1, 4)
        # 2026-12-17 + 15 = Fri Jan 1 2027: almost certainly a holiday, but unpublished, so the
        # fallback can only treat it as a Friday -- hence the warning, never a silent guess.
        assert cal.period_end(date(2026, 12, 17), 15) == date(2027, 1, 1)
        # From Mon Dec 28 2026: 29, 30, 31, Fri Jan 1, Mon Jan 4.
        assert cal.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 4)
        assert cal.uncovered_years_seen == {2027}
        assert cal.uncovered_years(date(2026, 12, 18), date(2027, 1, 4)) == [2027]

    def test_uncovered_years_lists_each_year(self, cal: WorkingCalendar) -> None:
        assert cal.uncovered_years(date(2026, 6, 1), date(2029, 2, 1)) == [2027, 2028, 2029]
        assert cal.uncovered_years(date(2025, 1, 1), date(2026, 12, 31)) == []
        assert cal.uncovered_years(date(2003, 12, 1), date(2004, 1, 1)) == [2003]

    def test_fallback_is_plain_weekdays(self, cal: WorkingCalendar) -> None:
        # Mon 2027-03-01 .. Sun 2027-03-07.
        answers = [cal.is_workday(date(2027, 3, day)) for day in range(1, 8)]
        assert answers == [True, True, True, True, True, False, False]
        assert cal.uncovered_years_seen == {2027}


class TestOverrides:
    def test_override_beats_package(self) -> None:
        cal = WorkingCalendar(
            overrides={date(2025, 10, 8): True, date(2025, 10, 9): False},
        )
        assert cal.is_workday(date(2025, 10, 8))
        assert not cal.is_workday(date(2025, 10, 9))
        # 2025-09-16 + 15 = Oct 1 -> the overridden working day Oct 8.
        assert cal.period_end(date(2025, 9, 16), 15) == date(2025, 10, 8)

    def test_override_can_turn_adjusted_day_off(self) -> None:
        cal = WorkingCalendar(overrides={date(2025, 9, 28): False})
        assert cal.period_end(date(2025, 9, 13), 15) == date(2025, 9, 29)

    def test_datetime_still_hits_override(self) -> None:
        cal = WorkingCalendar(overrides={date(2025, 10, 8): True})
        assert cal.is_workday(datetime(2025, 10, 8, 9, 30))

    def test_loaded_year_removes_warning(self) -> None:
        loaded = {date(2027, 1, 1): False}
        cal = WorkingCalendar(overrides=loaded, covered_years=[2027])
        assert cal.covers(2027)
        # Jan 1 off (loaded), Jan 2-3 a weekend -> Mon Jan 4.
        assert cal.period_end(date(2026, 12, 17), 15) == date(2027, 1, 4)
        assert cal.uncovered_years(date(2026, 12, 17), date(2027, 1, 4)) == []
        assert cal.uncovered_years_seen == set()

    def test_overrides_alone_do_not_cover_a_year(self) -> None:
        # A single loaded day is not the whole schedule: the rest of the year is still a guess.
        cal = WorkingCalendar(overrides={date(2027, 1, 1): False})
        assert not cal.is_workday(date(2027, 1, 1))
        assert cal.uncovered_years_seen == set()
        assert cal.period_end(date(2026, 12, 17), 15) == date(2027, 1, 4)
        assert cal.uncovered_years_seen == {2027}
        assert cal.uncovered_years(date(2026, 12, 17), date(2027, 1, 4)) == [2027]

    def test_instances_do_not_share_overrides(self) -> None:
        # The package answers are cached module-wide; overrides must stay per instance.
        with_override = WorkingCalendar(overrides={date(2025, 10, 1): True})
        plain = WorkingCalendar()
        assert with_override.is_workday(date(2025, 10, 1))
        assert not plain.is_workday(date(2025, 10, 1))
