"""Site URLs outside Wagtail's page tree: list, map, forms, history (under /sites/)."""

from django.urls import include, path

urlpatterns = [
    path("", include("sitepages.urls_list")),
    path("", include("sitepages.urls_edit")),
]
