from __future__ import annotations

from django.contrib import admin

from xinfang.org.models import Membership, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "level", "region", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region", "parent"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Units carry matters for years: deactivate instead.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
