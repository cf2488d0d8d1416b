"""machina's topics and posts, extended for "Entraide" questions.

A topic is a question: it carries themes (`tags`, the platform's action topics) and may be marked
solved by its author or a moderator, pointing at the accepted answer. Declared before machina's own
models module is imported, so that machina's model factory keeps these classes.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from machina.apps.forum_conversation.abstract_models import AbstractPost, AbstractTopic

from directory.enums import Topic as Theme


class Topic(AbstractTopic):
    tags = ArrayField(
        models.CharField(max_length=32, choices=Theme.choices),
        verbose_name=_("themes"),
        default=list,
        blank=True,
    )
    solved_post = models.ForeignKey(
        "forum_conversation.Post",
        verbose_name=_("accepted answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    solved_at = models.DateTimeField(_("solved on"), null=True, blank=True)
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked solved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(AbstractTopic.Meta):
        pass

    @property
    def is_solved(self) -> bool:
        return self.solved_post_id is not None

    def get_tags_display(self) -> list:
        labels = dict(Theme.choices)
        return [labels[tag] for tag in self.tags if tag in labels]


class Post(AbstractPost):
    class Meta(AbstractPost.Meta):
        pass

    def save(self, *args, **kwargs):
        """machina's save, then `post_published` when the post becomes visible (created approved,
        or approved by a moderator), once machina has updated the topic (first post, approval)."""
        was_approved = bool(
            self.pk and type(self).objects.filter(pk=self.pk, approved=True).exists()
        )
        super().save(*args, **kwargs)
        if self.approved and not was_approved:
            from forum.forum_conversation.signals import post_published

            post_published.send(sender=type(self), post=self)


class ThemeSubscription(models.Model):
    """A user who wants to hear of every new question asked in a forum (a theme)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_theme_subscriptions"
    )
    forum = models.ForeignKey(
        "forum.Forum", on_delete=models.CASCADE, related_name="theme_subscriptions"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme subscription")
        verbose_name_plural = _("theme subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "forum"], name="unique_theme_subscription")
        ]


from machina.apps.forum_conversation.models import *  # noqa: E402, F403
