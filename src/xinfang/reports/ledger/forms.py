"""The import's two forms: the upload, and the column mapping (one select per field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinfang.org.models import Unit
from xinfang.reports.ledger import columns
from xinfang.reports.ledger.importer import Table, column_name


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _office_field(offices: list[Unit]) -> OfficeChoiceField:
    field = OfficeChoiceField(
        label=_("Import into the office"),
        queryset=Unit.objects.filter(pk__in=[u.pk for u in offices]).order_by("name"),
        empty_label=None,
    )
    if len(offices) == 1:
        field.initial = offices[0].pk
        field.widget = forms.HiddenInput()
    return field


class UploadForm(_Form):
    file = forms.FileField(
        label=_("Ledger (.xlsx)"),
        help_text=_(
            "The first sheet is read; its header row names the columns. At most 1,000 rows a "
            "file: split a larger ledger."
        ),
    )

    def __init__(self, *args: Any, offices: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"] = _office_field(offices)


class MappingForm(_Form):
    """One select per field of the ledger; the choices are the file's columns."""

    def __init__(
        self,
        *args: Any,
        table: Table,
        offices: list[Unit],
        proposed: dict[str, int | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"] = _office_field(offices)
        width = max(len(table.headers), max((len(c) for _n, c in table.rows), default=0))
        choices = [("", _("(not in the file)"))] + [
            (str(i), column_name(table, i)) for i in range(width)
        ]
        for f in columns.FIELDS:
            label = f"{f.label} *" if f.required else str(f.label)
            self.fields[f"col_{f.key}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            if proposed.get(f.key) is not None:
                self.fields[f"col_{f.key}"].initial = str(proposed[f.key])
        self.width = width

    def raw_mapping(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {f.key: str(data.get(f"col_{f.key}") or "") for f in columns.FIELDS}

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{f.key}"] for f in columns.FIELDS]
