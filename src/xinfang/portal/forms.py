from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinfang.matters.models import MatterType, Rating
from xinfang.portal.uploads import megabytes

TYPE_EXPLANATIONS = {
    MatterType.SUGGESTION: _(
        "A suggestion or opinion about public services or how things could be done better. "
        "It is studied and you are told the result."
    ),
    MatterType.ACCUSATION: _(
        "You report wrongdoing by an official or a public body. It goes to discipline "
        "inspection; who you are is shown to nobody else, and never to those you report."
    ),
    MatterType.REQUEST: _(
        "You ask for a problem of your own to be solved or a decision to be corrected. You get "
        "a written reply with the decision, the facts and the legal basis."
    ),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmitForm(forms.Form):
    type = forms.ChoiceField(
        label=_("What kind of matter is it?"),
        choices=MatterType.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Subject in a few words (optional)"), max_length=100, required=False
    )
    content = forms.CharField(
        label=_("Your matter in your own words"),
        help_text=_("What happened, when and where, and what you are asking for."),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional: we send your receipt there)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    id_number = forms.CharField(
        label=_("ID card number (optional)"),
        help_text=_("Helps the office recognise the same matter raised again. Stored encrypted."),
        max_length=18,
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read what happens next and agree that the offices handling my matter use "
            "the details above for it only."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.required and name != "consent":
                field.widget.attrs["aria-required"] = "true"

    def clean_attachments(self) -> list[Any]:
        """The cheap limits, before any file is opened: how many, and how large each (so the
        total is at most MAX_FILES × MAX_FILE_BYTES). Decoding comes after, one by one."""
        files: list[Any] = self.cleaned_data.get("attachments") or []
        limit = settings.XINFANG_PORTAL_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(
                gettext("附件最多%(limit)d个，本次选择了%(count)d个。")
                % {"limit": limit, "count": len(files)}
            )
        most = settings.XINFANG_PORTAL_MAX_FILE_BYTES
        for f in files:
            if f.size is not None and f.size > most:
                raise forms.ValidationError(
                    gettext("附件“%(name)s”太大：每个文件不超过%(limit)sMB。")
                    % {"name": f.name, "limit": megabytes(most)}
                )
        return files


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Matter number"),
        help_text=_("As on your receipt, e.g. 清信〔2026〕17号"),
        max_length=60,
    )
    code = forms.CharField(
        label=_("Query code"),
        help_text=_("12 letters and digits from your receipt"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ChallengeForm(forms.Form):
    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)
    challenge_answer = forms.CharField(
        label=_("Your answer"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why do you ask for it? What do you disagree with?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
