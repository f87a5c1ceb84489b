from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinfang.matters.models import Category, MatterType
from xinfang.org.models import Level, Region, Unit
from xinfang.routing.directory import routable_units


class RuleForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True),
        required=False,
        label=_("Category"),
        empty_label=_("any category"),
    )
    matter_type = forms.ChoiceField(
        choices=[("", _("any type")), *MatterType.choices],
        required=False,
        label=_("Type"),
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("Where it arises"),
        empty_label=_("anywhere"),
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Responsible unit"))
    note = forms.CharField(max_length=200, required=False, label=_("Note"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, office: Unit, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An edit says which version of the row it was made on: a stale one is refused, a
        # missing one is not taken as "whatever is there now".
        self.fields["version"].required = editing
        prefix = office.region.subtree_prefix
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            code__startswith=prefix, level__in=[Level.TOWNSHIP, Level.VILLAGE]
        )
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in routable_units(office)]
        )
