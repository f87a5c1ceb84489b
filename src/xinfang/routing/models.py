"""Routing rules, trained classifier versions, clusters of matters about one problem, and the
indexes that keep repeat and cluster look-ups fast at a million matters.

Clusters group matters, never people: nothing here scores, ranks or flags a petitioner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinfang.matters.models import Category, Matter, MatterType
from xinfang.org.models import Region, Unit


class RoutingRule(models.Model):
    """One row of an office's routing table: matters of this category (and type), arising in
    this region, go to this unit (归口办理、属地管理, arts. 5, 22). Blank fields match anything;
    the most specific matching row wins."""

    office = models.ForeignKey(
        Unit, models.PROTECT, related_name="routing_rules", verbose_name=_("office")
    )
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    matter_type = models.CharField(_("type"), max_length=12, choices=MatterType.choices, blank=True)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_("Matters arising in this region and below; empty: anywhere."),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["office", "category__position", "matter_type", "region__code"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        indexes = [
            # Rule resolution: the office's active rules, read whole (a few dozen rows).
            models.Index(fields=["office", "is_active"], name="routingrule_office"),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.region or '*'} → {self.unit}"

    @property
    def specificity(self) -> int:
        return (
            (4 if self.category_id else 0)
            + (2 if self.region_id else 0)
            + (1 if self.matter_type else 0)
        )


class ModelVersion(models.Model):
    """A classifier trained on an office's confirmed routings, stored as a file under the
    model directory. The server uses the newest active version of the office."""

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    trained_at = models.DateTimeField()
    items = models.PositiveIntegerField()
    segmentation = models.CharField(max_length=20, default="chars")
    metrics = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["office", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="modelversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} v{self.number}"


class Confirmation(models.Model):
    """What a registrar confirmed for a matter (type, category, unit): training data, kept
    even when the matter is later forwarded on."""

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="+")
    office = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    type = models.CharField(max_length=12, choices=MatterType.choices)
    category = models.ForeignKey(Category, models.PROTECT, null=True, blank=True)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    suggested_unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Training reads an office's confirmations.
            models.Index(fields=["office", "confirmed_at"], name="confirmation_office"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} → {self.unit_id}"


class IdentityKey(models.Model):
    """Keyed hashes of who submitted a matter (ID number, phone, name with address), one row
    each: the index repeat detection (art. 19 ¶3) looks up. Hashes only, no plain identifier."""

    key = models.CharField(max_length=64)
    matter = models.ForeignKey(Matter, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "matter"], name="identitykey_unique"),
        ]
        # The unique constraint's index (key, matter) serves find_repeats: key IN (...).

    def __str__(self) -> str:
        return f"{self.key[:8]}… → {self.matter_id}"


class Indexed(models.Model):
    """A matter that the routing indexes have taken in (repeats, clusters)."""

    matter = models.OneToOneField(Matter, models.CASCADE, primary_key=True, related_name="+")
    indexed_at = models.DateTimeField()
    entities = models.JSONField(default=list, blank=True)
    # The subject as registered, or as the keyword rules read it: clusters need agreement.
    subject = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return str(self.matter_id)


class Posting(models.Model):
    """A distinctive term of a matter (a named company, compound, factory, road, village...),
    hashed to 63 bits: cluster candidates are the recent matters sharing one."""

    term = models.BigIntegerField()
    matter = models.ForeignKey(Matter, models.CASCADE, related_name="+")
    received_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "matter"], name="posting_unique"),
        ]
        indexes = [
            # Cluster look-up: the newest matters sharing a term, within the time window.
            models.Index(fields=["term", "-received_on"], name="posting_term_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.matter_id}"


class Cluster(models.Model):
    """Matters of different petitioners about one underlying problem (联合办案, art. 24).

    It keeps no count: a user is shown only the members they may see, counted on reading.
    Accusations (检举控告) are never members."""

    label = models.CharField(_("problem"), max_length=100)
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    created_at = models.DateTimeField()
    last_at = models.DateTimeField(_("latest matter"))
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_at"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        indexes = [
            # The clusters list: the most recently active first.
            models.Index(fields=["-last_at"], name="cluster_recent"),
        ]

    def __str__(self) -> str:
        return self.label


class ClusterMember(models.Model):
    matter = models.OneToOneField(Matter, models.CASCADE, related_name="routing_cluster")
    cluster = models.ForeignKey(Cluster, models.CASCADE, related_name="members")
    score = models.FloatField()
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.matter_id} ∈ {self.cluster_id}"
