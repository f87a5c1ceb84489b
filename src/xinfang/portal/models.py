"""Abuse resistance for the public side, kept in the database so every app server shares it.

Neither table holds anything about a person: clients are counted under a keyed hash of their
address, matter numbers under a keyed hash too, and rows older than a day are dropped.
"""

from __future__ import annotations

from django.db import models


class RateWindow(models.Model):
    """How many times `key` (e.g. failed look-ups from one client) happened in one window."""

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index of the one query: this key's count in the current window.
            models.UniqueConstraint(fields=["key", "window_start"], name="ratewindow_unique"),
        ]
        indexes = [
            # Dropping windows older than a day.
            models.Index(fields=["window_start"], name="ratewindow_start"),
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class UsedChallenge(models.Model):
    """A challenge answered (rightly or wrongly): each is good for one try only."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Dropping the records of challenges long expired.
            models.Index(fields=["used_at"], name="usedchallenge_used_at"),
        ]

    def __str__(self) -> str:
        return self.nonce
