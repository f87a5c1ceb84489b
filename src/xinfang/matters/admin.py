"""Matters are changed only through the lifecycle services: the admin shows, never edits."""

from __future__ import annotations

from django.contrib import admin

from xinfang.matters.models import Category, Matter


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "lead_unit", "due_date", "received_at"]
    list_filter = ["state", "type", "channel"]
    search_fields = ["number", "title"]
    # Petitioners' identifiers are not shown here at all; the API's reveal is logged.
    fields = (
        "number",
        "title",
        "content",
        "type",
        "channel",
        "state",
        "office",
        "lead_unit",
        "received_at",
        "due_date",
        "version",
    )
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
