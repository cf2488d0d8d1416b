"""machina's conversation URLs, plus the platform's: solve a question, follow a theme, and the
redirection of machina's search to the platform's search.

machina includes these patterns at the board's root before its `search/` ones, so the redirection
below answers `forum_search:search`'s URL.
"""

from django.urls import path
from machina.apps.forum_conversation.urls import (
    ForumConversationURLPatternsFactory as BaseURLPatternsFactory,
)

from forum.forum_conversation import views


class ForumConversationURLPatternsFactory(BaseURLPatternsFactory):
    def get_urlpatterns(self):
        return [
            path("search/", views.SearchRedirectView.as_view(), name="search_redirect"),
            path(
                "forum/<str:forum_slug>-<int:forum_pk>/topic/<str:slug>-<int:pk>/solve/",
                views.TopicSolveView.as_view(),
                name="topic_solve",
            ),
            path(
                "forum/<str:forum_slug>-<int:forum_pk>/follow/",
                views.ThemeFollowView.as_view(),
                name="theme_follow",
            ),
            *super().get_urlpatterns(),
        ]


urlpatterns_factory = ForumConversationURLPatternsFactory()
