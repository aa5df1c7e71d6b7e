from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims import views as claim_views
from newsdesk import views as newsdesk_views

admin.site.site_header = "Newsdesk administration"
admin.site.site_title = "Newsdesk admin"
admin.site.index_title = "Articles, claims and their history"

urlpatterns = [
    path("", claim_views.dashboard, name="dashboard"),
    path("claims/", include("claims.urls")),
    # Links between claims of different articles, posted from a claim's page.
    path("claims/", include("related.urls")),
    path("articles/", include("articles.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", newsdesk_views.healthz, name="healthz"),
]

handler400 = "newsdesk.views.bad_request"
handler500 = "newsdesk.views.server_error"
