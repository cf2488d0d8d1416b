from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views_inbox, views_public
from cms.api import api_router
from core import views

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

inbox_patterns = [
    path("", views_inbox.inbox_list, name="list"),
    path("signalements/", views_inbox.inbox_list, {"kind": "signalements"}, name="reports"),
    path("<slug:kind>/<int:pk>/", views_inbox.inbox_detail, name="detail"),
    path("<slug:kind>/<int:pk>/traite/", views_inbox.inbox_mark_handled, name="mark_handled"),
    path("<slug:kind>/<int:pk>/rouvrir/", views_inbox.inbox_reopen, name="reopen"),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("directory.urls")),
    path("sante/", views.health, name="health"),
    path("entraide/", include("forum.urls")),  # reviewed and disabled machina URLs first
    path("entraide/", include("machina.urls")),
    path("sites/", include("sitepages.urls")),
    path("actions/", include("actions.urls")),
    path("journal/", include("journal.urls")),
    path("notifications/", include("activity.urls")),
    path("recherche/", include("search.urls")),
    path("api/v2/", api_router.urls),
    path("messages-recus/", include((inbox_patterns, "inbox"))),
    path("sitemap.xml", views_public.sitemap, name="sitemap"),
    path("robots.txt", views_public.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else: keep it last.
urlpatterns += [path("", include(wagtail_urls))]
