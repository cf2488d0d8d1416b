from django.urls import path

from journal import views, views_audience, views_export

app_name = "journal"
urlpatterns = [
    path("moderation/", views.moderation_queue, name="moderation"),
    path("export/", views_export.journal_export, name="export"),
    path("site/<int:site_id>/", views.site_stream, name="site"),
    path("site/<int:site_id>/publier/", views.post, name="post"),
    path(
        "site/<int:site_id>/destinataires/",
        views_audience.audience_users_search,
        name="audience_users",
    ),
    path("action/<int:action_id>/", views.action_stream, name="action"),
    path("action/<int:action_id>/publier/", views.post_action, name="post_action"),
    path(
        "action/<int:action_id>/destinataires/",
        views_audience.audience_users_search,
        name="audience_users_action",
    ),
    path("message/<int:pk>/", views.entry_detail, name="entry"),
    path("message/<int:pk>/modifier/", views.edit, name="edit"),
    path("message/<int:pk>/supprimer/", views.delete, name="delete"),
    path("message/<int:pk>/signaler/", views.report, name="report"),
    path("message/<int:pk>/masquer/", views.hide, name="hide"),
    path("message/<int:pk>/retablir/", views.restore, name="restore"),
    path("message/<int:pk>/classer/", views.dismiss, name="dismiss"),
    path("piece-jointe/<int:pk>/", views.attachment, name="attachment"),
]
