"""Keep the search index in step with the matters (see search.py for why signals, not triggers).

Services save matters with update_fields that never include the title or the content, so the
index is written once, at registration, in the registration's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from xinfang.desk import search
from xinfang.matters.models import Matter

_TEXT_FIELDS = frozenset({"title", "content"})


def _touches_text(update_fields: Any) -> bool:
    return update_fields is None or bool(_TEXT_FIELDS & set(update_fields))


@receiver(pre_save, sender=Matter, dispatch_uid="desk_search_old_text")
def remember_old_text(sender: type[Matter], instance: Matter, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw") or not _touches_text(kwargs.get("update_fields")):
        return
    old = Matter.objects.filter(pk=instance.pk).values_list("title", "content").first()
    instance._desk_indexed_text = old  # type: ignore[attr-defined]


@receiver(post_save, sender=Matter, dispatch_uid="desk_search_index")
def index_text(sender: type[Matter], instance: Matter, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata: rows as they are; run `xinfang search_index rebuild` afterwards
    if not created and not _touches_text(kwargs.get("update_fields")):
        return
    old = getattr(instance, "_desk_indexed_text", None)
    if not created and old == (instance.title, instance.content):
        return
    search.index_matter(instance.pk, instance.title, instance.content, old=old)
    instance._desk_indexed_text = (instance.title, instance.content)  # type: ignore[attr-defined]
