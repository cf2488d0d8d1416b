"""The directory's audit log: the label and message of every account, organisation and access
request action (the action names live with the services that log them; see `core.audit`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from core.audit import REASON
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


class ExportUsersFormatter(LogFormatter):
    label = _("Export users")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("%(count)s user(s) exported (%(format)s)") % {
            "count": data.get("count", "?"),
            "format": str(data.get("format", "")).upper(),
        }


class ApproveFormatter(LogFormatter):
    label = _("Approve an access request")

    def format_message(self, log_entry):
        role = (log_entry.data or {}).get("role")
        try:
            return _("Access request approved with the role “%(role)s”") % {
                "role": Role(role).label
            }
        except ValueError:
            return _("Access request approved")


class RefuseFormatter(LogFormatter):
    label = _("Refuse an access request")
    message = _("Access request refused")

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("message", "")


TABLE = {
    # Administration of accounts
    users.ACTION_DEACTIVATE: (_("Deactivate an account"), _("Account deactivated"), REASON),
    users.ACTION_REACTIVATE: (_("Reactivate an account"), _("Account reactivated"), REASON),
    users.ACTION_CHANGE_ROLE: ChangeRoleFormatter,
    users.ACTION_CHANGE_AREA: ChangeAreaFormatter,
    users.ACTION_EDIT_ADMIN_COMMENTS: (
        _("Edit the comments of the administrators"),
        _("Comments of the administrators edited"),
    ),
    users.ACTION_CHANGE_OPTIONS: ChangeOptionsFormatter,
    # Organisations
    organizations.ACTION_CREATE: (_("Create an organisation"), _("Organisation created")),
    organizations.ACTION_UPDATE: OrganizationUpdateFormatter,
    organizations.ACTION_DEACTIVATE: (
        _("Deactivate an organisation"),
        _("Organisation deactivated"),
        REASON,
    ),
    organizations.ACTION_REACTIVATE: (
        _("Reactivate an organisation"),
        _("Organisation reactivated"),
        REASON,
    ),
    # Two-factor authentication
    second_factor.ACTION_ENROL: (
        _("Set up two-factor authentication"),
        _("Two-factor authentication set up"),
    ),
    second_factor.ACTION_NEW_RECOVERY_CODES: (
        _("Create new recovery codes"),
        _("New recovery codes created"),
    ),
    second_factor.ACTION_RECOVERY_CODE_USED: (
        _("Log in with a recovery code"),
        _("Recovery code used to log in"),
    ),
    second_factor.ACTION_RESET: (
        _("Reset two-factor authentication"),
        _("Two-factor authentication reset"),
    ),
    # One's own account
    accounts.ACTION_EDIT_PROFILE: (_("Edit one's profile"), _("Profile edited")),
    accounts.ACTION_REQUEST_EMAIL_CHANGE: (
        _("Ask for a change of email address"),
        _("Change of email address asked for"),
    ),
    accounts.ACTION_CHANGE_EMAIL: (_("Change one's email address"), _("Email address changed")),
    accounts.ACTION_CLOSE: (_("Close one's account"), _("Account closed by its owner")),
    erasure.ACTION_ANONYMIZE: (_("Anonymise an account"), _("Account anonymised")),
    # Accounts of a territory
    access_requests.ACTION_CREATE_ACCOUNT: (
        _("Create an account"),
        _("Account created by an administrator"),
    ),
    territory_accounts.ACTION_EXPORT: ExportUsersFormatter,
    territory_accounts.ACTION_REMIND: (
        _("Remind to activate an account"),
        _("New activation link sent"),
    ),
    # Access requests
    access_requests.ACTION_APPROVE: ApproveFormatter,
    access_requests.ACTION_REFUSE: RefuseFormatter,
    access_requests.ACTION_RESEND_ACTIVATION: (
        _("Send a new activation link"),
        _("New activation link sent"),
    ),
    access_requests.ACTION_ACTIVATE: (
        _("Activate an account after an access request"),
        _("Account activated by its owner"),
    ),
}
