"""Petition matters, their petitioners, timeline events and attachments.

Nothing here is ever deleted: foreign keys to these records PROTECT, and no service deletes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinfang.org.models import Region, Unit


class Channel(models.TextChoices):
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    ONLINE = "online", _("online")
    PHONE = "phone", _("phone")
    FAX = "fax", _("fax")
    TRANSFERRED = "transferred", _("transferred from above")


class MatterType(models.TextChoices):
    SUGGESTION = "suggestion", _("建议意见 (suggestion or opinion)")
    ACCUSATION = "accusation", _("检举控告 (report or accusation)")
    REQUEST = "request", _("申诉求决 (complaint or request)")


class State(models.TextChoices):
    REGISTERED = "registered", _("registered")
    FORWARDED = "forwarded", _("forwarded")
    ASSIGNED = "assigned", _("assigned")
    ACCEPTED = "accepted", _("accepted")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    GUIDED = "guided", _("guided to the legal channel")
    IN_HANDLING = "in_handling", _("in handling")
    REPLIED = "replied", _("replied")
    REVIEW_REQUESTED = "review_requested", _("review requested")
    REVIEWED = "reviewed", _("reviewed")
    RE_REVIEW_REQUESTED = "re_review_requested", _("re-review requested")
    RE_REVIEWED = "re_reviewed", _("re-reviewed")
    LINKED = "linked", _("linked as a repeat")
    CLOSED = "closed", _("closed")


# States in which the office still owes the petitioner something.
OPEN_STATES = frozenset(
    {
        State.REGISTERED,
        State.FORWARDED,
        State.ASSIGNED,
        State.ACCEPTED,
        State.IN_HANDLING,
        State.REVIEW_REQUESTED,
        State.RE_REVIEW_REQUESTED,
    }
)


class Decision(models.TextChoices):
    SUPPORT = "support", _("支持 (supported)")
    EXPLAIN = "explain", _("解释说明 (explained)")
    REJECT = "reject", _("不予支持 (not supported)")


class ReviewOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    CHANGED = "changed", _("changed")
    REVOKED = "revoked", _("revoked, to be handled again")


class LegalChannel(models.TextChoices):
    LITIGATION = "litigation", _("litigation")
    ARBITRATION = "arbitration", _("arbitration")
    RECONSIDERATION = "reconsideration", _("administrative reconsideration")
    OTHER = "other", _("other legal procedure")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意 (satisfied)")
    BASICALLY = "basically", _("基本满意 (basically satisfied)")
    UNSATISFIED = "unsatisfied", _("不满意 (unsatisfied)")


class Category(models.Model):
    """Subject category of the office's taxonomy."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """Last matter number issued per registering office and year (gap-free numbering)."""

    office = models.ForeignKey(Unit, models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="numbersequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class MatterQuerySet(models.QuerySet["Matter"]):
    def open(self) -> MatterQuerySet:
        return self.filter(state__in=OPEN_STATES)


class Matter(models.Model):
    office = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="registered_matters",
        verbose_name=_("registering office"),
    )
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=40, unique=True)
    query_code = models.CharField(_("query code"), max_length=16, unique=True)

    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"))
    registered_at = models.DateTimeField(_("registered"))
    source_reference = models.CharField(
        _("reference of the body that transferred it"), max_length=100, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    type = models.CharField(_("type"), max_length=12, choices=MatterType.choices)
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    is_collective = models.BooleanField(_("collective"), default=False)
    head_count = models.PositiveIntegerField(_("number of people"), default=1)

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REGISTERED
    )
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="lead_matters", verbose_name=_("responsible unit")
    )
    co_units = models.ManyToManyField(
        Unit, through="CoHandling", related_name="co_handled_matters", blank=True
    )
    accused_units = models.ManyToManyField(
        Unit,
        related_name="accusing_matters",
        blank=True,
        verbose_name=_("units accused"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_matters",
        verbose_name=_("owning leader"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_matters",
        verbose_name=_("handler"),
    )
    review_unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="reviewed_matters"
    )
    re_review_unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="re_reviewed_matters"
    )
    repeat_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    simplified = models.BooleanField(_("simplified handling"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("approved extension (days)"), default=0)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    legal_channel = models.CharField(max_length=16, choices=LegalChannel.choices, blank=True)
    is_final = models.BooleanField(
        _("closed for good"),
        default=False,
        help_text=_("After re-review the same facts are not accepted again (art. 36 ¶3)."),
    )
    # The nearest due date of the running clocks the office owes, kept for sorting worklists.
    # Always recomputed from the events; `xinfang check` verifies it has not drifted.
    due_date = models.DateField(_("next due date"), null=True, blank=True)
    calendar_warning = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    # The head of the timeline's hash chain: a deleted last event is caught by comparing it.
    last_event_seq = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "seq"], name="matter_number_unique"),
            models.CheckConstraint(condition=Q(head_count__gte=1), name="matter_head_count_min"),
            models.CheckConstraint(
                condition=Q(extension_days__lte=30), name="matter_extension_max_30"
            ),
            models.CheckConstraint(condition=~Q(content=""), name="matter_content_not_empty"),
        ]
        indexes = [
            # A unit's worklist: its open matters by nearest due date.
            models.Index(fields=["lead_unit", "state", "due_date"], name="matter_worklist"),
            # Office-wide deadline views: everything due soon or overdue.
            models.Index(fields=["state", "due_date"], name="matter_state_due"),
            # Lists by time received and the registering office's ledger.
            models.Index(fields=["office", "received_at"], name="matter_office_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CoHandling(models.Model):
    matter = models.ForeignKey(Matter, models.PROTECT)
    unit = models.ForeignKey(Unit, models.PROTECT)
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "unit"], name="cohandling_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} + {self.unit_id}"


class Petitioner(models.Model):
    """A person who submitted the matter, as they gave their details for this submission.

    Petitioners are recorded per matter, never merged into a person profile. The ID number and
    phone are kept encrypted; matching uses keyed hashes and screens show the masked form.
    """

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="petitioners")
    position = models.PositiveSmallIntegerField(default=0)
    is_representative = models.BooleanField(default=False)
    name = models.CharField(_("name"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    id_sealed = models.TextField(blank=True)
    id_hash = models.CharField(max_length=64, blank=True)
    id_masked = models.CharField(_("ID number"), max_length=18, blank=True)

    class Meta:
        ordering = ["position"]
        indexes = [
            # Repeat detection: submissions by the same person (art. 19 ¶3).
            models.Index(fields=["id_hash"], name="petitioner_id_hash"),
            models.Index(fields=["phone_hash"], name="petitioner_phone_hash"),
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    CLASSIFIED = "classified", _("classification corrected")
    FORWARDED = "forwarded", _("forwarded")
    ASSIGNED = "assigned", _("assigned")
    OBJECTED = "objected", _("objected as not competent")
    ACCEPTED = "accepted", _("accepted")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    GUIDED = "guided", _("guided to the legal channel")
    OWNERS_ASSIGNED = "owners_assigned", _("leader and handler assigned")
    CO_UNITS_SET = "co_units_set", _("co-handling units set")
    INTEREST_DECLARED = "interest_declared", _("interest declared")
    EXTENSION_REQUESTED = "extension_requested", _("extension requested")
    EXTENSION_APPROVED = "extension_approved", _("extension approved")
    EXTENSION_REFUSED = "extension_refused", _("extension refused")
    REPLIED = "replied", _("replied")
    REVIEW_REQUESTED = "review_requested", _("review requested")
    REVIEWED = "reviewed", _("review decided")
    RE_REVIEW_REQUESTED = "re_review_requested", _("re-review requested")
    HEARING = "hearing", _("hearing held")
    RE_REVIEWED = "re_reviewed", _("re-review decided")
    LINKED = "linked", _("linked as a repeat")
    RATED = "rated", _("rated by the petitioner")
    ATTACHED = "attached", _("attachment added")
    NOTE = "note", _("note")
    DOCUMENT_ISSUED = "document_issued", _("document issued")
    CLOSED = "closed", _("closed")


class Event(models.Model):
    """One step on a matter's timeline. Append-only and hash-chained per matter."""

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")
    occurred_at = models.DateTimeField(_("when"))
    recorded_at = models.DateTimeField()
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(
        default=True, help_text=_("Shown to the petitioner on the public side.")
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["matter_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "seq"], name="event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}#{self.seq} {self.kind}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is the checksum: no petitioner text ends up in a path on disk.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    matter = models.ForeignKey(Matter, models.PROTECT, related_name="attachments")
    event = models.ForeignKey(Event, models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Evaluation(models.Model):
    matter = models.OneToOneField(Matter, models.PROTECT, related_name="evaluation")
    rating = models.CharField(max_length=12, choices=Rating.choices)
    comment = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.rating}"


class Interest(models.Model):
    """A declared conflict of interest: the person may not lead or handle the matter (art. 28)."""

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "user"], name="interest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.user_id}"
