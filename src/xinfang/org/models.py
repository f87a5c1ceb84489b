"""Regions, units and the roles people hold in them."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township / street")
    VILLAGE = "village", _("village / community")


# GB/T 2260 gives counties six digits; the statistical division code extends it to nine digits
# for townships and streets and twelve for villages and communities.
CODE_LENGTH = {Level.CITY: 6, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
_PARENT_LEVEL = {
    Level.COUNTY: Level.CITY,
    Level.TOWNSHIP: Level.COUNTY,
    Level.VILLAGE: Level.TOWNSHIP,
}


class Region(models.Model):
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = CODE_LENGTH[Level(self.level)]
        if not re.fullmatch(rf"\d{{{expected}}}", self.code or ""):
            raise ValidationError(
                {
                    "code": _("A %(level)s code has %(n)d digits.")
                    % {"level": Level(self.level).label, "n": expected}
                }
            )
        if self.level == Level.CITY and not self.code.endswith("00"):
            raise ValidationError({"code": _("A city code ends in 00.")})
        parent_level = _PARENT_LEVEL.get(Level(self.level))
        if parent_level is None or (self.level == Level.COUNTY and self.parent is None):
            # A city, or a county deployed on its own, is the root of the tree.
            if self.parent_id is not None and parent_level is None:
                raise ValidationError({"parent": _("A city has no parent region here.")})
            return
        if self.parent is None or self.parent.level != parent_level:
            raise ValidationError({"parent": _("The parent region must be one level up.")})
        prefix = self.parent.code[:4] if self.parent.level == Level.CITY else self.parent.code
        if not self.code.startswith(prefix):
            raise ValidationError({"code": _("The code must extend the parent's code.")})

    @property
    def subtree_prefix(self) -> str:
        """Codes of this region and everything below it start with this prefix."""
        return self.code[:4] if self.level == Level.CITY else self.code


class Unit(models.Model):
    class Kind(models.TextChoices):
        PETITION_OFFICE = "petition_office", _("petition bureau / office")
        DEPARTMENT = "department", _("government department")
        TOWNSHIP = "township", _("township / street government")
        VILLAGE = "village", _("village / community committee")
        SCHOOL = "school", _("school")
        DISCIPLINE = "discipline", _("discipline inspection and supervision")
        JUDICIAL = "judicial", _("court / procuratorate")
        OTHER = "other", _("other body")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(
        _("short name for matter numbers"), max_length=10, unique=True, help_text=_("e.g. 清信")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="units", verbose_name=_("jurisdiction")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def is_petition_office(self) -> bool:
        return self.kind == self.Kind.PETITION_OFFICE

    @property
    def is_discipline(self) -> bool:
        return self.kind == self.Kind.DISCIPLINE


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("registrar")
    HANDLER = "handler", _("handler")
    UNIT_LEAD = "unit_lead", _("unit lead")
    LEADER = "leader", _("leader")
    SUPERVISOR = "supervisor", _("supervisor")
    DISCIPLINE_INSPECTOR = "discipline_inspector", _("discipline inspector")
    DIRECTOR = "director", _("director")
    AUDITOR = "auditor", _("auditor")
    ADMIN = "admin", _("administrator")


# Roles whose scope is the whole jurisdiction of their unit rather than the unit's own tree.
JURISDICTION_ROLES = frozenset({Role.SUPERVISOR, Role.DIRECTOR, Role.AUDITOR, Role.ADMIN})


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    # Capabilities: one place says what each role may do.
    @property
    def can_register(self) -> bool:
        return self.role in {Role.REGISTRAR, Role.UNIT_LEAD, Role.DIRECTOR}

    @property
    def can_route(self) -> bool:
        """Forward, assign, accept, decline, guide, object: the unit's decisions on a matter."""
        return self.role in {Role.REGISTRAR, Role.UNIT_LEAD, Role.DIRECTOR}

    @property
    def can_assign(self) -> bool:
        return self.role in {Role.UNIT_LEAD, Role.DIRECTOR}

    @property
    def can_handle(self) -> bool:
        return self.role in {Role.HANDLER, Role.UNIT_LEAD, Role.DIRECTOR}

    @property
    def can_approve(self) -> bool:
        """Approve extensions and decide reviews: the head of the body."""
        return self.role in {Role.UNIT_LEAD, Role.DIRECTOR}

    @property
    def can_record_for_petitioner(self) -> bool:
        """Record what a petitioner asks or says (a review request, a rating) on their behalf."""
        return self.role in {Role.REGISTRAR, Role.HANDLER, Role.UNIT_LEAD, Role.DIRECTOR}

    @property
    def is_read_only(self) -> bool:
        return self.role in {Role.AUDITOR, Role.SUPERVISOR}
