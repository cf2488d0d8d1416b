"""machina's post and topic forms, rendered with the State design system's field templates."""

from django import forms
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr
from machina.apps.forum_conversation.forms import PostForm as BasePostForm
from machina.apps.forum_conversation.forms import TopicForm as BaseTopicForm


def _hide_unused_fields(form):
    # Signatures are not used on the platform; machina's save() still reads the field.
    if "enable_signature" in form.fields:
        form.fields["enable_signature"].widget = forms.HiddenInput()
    # Only moderators choose between several topic types (standard, sticky, announcement).
    topic_type = form.fields.get("topic_type")
    if topic_type is not None and len(topic_type.choices) <= 1:
        topic_type.widget = forms.HiddenInput()
    for field in form.visible_fields():  # DSFR classes and group classes (as DsfrBaseForm does)
        dsfr_input_class_attr(field)


class PostForm(BasePostForm):
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _hide_unused_fields(self)


class TopicForm(BaseTopicForm):
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _hide_unused_fields(self)
