"""Forms of the directory ("Annuaire"): the search filters and the account administration forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory import perms
from directory.enums import OrganizationCategory, Role, Topic, UserOption, UserStatus
from directory.fields import TerritoryField
from directory.permission_matrix import Feature

SEARCH_MAX_LENGTH = 200
REASON_MAX_LENGTH = 2000
ADMIN_COMMENTS_MAX_LENGTH = 5000

VIEW_ORGANIZATIONS = "organisations"
VIEW_PEOPLE = "personnes"


class DirectoryFilterForm(DsfrBaseForm):
    """The GET form of /annuaire/. Invalid fields are reported and ignored, never fatal."""

    vue = forms.ChoiceField(
        choices=[(VIEW_ORGANIZATIONS, _("Organisations")), (VIEW_PEOPLE, _("People"))],
        required=False,
        widget=forms.HiddenInput,
    )
    q = forms.CharField(
        label=_("Name"),
        help_text=_("Accents and capital letters are ignored."),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    territoire = TerritoryField(
        label=_("Territory"),
        help_text=_("A region, a department, an EPCI or a commune."),
        required=False,
    )
    categorie = forms.ChoiceField(
        label=_("Organisation category"),
        choices=[("", _("All categories")), *OrganizationCategory.choices],
        required=False,
    )
    thematique = forms.ChoiceField(
        label=_("Expertise topic"),
        choices=[("", _("All topics")), *Topic.choices],
        required=False,
    )
    inactifs = forms.BooleanField(
        label=_("Include inactive accounts and organisations"), required=False
    )

    def __init__(self, *args, show_inactive_filter=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_inactive_filter:
            del self.fields["inactifs"]
        self.is_valid()  # fills cleaned_data with the valid fields; errors stay displayed

    @property
    def view(self) -> str:
        return self.cleaned_data.get("vue") or VIEW_ORGANIZATIONS

    @property
    def include_inactive(self) -> bool:
        return bool(self.cleaned_data.get("inactifs"))

    @property
    def territory(self):
        return self.cleaned_data.get("territoire")

    def is_filtered(self) -> bool:
        names = ["q", "territoire", "categorie"]
        if self.view == VIEW_PEOPLE:
            names.append("thematique")
        return any(self.cleaned_data.get(name) for name in names)

    def filter_organizations(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("categorie"):
            queryset = queryset.filter(category=data["categorie"])
        if self.territory is not None:
            queryset = queryset.acting_in(self.territory)
        return queryset

    def filter_users(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("categorie"):
            queryset = queryset.filter(organization__category=data["categorie"])
        if self.territory is not None:
            queryset = queryset.acting_in(self.territory)
        if data.get("thematique"):
            queryset = queryset.filter(expertise_topics__contains=[data["thematique"]])
        return queryset


# --- Account administration ---------------------------------------------------------------------


def is_deactivated(person) -> bool:
    return person.status == UserStatus.INACTIVE or not person.is_active


class DeactivateUserForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason for the deactivation"),
        help_text=_("Kept in the history of the account, visible to administrators only."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the deactivation.")},
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.person is not None
            and not self.person.is_active
            and self.person.status == ("inactive")
        ):
            raise forms.ValidationError(_("This account is already inactive."))
        return cleaned_data


class ReactivateUserForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        cleaned_data = super().clean()
        if self.person is not None and not is_deactivated(self.person):
            raise forms.ValidationError(_("This account is not deactivated."))
        return cleaned_data


class ChangeRoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, admin, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        grantable = set(perms.grantable_roles(admin))
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if value in grantable
        ]
        if person is not None and not self.is_bound:
            self.initial.setdefault("role", person.role)


class ChangeOptionsForm(DsfrBaseForm):
    options = forms.MultipleChoiceField(
        label=_("Options"),
        help_text=_("Rights granted on the person's territory on top of the role."),
        choices=UserOption.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    #: The options when the form was opened ("v1:" then their values, comma-separated).
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None and not self.is_bound:
            self.initial.setdefault("options", list(person.options or []))
            self.initial.setdefault("base", "v1:" + ",".join(sorted(person.options or [])))

    def clean_base(self):
        """The options the form was opened with; None when unknown (not posted, or forged)."""
        value = self.cleaned_data.get("base") or ""
        if not value.startswith("v1:"):
            return None
        options = [option for option in value[3:].split(",") if option]
        if not set(options) <= set(UserOption.values):
            return None
        return options


class MainAreaForm(DsfrBaseForm):
    """Sets the main intervention area of a user: the whole country or one territory."""

    national = forms.BooleanField(label=_("The whole country (national area)"), required=False)
    territory = TerritoryField(
        label=_("Or a territory"),
        help_text=_("A region, a department, an EPCI or a commune."),
        required=False,
    )

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin

    def clean(self):
        cleaned_data = super().clean()
        if "territory" in self.errors:
            return cleaned_data
        national, territory = cleaned_data.get("national"), cleaned_data.get("territory")
        if national and territory is not None:
            raise forms.ValidationError(_("Choose either the whole country or a territory."))
        if not national and territory is None:
            raise forms.ValidationError(_("Choose a territory, or the whole country."))
        place = perms.NATION if national else territory
        if not perms.can(self.admin, Feature.USER_CREATE, place):
            raise forms.ValidationError(_("This territory is outside of your own territory."))
        return cleaned_data

    @property
    def chosen_territory(self):
        """The territory to set (None for the nation); only once the form is valid."""
        return None if self.cleaned_data["national"] else self.cleaned_data["territory"]


class AdminCommentsForm(DsfrBaseForm):
    admin_comments = forms.CharField(
        label=_("Comments of the administrators"),
        help_text=_("Only visible to administrators."),
        required=False,
        max_length=ADMIN_COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    #: The `comments_base` of the comments when the form was opened.
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def rebase(self, base: str) -> None:
        """Base the (bound) form on the current comments: saving it again replaces them."""
        self.data = self.data.copy()
        self.data[self.add_prefix("base")] = base
