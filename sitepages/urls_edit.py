"""Front-end forms of the sites (under /sites/): declare, edit, visit, close, history, decrees;
and the printable sheet."""

from django.urls import include, path

from sitepages import views_delete, views_edit, views_follow, views_sheet

urlpatterns = [
    path("nouveau/", views_edit.site_create, name="site_create"),
    path("<int:pk>/modifier/", views_edit.site_edit, name="site_edit"),
    path("<int:pk>/visite/", views_edit.site_visit, name="site_visit"),
    path("<int:pk>/suivre/", views_follow.site_follow, name="site_follow"),
    path("", include("sitepages.urls_actors")),
    path("<int:pk>/supprimer/", views_delete.site_delete, name="site_delete"),
    path("<int:pk>/fermeture/", views_edit.site_close, name="site_close"),
    path("<int:pk>/historique/", views_edit.site_history, name="site_history"),
    path("<int:pk>/fiche/", views_sheet.site_sheet, name="site_sheet"),
    path("<int:pk>/fiche.docx", views_sheet.site_sheet_docx, name="site_sheet_docx"),
    path("<int:pk>/arretes/", views_edit.site_attachments, name="site_attachments"),
    path(
        "<int:pk>/arretes/<int:attachment_id>/",
        views_edit.attachment_download,
        name="site_attachment_download",
    ),
    path(
        "<int:pk>/arretes/<int:attachment_id>/supprimer/",
        views_edit.attachment_delete,
        name="site_attachment_delete",
    ),
]
