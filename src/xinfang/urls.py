from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from xinfang.api.api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("portal/", include("xinfang.portal.urls")),
    path("routing/", include("xinfang.routing.urls")),
    path("reports/", include("xinfang.reports.urls")),
    path("", include("xinfang.desk.urls")),
]
