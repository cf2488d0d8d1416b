"""Child rows edited with the site form: owners and site actors (modelcluster formsets, kept in
memory until the revision is published)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from modelcluster.forms import BaseChildFormSet, childformset_factory

from directory.models import User
from directory.permission_matrix import Feature
from sitepages.forms.fields import UserByEmailField
from sitepages.models import SiteActor, SiteOwner, SitePage


class OwnerForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = SiteOwner
        fields = ["type", "name"]


class ActorForm(DsfrBaseForm, forms.ModelForm):
    user = UserByEmailField(
        label=_("Email address of the user"),
        help_text=_("A user of the platform. Format: name@example.fr"),
    )

    class Meta:
        model = SiteActor
        fields = ["user", "themes"]

    def clean_themes(self):
        # "Choose at least one theme" is the model's rule (SiteActor.clean).
        return list(dict.fromkeys(self.cleaned_data.get("themes") or []))


class ActorFormSet(BaseChildFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The actors' email addresses in one query (not one per row).
        forms = [form for form in self.forms if form.instance.user_id]
        emails = dict(
            User.objects.filter(pk__in=[form.instance.user_id for form in forms]).values_list(
                "pk", "email"
            )
        )
        for form in forms:
            form.initial["user"] = emails.get(form.instance.user_id, "")

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            user = form.cleaned_data.get("user")
            if user is None:
                continue
            if user.pk in seen:
                form.add_error("user", _("This user is already an actor of the site."))
            seen.add(user.pk)


OwnerFormSet = childformset_factory(
    SitePage, SiteOwner, form=OwnerForm, fields=["type", "name"], extra=1, can_delete=True
)
ActorFormSet = childformset_factory(
    SitePage,
    SiteActor,
    form=ActorForm,
    formset=ActorFormSet,
    fields=["user", "themes"],
    extra=1,
    can_delete=True,
)


def apply(formset) -> None:
    """Put the formset's rows on its (unsaved) site: kept in memory, saved with the revision."""
    formset.save(commit=False)


def child_formsets(form, data=None, *, instance):
    """The child rows a site form edits: owners where the user may see them, and actors (only
    the saved section's, when the form saves one section)."""
    formsets = {}
    section = getattr(form, "section", None)
    if form.may_see(Feature.SITE_OWNERS) and section in (None, "owners"):
        formsets["owners"] = OwnerFormSet(data, instance=instance, prefix="owners")
    if section in (None, "actors"):
        formsets["actors"] = ActorFormSet(data, instance=instance, prefix="actors")
    return formsets


def form_fields(form, formsets):
    """The names of what a site form edits: its fields and its child rows."""
    return [name for name in form.fields if name != "base_revision"] + list(formsets)
