"""The actions (mounted under /actions/)."""

from django.urls import path

from actions import views, views_export

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("export/", views_export.action_export, name="export"),
    path("nouvelle/", views.action_create, name="create"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/modifier/", views.action_edit, name="edit"),
    path("<int:pk>/financements/", views.action_finances, name="finances"),
    path(
        "<int:pk>/financements/lecteurs/",
        views.action_finance_readers,
        name="finance_readers",
    ),
    path("<int:pk>/indicateurs/<int:year>/", views.action_indicators, name="indicators"),
    path("<int:pk>/historique/", views.action_history, name="history"),
    path("<int:pk>/pilotage/", views.pilot_request, name="pilot_request"),
    path(
        "<int:pk>/pilotage/<int:request_id>/",
        views.pilot_request_decide,
        name="pilot_request_decide",
    ),
]
