"""The full-text search index over matters (see xinfang/desk/search.py): an FTS5 table on SQLite,
a tsvector table with a GIN index on PostgreSQL; filled from the matters already there."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from xinfang.desk import search

    search.create_index(schema_editor.connection)
    Matter = apps.get_model("matters", "Matter")
    rows = Matter.objects.order_by("pk").values_list("pk", "title", "content").iterator(2000)
    search.rebuild(rows, schema_editor.connection)


def drop(apps: Any, schema_editor: Any) -> None:
    from xinfang.desk import search

    search.drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
