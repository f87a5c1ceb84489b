from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "xinfang.routing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Matters are registered by xinfang.matters, which this app may not change: a matter
        # joins the repeat and cluster indexes through a post_save hook run after commit.
        from django.db.models.signals import post_save

        from xinfang.matters.models import Matter
        from xinfang.routing.services.indexing import on_matter_saved

        post_save.connect(on_matter_saved, sender=Matter, dispatch_uid="routing-index")
