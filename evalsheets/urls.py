from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "evalsheets 管理"
admin.site.site_title = "evalsheets"
admin.site.index_title = "事務事業分析シートの編集"

handler500 = "evalsheets.views.server_error"  # 503 while the database is unreachable

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("_nested_admin/", include("nested_admin.urls")),
    path("api/", include("programs.api_urls")),
    path("", include("programs.urls")),
]
