"""The period selector and the drill-down's parameters, checked with clear messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xinfang.matters.models import Category, Channel, EventKind, MatterType
from xinfang.org.access import scope_unit_ids
from xinfang.org.models import Region, Unit
from xinfang.reports import periods
from xinfang.reports.stats.drill import NONE, Drill

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MIN_YEAR, MAX_YEAR = 2000, 2100
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StatsForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (periods.MONTH, _("month")),
            (periods.QUARTER, _("quarter")),
            (periods.YEAR, _("year")),
            (periods.RANGE, _("from … to …")),
        ],
        required=False,
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", "—"), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    unit = UnitField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("all units I may see"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(pk__in=scope_unit_ids(user)).order_by("level", "name")

    def _year(self, data: dict[str, Any]) -> int:
        value = data.get("year")
        if value is None:
            raise ValidationError({"year": _("Enter the year, e.g. 2026.")})
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise ValidationError(
                {
                    "year": _("The year must be between %(lo)d and %(hi)d.")
                    % {"lo": MIN_YEAR, "hi": MAX_YEAR}
                }
            )
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        kind = data.get("period") or periods.MONTH
        if kind == periods.MONTH:
            text = (data.get("month") or "").strip()
            if not text:
                data["the_period"] = periods.default_period()
                return data
            try:
                y, m = (int(x) for x in text.split("-"))
                if not MIN_YEAR <= y <= MAX_YEAR:
                    raise ValueError
                data["the_period"] = periods.Period.month(y, m)
            except ValueError:
                raise ValidationError(
                    {"month": _("Enter the month as year-month, e.g. 2026-10.")}
                ) from None
        elif kind == periods.QUARTER:
            y = self._year(data)
            if not data.get("quarter"):
                raise ValidationError({"quarter": _("Choose the quarter.")})
            data["the_period"] = periods.Period.quarter(y, data["quarter"])
        elif kind == periods.YEAR:
            data["the_period"] = periods.Period.year(self._year(data))
        else:
            start, end = data.get("date_from"), data.get("date_to")
            if start is None or end is None:
                raise ValidationError(_("Enter both dates of the range."))
            if end < start:
                raise ValidationError({"date_to": _("The end date is before the start date.")})
            if (end - start).days + 1 > periods.MAX_DAYS:
                raise ValidationError({"date_to": _("A range may span at most five years.")})
            data["the_period"] = periods.Period(start, end)
        return data

    def result(self) -> tuple[periods.Period, int | None]:
        """The chosen period and unit; an unbound form gives the last full month."""
        if not self.is_bound:
            return periods.default_period(), None
        unit = self.cleaned_data.get("unit")
        return self.cleaned_data["the_period"], unit.pk if unit else None

    def query(self, period: periods.Period, unit: int | None) -> dict[str, str]:
        """The GET parameters that choose this period and unit again (export links)."""
        out: dict[str, str] = {"period": period.kind}
        if period.kind == periods.MONTH:
            out["month"] = f"{period.start.year}-{period.start.month:02d}"
        elif period.kind == periods.QUARTER:
            out.update(year=str(period.start.year), quarter=str((period.start.month - 1) // 3 + 1))
        elif period.kind == periods.YEAR:
            out["year"] = str(period.start.year)
        else:
            out.update(date_from=period.start.isoformat(), date_to=period.end.isoformat())
        if unit is not None:
            out["unit"] = str(unit)
        return out


EVENT_KINDS = [
    EventKind.FORWARDED,
    EventKind.ASSIGNED,
    EventKind.REPLIED,
    EventKind.REVIEW_REQUESTED,
    EventKind.REVIEWED,
    EventKind.RE_REVIEW_REQUESTED,
    EventKind.RE_REVIEWED,
]


class DrillForm(forms.Form):
    """The drill-down list's parameters: the same fields a figure's Drill carries."""

    date_from = forms.DateField()
    date_to = forms.DateField()
    unit = forms.IntegerField(required=False)
    channel = forms.ChoiceField(choices=[("", ""), *Channel.choices], required=False)
    type = forms.ChoiceField(choices=[("", ""), *MatterType.choices], required=False)
    category = forms.CharField(required=False, max_length=12)
    region = forms.CharField(required=False, max_length=12)
    lead = forms.IntegerField(required=False)
    accused = forms.IntegerField(required=False)
    cluster = forms.IntegerField(required=False)
    event = forms.ChoiceField(
        choices=[("", ""), *((k.value, k.label) for k in EVENT_KINDS)], required=False
    )
    adopted = forms.BooleanField(required=False)

    def __init__(self, data: Any) -> None:
        # The links carry from/to: Python keywords, so the fields are named date_*.
        plain = {key: data.get(key) for key in data}
        for short, name in (("from", "date_from"), ("to", "date_to")):
            if short in plain:
                plain[name] = plain.pop(short)
        super().__init__(plain)

    def _id_or_none(self, name: str, model: Any) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if value in ("", NONE):
            return value
        if not value.isdigit() or not model.objects.filter(pk=int(value)).exists():
            raise ValidationError({name: _("Unknown value.")})
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data["date_to"] < data["date_from"]:
            raise ValidationError({"date_to": _("The end date is before the start date.")})
        if (data["date_to"] - data["date_from"]).days + 1 > periods.MAX_DAYS:
            raise ValidationError({"date_to": _("A range may span at most five years.")})
        data["category"] = self._id_or_none("category", Category)
        data["region"] = self._id_or_none("region", Region)
        return data

    def drill(self) -> Drill:
        d = self.cleaned_data
        return Drill(
            start=d["date_from"],
            end=d["date_to"],
            unit=d.get("unit"),
            channel=d.get("channel") or "",
            type=d.get("type") or "",
            category=d.get("category") or "",
            region=d.get("region") or "",
            lead=d.get("lead"),
            accused=d.get("accused"),
            cluster=d.get("cluster"),
            event=d.get("event") or "",
            adopted=bool(d.get("adopted")),
        )
