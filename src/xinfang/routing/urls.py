from django.urls import path

from xinfang.routing import views

app_name = "routing"
urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("rules/defaults/", views.rules_defaults, name="rules_defaults"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/deactivate/", views.rule_deactivate, name="rule_deactivate"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster"),
]
