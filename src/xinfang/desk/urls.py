from django.urls import path

from xinfang.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.matter_list_view, name="list"),
    path("matters/new/", views.register, name="register"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path(
        "matters/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("matters/<int:pk>/<slug:action>/", views.matter_action, name="action"),
]
