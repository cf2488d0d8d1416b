"""Wagtail hooks of the directory: the labels of the account and organisation administration
audit entries."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from directory import wagtail_hooks_access  # noqa: F401 - access request audit labels
from directory.enums import Role, UserOption
from directory.services import (
    access_requests,
    accounts,
    erasure,
    organizations,
    second_factor,
    territory_accounts,
    users,
)


def _role_label(value) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return str(value)


class ReasonFormatter(LogFormatter):
    """Shows the reason given by the administrator as the comment of the entry."""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


class DeactivateFormatter(ReasonFormatter):
    label = _("Deactivate an account")
    message = _("Account deactivated")


class ReactivateFormatter(ReasonFormatter):
    label = _("Reactivate an account")
    message = _("Account reactivated")


class ChangeRoleFormatter(LogFormatter):
    label = _("Change the role of an account")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        try:
            return _("Role changed from “%(previous)s” to “%(new)s”") % {
                "previous": _role_label(data["previous"]),
                "new": _role_label(data["new"]),
            }
        except KeyError:
            return _("Role changed")


class ChangeOptionsFormatter(LogFormatter):
    label = _("Change the options of an account")

    def format_message(self, log_entry):
        labels = dict(UserOption.choices)
        new = (log_entry.data or {}).get("new", [])
        return _("Options: %(options)s") % {
            "options": ", ".join(str(labels.get(value, value)) for value in new) or "—"
        }


class ChangeAreaFormatter(LogFormatter):
    label = _("Change the main intervention area of an account")

    def format_message(self, log_entry):
        new = (log_entry.data or {}).get("new") or {}
        if new.get("name"):
            return _("Main intervention area set to “%(name)s”") % {"name": new["name"]}
        return _("Main intervention area changed")


class EditAdminCommentsFormatter(LogFormatter):
    label = _("Edit the comments of the administrators")
    message = _("Comments of the administrators edited")


@hooks.register("register_log_actions")
def register_user_administration_actions(actions):
    actions.register_action(users.ACTION_DEACTIVATE)(DeactivateFormatter)
    actions.register_action(users.ACTION_REACTIVATE)(ReactivateFormatter)
    actions.register_action(users.ACTION_CHANGE_ROLE)(ChangeRoleFormatter)
    actions.register_action(users.ACTION_CHANGE_AREA)(ChangeAreaFormatter)
    actions.register_action(users.ACTION_EDIT_ADMIN_COMMENTS)(EditAdminCommentsFormatter)
    actions.register_action(users.ACTION_CHANGE_OPTIONS)(ChangeOptionsFormatter)


class OrganizationCreateFormatter(LogFormatter):
    label = _("Create an organisation")
    message = _("Organisation created")


class OrganizationUpdateFormatter(LogFormatter):
    label = _("Edit an organisation")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        labels = {
            "name": _("name"),
            "abbreviation": _("abbreviation"),
            "category": _("category"),
            "type": _("type"),
            "is_state_funded": _("funded by the State"),
            "state_funded_year": _("year of State funding"),
        }
        changed = [str(labels.get(field, field)) for field in data.get("changes") or {}]
        if data.get("areas"):
            changed.append(str(_("intervention areas")))
        if not changed:
            return _("Organisation edited")
        return _("Organisation edited: %(fields)s") % {"fields": ", ".join(changed)}


class OrganizationDeactivateFormatter(ReasonFormatter):
    label = _("Deactivate an organisation")
    message = _("Organisation deactivated")


class OrganizationReactivateFormatter(ReasonFormatter):
    label = _("Reactivate an organisation")
    message = _("Organisation reactivated")


@hooks.register("register_log_actions")
def register_organization_administration_actions(actions):
    actions.register_action(organizations.ACTION_CREATE)(OrganizationCreateFormatter)
    actions.register_action(organizations.ACTION_UPDATE)(OrganizationUpdateFormatter)
    actions.register_action(organizations.ACTION_DEACTIVATE)(OrganizationDeactivateFormatter)
    actions.register_action(organizations.ACTION_REACTIVATE)(OrganizationReactivateFormatter)


class SecondFactorEnrolFormatter(LogFormatter):
    label = _("Set up two-factor authentication")
    message = _("Two-factor authentication set up")


class SecondFactorNewCodesFormatter(LogFormatter):
    label = _("Create new recovery codes")
    message = _("New recovery codes created")


class SecondFactorCodeUsedFormatter(LogFormatter):
    label = _("Log in with a recovery code")
    message = _("Recovery code used to log in")


class SecondFactorResetFormatter(LogFormatter):
    label = _("Reset two-factor authentication")
    message = _("Two-factor authentication reset")


@hooks.register("register_log_actions")
def register_second_factor_actions(actions):
    actions.register_action(second_factor.ACTION_ENROL)(SecondFactorEnrolFormatter)
    actions.register_action(second_factor.ACTION_NEW_RECOVERY_CODES)(SecondFactorNewCodesFormatter)
    actions.register_action(second_factor.ACTION_RECOVERY_CODE_USED)(SecondFactorCodeUsedFormatter)
    actions.register_action(second_factor.ACTION_RESET)(SecondFactorResetFormatter)


class EditProfileFormatter(LogFormatter):
    label = _("Edit one's profile")
    message = _("Profile edited")


class RequestEmailChangeFormatter(LogFormatter):
    label = _("Ask for a change of email address")
    message = _("Change of email address asked for")


class ChangeEmailFormatter(LogFormatter):
    label = _("Change one's email address")
    message = _("Email address changed")


class CloseAccountFormatter(LogFormatter):
    label = _("Close one's account")
    message = _("Account closed by its owner")


class AnonymizeFormatter(LogFormatter):
    label = _("Anonymise an account")
    message = _("Account anonymised")


@hooks.register("register_log_actions")
def register_own_account_actions(actions):
    actions.register_action(accounts.ACTION_EDIT_PROFILE)(EditProfileFormatter)
    actions.register_action(accounts.ACTION_REQUEST_EMAIL_CHANGE)(RequestEmailChangeFormatter)
    actions.register_action(accounts.ACTION_CHANGE_EMAIL)(ChangeEmailFormatter)
    actions.register_action(accounts.ACTION_CLOSE)(CloseAccountFormatter)
    actions.register_action(erasure.ACTION_ANONYMIZE)(AnonymizeFormatter)


class CreateAccountFormatter(LogFormatter):
    label = _("Create an account")
    message = _("Account created by an administrator")


class ExportUsersFormatter(LogFormatter):
    label = _("Export users")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("%(count)s user(s) exported (%(format)s)") % {
            "count": data.get("count", "?"),
            "format": str(data.get("format", "")).upper(),
        }


class RemindActivationFormatter(LogFormatter):
    label = _("Remind to activate an account")
    message = _("New activation link sent")


@hooks.register("register_log_actions")
def register_territory_account_actions(actions):
    actions.register_action(access_requests.ACTION_CREATE_ACCOUNT)(CreateAccountFormatter)
    actions.register_action(territory_accounts.ACTION_EXPORT)(ExportUsersFormatter)
    actions.register_action(territory_accounts.ACTION_REMIND)(RemindActivationFormatter)
