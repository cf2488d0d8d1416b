"""Contact messages and site reports: who receives them, storing them, the emails.

Routing table (tested in tests/cms/test_contact.py):

| request type          | department given and it has local administrators | otherwise     |
|-----------------------|--------------------------------------------------|---------------|
| help                  | the department's local administrators            | national team |
| report a site         | the department's local administrators            | national team |
| other                 | the department's local administrators            | national team |
| information           | national team                                    | national team |
| access request        | never stored: the form sends people to the access request flow   |

The national team is the list of addresses of the `ContactSettings` setting, or the national
administrators when it is empty. Emails go through the `core.tasks.send_email` task.

Whoever receives a message by email also finds it in the inbox (`/messages-recus/`,
`cms.views_inbox`, rules in `cms.perms`): local administrators those of their departments,
national administrators all of them.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.enums import ContactRequestType, Recipients
from cms.models import ContactMessage, ContactSettings, SiteReport
from core.tasks import send_email
from directory import perms
from directory.enums import Role
from directory.models import User

NATIONAL_ONLY_TYPES = {ContactRequestType.INFORMATION}


def national_team_emails() -> list[str]:
    site = Site.objects.filter(is_default_site=True).first()
    emails = ContactSettings.for_site(site).national_emails if site else []
    if emails:
        return emails

    return list(
        User.objects.active()
        .filter(role=Role.NATIONAL_ADMIN)
        .order_by("email")
        .values_list("email", flat=True)
    )


def local_admins_of(department) -> list:
    """Active local administrators whose intervention areas cover the whole department."""

    location = perms.locate(department)
    return [
        admin
        for admin in User.objects.active().filter(role=Role.LOCAL_ADMIN).order_by("email")
        if perms.areas_of(admin).covers(location, read=False)
    ]


def route(request_type: str, department) -> tuple[str, list[str]]:
    """(Recipients kind, email addresses) for a message of this type about this department."""
    if department is not None and request_type not in NATIONAL_ONLY_TYPES:
        local = [admin.email for admin in local_admins_of(department)]
        if local:
            return Recipients.LOCAL, local
    return Recipients.NATIONAL, national_team_emails()


def _send(*, to: list[str], subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    for address in to:
        send_email.enqueue(subject=subject, body=body, to=[address])


def submit_contact(*, base_url: str, **data) -> ContactMessage:
    routed_to, recipients = route(data["request_type"], data.get("department"))
    message = ContactMessage.objects.create(**data, routed_to=routed_to, recipients=recipients)
    context = {"message": message, "base_url": base_url}
    _send(
        to=recipients,
        subject=_("[Résorption-bidonvilles] Contact form: %(type)s")
        % {"type": message.get_request_type_display()},
        template="cms/emails/contact_notification.txt",
        context={**context, **_links(message, base_url)},
    )
    # Anybody may type any address: the acknowledgement repeats nothing the sender typed (no
    # name, no message), so that the form cannot relay text to a third party.
    _send(
        to=[message.email],
        subject=_("[Résorption-bidonvilles] We have received your message"),
        template="cms/emails/contact_confirmation.txt",
        context={"base_url": base_url},
    )
    return message


def submit_report(*, base_url: str, **data) -> SiteReport:
    routed_to, recipients = route(ContactRequestType.REPORT_SITE, data["commune"].department)
    report = SiteReport.objects.create(**data, routed_to=routed_to, recipients=recipients)
    context = {"report": report, "base_url": base_url}
    _send(
        to=recipients,
        subject=_("[Résorption-bidonvilles] A site has been reported in %(commune)s")
        % {"commune": report.commune},
        template="cms/emails/report_notification.txt",
        context={**context, **_links(report, base_url)},
    )
    if report.reporter_email:
        _send(
            to=[report.reporter_email],
            subject=_("[Résorption-bidonvilles] We have received your report"),
            template="cms/emails/report_confirmation.txt",
            context=context,
        )
    return report


def _admin_url(obj) -> str:
    meta = obj._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[obj.pk])


def _links(obj, base_url) -> dict:
    """For the notification emails: the message in the Wagtail admin (the national team) and in
    the inbox of the administrators it is routed to (`cms.views_inbox`)."""
    kind = "messages" if isinstance(obj, ContactMessage) else "signalements"
    return {
        "admin_url": base_url + _admin_url(obj),
        "inbox_url": base_url + reverse("inbox:detail", args=[kind, obj.pk]),
    }
