from django.urls import path

from activity import views

app_name = "activity"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/lue/", views.notification_mark_read, name="mark_read"),
    path("tout-lu/", views.notification_mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences_view, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("activite/", views.activity_feed_view, name="feed"),
]
