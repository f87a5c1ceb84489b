"""The office's configuration of the calendar and the clock rules.

The computation itself lives in calendar.py and clocks.py, which know nothing of Django.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinfang.deadlines.clocks import DayKind
from xinfang.org.models import Unit


class CoveredYear(models.Model):
    """A year whose official holiday schedule an administrator has loaded in full."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("e.g. 国办发明电〔2026〕X号")
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class HolidayOverride(models.Model):
    """One day of an official schedule loaded by an administrator; beats the bundled package."""

    day = models.DateField(unique=True)
    is_workday = models.BooleanField()
    name = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_workday else '休息日'} {self.name}"


class ClockRuleSetting(models.Model):
    """An office's change to one clock rule of the default table (office empty: everywhere)."""

    office = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True)
    key = models.CharField(max_length=30)
    days = models.PositiveSmallIntegerField()
    day_kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in DayKind])
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "key"],
                name="clockrule_office_key",
                condition=Q(office__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["key"], name="clockrule_global_key", condition=Q(office__isnull=True)
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="clockrule_days_min"),
        ]

    def __str__(self) -> str:
        return f"{self.office or '*'} {self.key} {self.days} {self.day_kind}"
