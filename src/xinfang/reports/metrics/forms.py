"""The period and unit chooser of the metrics pages.

A period comes either as one token (``period=2026-10``, what the page's own links carry) or from
the form's fields: a kind (month, quarter, year, from/to) and the fields that kind needs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinfang.matters.errors import InvalidInput
from xinfang.org.models import Unit
from xinfang.reports.periods import Period, default_period, make_range, parse_period

KINDS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("range", _("From/to")),
]
QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class MetricsForm(forms.Form):
    period = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTERS, coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units in my scope"),
    )

    def __init__(self, *args: Any, scope: frozenset[int], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=scope)  # type: ignore[attr-defined]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "This unit is not in your scope, or does not exist."
        )

    def _from_fields(self, data: dict[str, Any]) -> Period:
        kind = data.get("kind") or "month"
        if kind == "month":
            text = (data.get("month") or "").strip()
            if not text:
                raise InvalidInput(gettext("请选择月份。"), field="month")
            return parse_period(text)
        if kind == "range":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise InvalidInput(
                    gettext("请填写统计期的起止日期。"), field="start" if start is None else "end"
                )
            return make_range(start, end)
        year = data.get("year")
        if year is None:
            raise InvalidInput(gettext("请填写年份。"), field="year")
        if kind == "year":
            return Period.year(year)
        quarter = data.get("quarter")
        if quarter is None:
            raise InvalidInput(gettext("请选择季度。"), field="quarter")
        return Period.quarter(year, quarter)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        token = (data.get("period") or "").strip()
        chosen = any(self.data.get(name) for name in ("kind", "month", "year", "start", "end"))
        try:
            if token and not chosen:
                data["resolved"] = parse_period(token)
            elif chosen:
                data["resolved"] = self._from_fields(data)
            else:
                data["resolved"] = default_period(self.today)
        except InvalidInput as exc:
            field = exc.field if exc.field in self.fields and exc.field != "period" else None
            self.add_error(field, exc.message)
        return data

    def initial_for(self, period: Period) -> dict[str, Any]:
        """The fields that show `period` again (the chooser keeps what is displayed)."""
        return {
            "kind": period.kind,
            "month": f"{period.start.year:04d}-{period.start.month:02d}",
            "year": period.start.year,
            "quarter": (period.start.month - 1) // 3 + 1,
            "start": period.start,
            "end": period.end,
        }
