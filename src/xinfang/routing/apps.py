from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "xinfang.routing"
    default_auto_field = "django.db.models.BigAutoField"
