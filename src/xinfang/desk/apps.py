from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "xinfang.desk"
    label = "desk"
    verbose_name = _("Staff workbench")

    def ready(self) -> None:
        from xinfang.desk import signals  # noqa: F401  (connects the search index)
