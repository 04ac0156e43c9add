from django.contrib import admin
from django.urls import include, path

from motcua.api import api
from motcua.org.signin import AdminSignInForm

admin.site.site_header = "Quản trị hệ thống một cửa"
admin.site.site_title = "motcua"
admin.site.index_title = "Cấu hình"
# The admin's sign-in is throttled and locked out like the staff pages' (motcua.org.signin).
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("queue/", include("motcua.queueing.urls")),
    path("can-bo/", include("motcua.dossiers.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("", include("motcua.citizens.urls")),
    path("", include("motcua.portal.urls")),
]

handler404 = "motcua.core.views.page_not_found"
handler500 = "motcua.core.views.server_error"
