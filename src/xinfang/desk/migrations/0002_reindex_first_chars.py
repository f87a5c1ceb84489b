"""Re-index every matter: the index now holds the first search.INDEXED_CHARS characters of the
title and content, and at most search.MAX_POSITIONS occurrences of a bigram, on both databases
(PostgreSQL's tsvector limits, made the same on SQLite)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def reindex(apps: Any, schema_editor: Any) -> None:
    from xinfang.desk import search

    Matter = apps.get_model("matters", "Matter")
    rows = Matter.objects.order_by("pk").values_list("pk", "title", "content").iterator(2000)
    search.rebuild(rows, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_search_index")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
