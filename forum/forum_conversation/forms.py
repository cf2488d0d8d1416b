"""machina's post and topic forms, rendered with the State design system's field templates.

A topic is a question: its form also asks for its themes (`Topic.tags`). Locking a topic is done
from the moderation page only, where the moderator gives a reason sent to the author.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr
from machina.apps.forum_conversation.forms import PostForm as BasePostForm
from machina.apps.forum_conversation.forms import TopicForm as BaseTopicForm

from directory.enums import Topic as Theme
from forum.forum_conversation.signals import send_topic_changed


def _hide_unused_fields(form):
    # Signatures are not used on the platform; machina's save() still reads the field.
    if "enable_signature" in form.fields:
        form.fields["enable_signature"].widget = forms.HiddenInput()
    # Only moderators choose between several topic types (standard, sticky, announcement).
    topic_type = form.fields.get("topic_type")
    if topic_type is not None and len(topic_type.choices) <= 1:
        topic_type.widget = forms.HiddenInput()
    form.fields.pop("lock_topic", None)
    for field in form.visible_fields():  # DSFR classes and group classes (as DsfrBaseForm does)
        dsfr_input_class_attr(field)


class PostForm(BasePostForm):
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].label = _("Title")
        self.fields["content"].label = _("Message")
        self.fields["content"].help_text = _(
            "Markdown is accepted: **bold**, *italics*, lists, [link](https://…)."
        )
        _hide_unused_fields(self)


class TopicForm(BaseTopicForm):
    bound_field_class = DsfrBoundField

    tags = forms.MultipleChoiceField(
        label=_("Themes"),
        help_text=_("Choose the themes of your question, so that the right people find it."),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].label = _("Your question")
        self.fields["content"].label = _("Details")
        self.fields["content"].help_text = _(
            "Describe your situation. Markdown is accepted: **bold**, *italics*, lists."
        )
        if self.instance.pk:
            self.fields["tags"].initial = list(self.instance.topic.tags)
        # Themes come right after the question's title.
        self.order_fields(["subject", "tags", "content"])
        _hide_unused_fields(self)

    def create_topic(self):
        topic = super().create_topic()
        topic.tags = self.cleaned_data.get("tags") or []
        return topic

    def update_topic(self, topic):
        super().update_topic(topic)
        tags = self.cleaned_data.get("tags") or []
        if list(topic.tags) != tags:
            topic.tags = tags
            type(topic).objects.filter(pk=topic.pk).update(tags=tags)
            send_topic_changed(topic)
