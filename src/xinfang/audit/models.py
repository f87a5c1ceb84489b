"""Who looked at a petitioner's unmasked identifiers, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("phone")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    matter = models.ForeignKey("matters.Matter", models.PROTECT, related_name="+")
    petitioner = models.ForeignKey("matters.Petitioner", models.PROTECT, related_name="+")
    field = models.CharField(max_length=12, choices=Field.choices)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The audit page of one matter, newest first.
            models.Index(fields=["matter", "-at"], name="accesslog_matter_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.field} {self.petitioner_id}"
