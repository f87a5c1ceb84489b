"""Read-only: a calendar or rule change must recompute the stored due dates in the same
transaction, which `xinfang holidays load` and `xinfang clock_rules set` do."""

from __future__ import annotations

from django.contrib import admin

from xinfang.deadlines.models import ClockRuleSetting, CoveredYear, HolidayOverride


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(ReadOnly):
    list_display = ["day", "is_workday", "name"]
    date_hierarchy = "day"


@admin.register(CoveredYear)
class CoveredYearAdmin(ReadOnly):
    list_display = ["year", "source", "loaded_at"]


@admin.register(ClockRuleSetting)
class ClockRuleSettingAdmin(ReadOnly):
    list_display = ["key", "office", "days", "day_kind", "enabled"]
