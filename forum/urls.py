"""Forum URLs answered by the platform before machina's (`cms/urls.py` mounts this first under
the same prefix): reviewed versions of machina views, and machina features not offered (404).
Every other machina URL is machina's view or one of the overridden apps' (`forum/forum_*`);
`tests/forum/test_machina_urls.py` checks each one is reviewed or answers 404."""

from django.urls import path

from forum import member

urlpatterns = [
    path("member/profile/<str:pk>/posts/", member.UserPostsView.as_view()),
    path("member/subscriptions/", member.TopicSubscriptionListView.as_view()),
    path("member/topic/<int:pk>/subscribe/", member.TopicSubscribeView.as_view()),
    path("member/topic/<int:pk>/unsubscribe/", member.TopicUnsubscribeView.as_view()),
    path("member/profile/edit/", member.not_offered),  # signatures and avatars are not used
    path("poll/<int:pk>/vote/", member.not_offered),
]
