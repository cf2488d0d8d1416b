"""`/api/v1/` (and the account page's token screens, under /mon-compte/jetons-api/)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import (
    views,
    views_actions,
    views_docs,
    views_forum,
    views_journal,
    views_search,
    views_sites_write,
    views_tokens,
)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("documentation/", views_docs.api_docs, name="docs"),
    path("moi/", views.Me.as_view(), name="me"),
    path("territoires/regions/", views.RegionList.as_view(), name="regions"),
    path("territoires/departements/", views.DepartmentList.as_view(), name="departments"),
    path("organisations/", views.OrganizationList.as_view(), name="organizations"),
    path("organisations/<int:pk>/", views.OrganizationDetail.as_view(), name="organization"),
    path("utilisateurs/", views.UserList.as_view(), name="users"),
    path("utilisateurs/<int:pk>/", views.UserDetail.as_view(), name="user"),
    path("sites/", views.SiteList.as_view(), name="sites"),
    path("sites/<int:pk>/", views.SiteDetail.as_view(), name="site"),
    path("sites/nouveau/", views_sites_write.SiteCreate.as_view(), name="site_create"),
    path("sites/<int:pk>/modifier/", views_sites_write.SiteUpdate.as_view(), name="site_update"),
    path("sites/<int:pk>/visite/", views_sites_write.SiteVisit.as_view(), name="site_visit"),
    path("sites/<int:pk>/fermer/", views_sites_write.SiteClose.as_view(), name="site_close"),
    path("sites/<int:pk>/historique/", views.SiteHistory.as_view(), name="site_history"),
    path("sites/<int:pk>/journal/", views_journal.SiteJournal.as_view(), name="site_journal"),
    path("actions/<int:pk>/journal/", views_journal.ActionJournal.as_view(), name="action_journal"),
    path("actions/", views_actions.ActionList.as_view(), name="actions"),
    path("actions/<int:pk>/", views_actions.ActionDetail.as_view(), name="action"),
    path("forum/questions/", views_forum.TopicList.as_view(), name="topics"),
    path(
        "forum/questions/<int:pk>/messages/", views_forum.TopicPosts.as_view(), name="topic_posts"
    ),
    path("recherche/", views_search.Search.as_view(), name="search"),
    path(
        "journal/pieces-jointes/<int:pk>/",
        views_journal.JournalAttachment.as_view(),
        name="journal_attachment",
    ),
    path("notifications/", views_journal.NotificationList.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/lue/",
        views_journal.NotificationMarkRead.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/tout-lu/",
        views_journal.NotificationMarkAllRead.as_view(),
        name="notifications_read",
    ),
]

account_patterns = [
    path("", views_tokens.token_list, name="tokens"),
    path("<str:key>/revoquer/", views_tokens.token_revoke, name="token_revoke"),
]
