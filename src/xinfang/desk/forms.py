"""Forms of the workbench: registration, the list filters, and one form per lifecycle action.

Forms only shape input; every rule is the services' (a refused action raises DomainError, which
the view shows next to the form).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinfang.desk.selectors import SORTS, ListFilters
from xinfang.matters.models import (
    Category,
    Channel,
    Decision,
    LegalChannel,
    Matter,
    MatterType,
    Rating,
    ReviewOutcome,
    State,
)
from xinfang.matters.services import PetitionerInput
from xinfang.matters.services.registration import MAX_REPRESENTATIVES
from xinfang.org.access import memberships_of, scope_unit_ids
from xinfang.org.models import Region, Role, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_UPLOADS = 10
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    """A model choice field of the form, to set its queryset (typed)."""
    return cast(forms.ModelChoiceField, form.fields[name])


class Form(forms.Form):
    """Labels without the colon Django adds: the layout sets them apart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def _regions_near(user: User) -> QuerySet[Region]:
    prefixes = {m.unit.region.subtree_prefix for m in memberships_of(user)}
    qs = Region.objects.none()
    for prefix in prefixes:
        qs = qs | Region.objects.filter(code__startswith=prefix)
    return qs.order_by("code")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_UPLOADS:
            raise forms.ValidationError(_("At most %(n)d files at a time.") % {"n": MAX_UPLOADS})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def category_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("(not yet classified)"),
    )


def region_field() -> forms.ModelChoiceField:
    """Its queryset is set per user (_regions_near)."""
    return forms.ModelChoiceField(
        label=_("Where the matter arises"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("(not given)"),
    )


class RegistrationForm(Form):
    office = UnitChoiceField(
        queryset=Unit.objects.none(), label=_("Registering unit"), empty_label=None
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("Received"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    source_reference = forms.CharField(
        label=_("Reference of the body that transferred it"),
        required=False,
        max_length=100,
        help_text=_("Required for a transfer from above."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("(choose)")), *MatterType.choices])
    category = category_field()
    region = region_field()
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the first 30 characters of the content are used."),
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    is_collective = forms.BooleanField(
        label=_("Collective visit or letter (several people)"), required=False
    )
    head_count = forms.IntegerField(
        label=_("Number of people"), min_value=1, required=False, initial=1
    )
    accused_units = forms.ModelMultipleChoiceField(
        label=_("Units accused (reports and accusations only)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    attachments = MultipleFileField(label=_("Scanned letter and other attachments"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = sorted(
            {m.unit for m in memberships_of(user) if m.can_register}, key=lambda u: u.name
        )
        model_field(self, "office").queryset = Unit.objects.filter(pk__in=[u.pk for u in offices])
        if len(offices) == 1:
            self.fields["office"].initial = offices[0].pk
            self.fields["office"].widget = forms.HiddenInput()
        model_field(self, "region").queryset = _regions_near(user)
        model_field(self, "accused_units").queryset = Unit.objects.filter(
            pk__in=scope_unit_ids(user), is_active=True
        ).order_by("name")
        if not self.is_bound:
            self.fields["received_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )


class PetitionerForm(Form):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def as_input(self) -> PetitionerInput | None:
        data = self.cleaned_data
        if not any((data.get(k) or "").strip() for k in ("name", "phone", "id_number", "address")):
            return None
        return PetitionerInput(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            id_number=data.get("id_number", ""),
            address=data.get("address", ""),
        )


PetitionerFormSet = forms.formset_factory(
    PetitionerForm, extra=MAX_REPRESENTATIVES, max_num=MAX_REPRESENTATIVES, absolute_max=5
)


class ListFilterForm(Form):
    q = forms.CharField(label=_("Search titles and content"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("any")), *State.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("any")), *MatterType.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("any")
    )
    unit = UnitChoiceField(
        label=_("Responsible unit"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("any"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("any"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("any")), *Channel.choices]
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DATE_INPUT)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    open = forms.BooleanField(label=_("Open only"), required=False)
    queue = forms.CharField(required=False, widget=forms.HiddenInput())
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("due", _("due date, nearest first")),
            ("-due", _("due date, latest first")),
            ("-received", _("received, newest first")),
            ("received", _("received, oldest first")),
        ],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "unit").queryset = Unit.objects.filter(
            pk__in=scope_unit_ids(user)
        ).order_by("name")
        model_field(self, "region").queryset = _regions_near(user)

    def filters(self) -> ListFilters:
        # One bad field (a garbled date) drops only itself: the valid fields still filter, and
        # the form shows its errors (Django keeps only the valid fields in cleaned_data).
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        region = data.get("region")
        sort = data.get("sort") or "due"
        return ListFilters(
            q=data.get("q") or "",
            state=data.get("state") or "",
            type=data.get("type") or "",
            category=data["category"].pk if data.get("category") else None,
            unit=data["unit"].pk if data.get("unit") else None,
            region=region.subtree_prefix if region else "",
            channel=data.get("channel") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            overdue=bool(data.get("overdue")),
            open_only=bool(data.get("open")),
            queue=data.get("queue") or "",
            sort=sort if sort in SORTS else "due",
        )

    def ignored(self) -> list[str]:
        """The labels of the fields left out because they were not valid."""
        if not self.is_bound:
            return []
        return [str(self.fields[name].label or name) for name in self.errors if name in self.fields]


# --- action forms ------------------------------------------------------------------------------


class ActionForm(Form):
    """Every action posts the version the user saw: a stale screen is refused, not merged."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, matter: Matter, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_version"] = matter.version
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.matter, self.user = matter, user
        self.setup()

    prefix_name = ""

    def setup(self) -> None:
        pass


def _note(label: Any = None, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendForm(ActionForm):
    to_unit = UnitChoiceField(label=_("To unit"), queryset=Unit.objects.none())
    note = _note()

    def setup(self) -> None:
        units = Unit.objects.filter(is_active=True).exclude(pk=self.matter.lead_unit_id)
        model_field(self, "to_unit").queryset = units.order_by("level", "name")


class ForwardForm(SendForm):
    prefix_name = "forward"


class AssignForm(SendForm):
    prefix_name = "assign"


class ClassifyForm(ActionForm):
    """Type, category and where the matter arises, checked before routing (an online
    submission arrives with the petitioner's type and no category)."""

    prefix_name = "classify"
    type = forms.ChoiceField(label=_("Type"), choices=MatterType.choices)
    category = category_field()
    region = region_field()

    def setup(self) -> None:
        model_field(self, "region").queryset = _regions_near(self.user)
        if not self.is_bound:
            self.initial.update(
                type=self.matter.type,
                category=self.matter.category_id,
                region=self.matter.region_id,
            )


class ReasonForm(ActionForm):
    reason = _note(_("Reasons"), required=True)


class ObjectForm(ReasonForm):
    prefix_name = "object"


class DeclineForm(ReasonForm):
    prefix_name = "decline"


class InterestForm(ReasonForm):
    prefix_name = "interest"


class AcceptForm(ActionForm):
    prefix_name = "accept"
    simplified = forms.BooleanField(
        label=_("Simplified handling (10 working days)"), required=False
    )
    note = _note()


class GuideForm(ActionForm):
    prefix_name = "guide"
    legal_channel = forms.ChoiceField(label=_("Legal channel"), choices=LegalChannel.choices)
    reason = _note(_("Reasons and how to proceed"), required=True)


class LinkRepeatForm(ActionForm):
    prefix_name = "link"
    original = forms.CharField(
        label=_("Number of the matter it repeats"),
        max_length=40,
        help_text=_("The number shown on that matter's page."),
    )
    note = _note()


class OwnersForm(ActionForm):
    prefix_name = "owners"
    leader = PersonChoiceField(label=_("Owning leader"), queryset=get_user_model().objects.none())
    handler = PersonChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())

    def setup(self) -> None:
        unit_ids = []
        unit: Unit | None = self.matter.lead_unit
        while unit is not None:
            unit_ids.append(unit.pk)
            unit = unit.parent
        users = get_user_model().objects.order_by("first_name", "username")
        model_field(self, "leader").queryset = users.filter(
            memberships__role=Role.LEADER, memberships__unit_id__in=unit_ids
        ).distinct()
        model_field(self, "handler").queryset = users.filter(
            memberships__role=Role.HANDLER, memberships__unit_id=self.matter.lead_unit_id
        ).distinct()
        self.fields["leader"].initial = self.matter.leader_id
        self.fields["handler"].initial = self.matter.handler_id


class CoUnitsForm(ActionForm):
    prefix_name = "co_units"
    units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def setup(self) -> None:
        model_field(self, "units").queryset = (
            Unit.objects.filter(is_active=True)
            .exclude(pk=self.matter.lead_unit_id)
            .order_by("level", "name")
        )


class ExtensionRequestForm(ActionForm):
    prefix_name = "extension"
    days = forms.IntegerField(label=_("Days (at most 30)"), min_value=1, max_value=30)
    reason = _note(_("Reasons"), required=True)


class ExtensionDecisionForm(ActionForm):
    prefix_name = "extension_decision"
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("approve")), ("no", _("refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = _note()


class ReplyForm(ActionForm):
    prefix_name = "reply"
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", "—"), *Decision.choices], required=False
    )
    text = _note(_("Written reply"), required=True)
    basis = forms.CharField(label=_("Legal basis"), required=False, max_length=500)


class ReviewRequestForm(ActionForm):
    prefix_name = "review_request"
    reasons = _note(_("Reasons given by the petitioner"), required=True)
    body = UnitChoiceField(
        label=_("Reviewing body"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(the body one level up)"),
    )

    def setup(self) -> None:
        model_field(self, "body").queryset = Unit.objects.filter(is_active=True).order_by(
            "level", "name"
        )


class ReReviewRequestForm(ReviewRequestForm):
    prefix_name = "re_review_request"


class ReviewDecisionForm(ActionForm):
    prefix_name = "review_decision"
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    text = _note(_("Written decision"), required=True)


class ReReviewDecisionForm(ReviewDecisionForm):
    prefix_name = "re_review_decision"


class HearingForm(ActionForm):
    prefix_name = "hearing"
    start = forms.DateField(label=_("Hearing from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Hearing until"), widget=DATE_INPUT)
    note = _note()


class RateForm(ActionForm):
    prefix_name = "rate"
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    comment = _note(_("Comment"))


class CloseForm(ActionForm):
    prefix_name = "close"
    note = _note()


class AttachForm(ActionForm):
    prefix_name = "attach"
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Description of the file"), required=False, max_length=200)
