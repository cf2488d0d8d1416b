"""The actors of a site (under /sites/<id>/acteurs/): join, my themes, leave, add, invite."""

from django.urls import path

from sitepages import views_actors

urlpatterns = [
    path("<int:pk>/acteurs/rejoindre/", views_actors.actor_join, name="site_actor_join"),
    path("<int:pk>/acteurs/quitter/", views_actors.actor_leave, name="site_actor_leave"),
    path("<int:pk>/acteurs/ajouter/", views_actors.actor_add, name="site_actor_add"),
    path("<int:pk>/acteurs/inviter/", views_actors.actor_invite, name="site_actor_invite"),
]
