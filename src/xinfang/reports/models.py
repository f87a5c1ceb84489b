"""Reports' stored records: generated documents (文书) kept exactly as issued, and the
templates offices edit. (Metrics and statistics are computed, never stored.)

Nothing here is updated in place or deleted: a template edit is a new version, and a document
is its stored bytes, checked against their SHA-256 whenever they are served.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinfang.matters.models import Event, Matter
from xinfang.org.models import Unit


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("notice of acceptance")
    NON_ACCEPTANCE = "non_acceptance", _("notice of non-acceptance")
    GUIDANCE = "guidance", _("notice of guidance to a legal channel")
    FORWARDING = "forwarding", _("notice of forwarding or assignment")
    EXTENSION = "extension", _("notice of extension")
    REPLY = "reply", _("written reply")
    REVIEW = "review", _("review decision")
    RE_REVIEW = "re_review", _("re-review decision")
    BULLETIN = "bulletin", _("monthly bulletin")


class DocumentTemplate(models.Model):
    """One version of an office's template for one kind of document.

    The newest version of (unit, kind) is the one in use; older versions stay, and every issued
    document names the version it was made from. Version numbers start at 1 (0 stands for the
    built-in default shipped in code, used until the office saves its own).
    """

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="document_templates")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    version = models.PositiveIntegerField()
    issuer_mark = models.CharField(_("issuer mark"), max_length=60)
    number_prefix = models.CharField(_("number prefix"), max_length=20)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("body"))
    signature = models.CharField(_("signature"), max_length=100)
    seal_text = models.CharField(_("seal placeholder"), max_length=30, blank=True)
    cc = models.CharField(_("copy to"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["unit_id", "kind", "-version"]
        constraints = [
            # Two concurrent edits of the same version: the second insert fails (a 409).
            models.UniqueConstraint(
                fields=["unit", "kind", "version"], name="documenttemplate_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="documenttemplate_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.kind} v{self.version}"


class DocumentSequence(models.Model):
    """Last document number per issuing unit, number prefix (机关代字) and year: gap-free."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "prefix", "year"], name="documentsequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}"


def document_path(instance: Document, filename: str) -> str:
    # Content-addressed like the matters' attachments: no petitioner's name in a path on disk.
    return f"documents/{instance.sha256[:2]}/{instance.sha256}.docx"


class Document(models.Model):
    """A notice or decision letter as issued: its number, its stored .docx and a text copy."""

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    matter = models.ForeignKey(
        Matter, models.PROTECT, null=True, blank=True, related_name="documents"
    )
    # The monthly bulletin's period, "2026-10"; blank for a matter's document.
    period = models.CharField(max_length=7, blank=True)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="documents")
    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=100)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    template = models.ForeignKey(
        DocumentTemplate, models.PROTECT, null=True, blank=True, related_name="documents"
    )
    # 0: the built-in default text.
    template_version = models.PositiveIntegerField(default=0)
    event = models.OneToOneField(
        Event, models.PROTECT, null=True, blank=True, related_name="document"
    )
    file = models.FileField(upload_to=document_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    text = models.TextField(_("text"))
    to_petitioner = models.BooleanField(_("addressed to the petitioner"), default=False)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "prefix", "year", "seq"], name="document_number_unique"
            ),
            # A bulletin belongs to no matter; every other document to exactly one.
            models.CheckConstraint(
                condition=(Q(kind="bulletin") & Q(matter__isnull=True) & ~Q(period=""))
                | (~Q(kind="bulletin") & Q(matter__isnull=False)),
                name="document_matter_or_bulletin",
            ),
        ]
        indexes = [
            # The matter page's Documents panel: a matter's documents, newest first.
            models.Index(fields=["matter", "issued_at"], name="document_matter"),
            # The bulletins page: a unit's bulletins by period.
            models.Index(fields=["unit", "kind", "period"], name="document_unit_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def filename(self) -> str:
        return f"{self.number}{self.title}.docx"
