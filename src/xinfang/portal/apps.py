from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinfang.portal"
    default_auto_field = "django.db.models.BigAutoField"
