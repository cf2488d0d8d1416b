"""Moderation forms: every decision about someone else's message comes with a reason, sent to
its author."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from machina.apps.forum_moderation.forms import TopicMoveForm as BaseTopicMoveForm

REASON_MAX_LENGTH = 1000


def reason_field():
    return forms.CharField(
        label=_("Reason"),
        help_text=_("Sent to the author of the message by email and in their notifications."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason of your decision to the author.")},
    )


class ModerationReasonForm(DsfrBaseForm):
    reason = reason_field()


class TopicMoveForm(DsfrBaseForm, BaseTopicMoveForm):
    """machina's move form with a plain select of the other themes (machina's widget with
    disabled options does not render with the State design system)."""

    forum = forms.ChoiceField(
        label=_("Destination theme"),
        error_messages={"invalid_choice": _("Choose another theme for this question.")},
    )
    lock_topic = forms.BooleanField(label=_("Also lock the question"), required=False)
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [("", _("Choose a theme"))] + [
            (forum.pk, forum.name)
            for forum in self.allowed_forums
            if forum.is_forum and forum.pk != self.topic.forum_id
        ]

    def clean_forum(self):
        forum_id = self.cleaned_data.get("forum")
        allowed = {str(forum.pk): forum for forum in self.allowed_forums if forum.is_forum}
        forum = allowed.get(str(forum_id))
        if forum is None or forum.pk == self.topic.forum_id:
            raise forms.ValidationError(_("Choose another theme for this question."))
        return forum
