"""Forms of the documents pages: they shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinfang.reports.models import DocumentKind


class IssueForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class TemplateForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    issuer_mark = forms.CharField(label=_("Issuer mark (发文机关标志)"), max_length=60)
    number_prefix = forms.CharField(
        label=_("Number prefix (机关代字)"),
        max_length=20,
        help_text=_("Printed as PREFIX〔year〕N号, e.g. 清人社受〔2026〕12号."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("One paragraph a line. Placeholders in braces, from the list on this page."),
    )
    signature = forms.CharField(label=_("Signature (署名)"), max_length=100)
    seal_text = forms.CharField(label=_("Seal placeholder"), max_length=30, required=False)
    cc = forms.CharField(label=_("Copy to (抄送)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].strip = False  # type: ignore[attr-defined]


class BulletinForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Issuing unit"), coerce=int)
    month = forms.CharField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("A month that has ended, as YYYY-MM."),
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]

    def clean_month(self) -> tuple[int, int]:
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            raise forms.ValidationError(_("Enter the month as YYYY-MM.")) from None
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(_("Enter the month as YYYY-MM."))
        return year, month
