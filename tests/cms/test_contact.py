"""Contact form and "report a site": routing per type and department, storage, emails, spam
defences (honeypot, rate limits), and no error on malformed input."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.models import Site

from cms.enums import ContactRequestType, Recipients
from cms.forms import ContactForm
from cms.models import ContactMessage, ContactPage, ContactSettings, ReportSitePage, SiteReport
from directory.enums import Role
from directory.models import User
from sitepages.models import SitePage
from tests.cms.factories import add_page
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db


def queued_emails(to=None):
    rows = DBTaskResult.objects.filter(task_path="core.tasks.send_email").order_by("enqueued_at")
    emails = [row.args_kwargs["kwargs"] for row in rows]
    return [email for email in emails if to is None or email["to"] == [to]]


@pytest.fixture
def places():
    region = RegionFactory(code="84")
    rhone = DepartmentFactory(code="69", name="Rhône", region=region)
    ain = DepartmentFactory(code="01", name="Ain", region=region)
    nord = DepartmentFactory(code="59", name="Nord", region=RegionFactory(code="32"))
    return {
        "69": rhone,
        "01": ain,
        "59": nord,
        "villeurbanne": CommuneFactory(code="69266", name="Villeurbanne", department=rhone),
        "lille": CommuneFactory(code="59350", name="Lille", department=nord),
    }


@pytest.fixture
def admins(places):
    rhone_admin = UserFactory(email="admin.rhone@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(rhone_admin, places["69"])
    regional_admin = UserFactory(email="admin.region@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(regional_admin, places["69"].region)  # covers 69 and 01
    commune_admin = UserFactory(email="admin.commune@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(commune_admin, places["villeurbanne"])  # a commune does not cover its department
    inactive = UserFactory(email="ancien@exemple.test", role=Role.LOCAL_ADMIN, is_active=False)
    give_area(inactive, places["69"])
    national = UserFactory(email="nationale@exemple.test", role=Role.NATIONAL_ADMIN)
    give_area(national, None)
    return {
        "69": ["admin.region@exemple.test", "admin.rhone@exemple.test"],
        "01": ["admin.region@exemple.test"],
        "national": ["nationale@exemple.test"],
    }


@pytest.fixture
def contact_page():
    return add_page(ContactPage, title="Contact", slug="contact")


@pytest.fixture
def report_page():
    return add_page(ReportSitePage, title="Signaler un site", slug="signaler-un-site")


def contact_data(**overrides):
    data = {
        "request_type": ContactRequestType.HELP,
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.test",
        "email_confirmation": "camille@exemple.test",
        "phone": "",
        "organization": "Association",
        "department": "",
        "message": "Bonjour, j’ai une question.",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def report_data(**overrides):
    data = {
        "commune": "commune:69266",
        "commune_search": "Villeurbanne (69)",
        "commune_label": "Villeurbanne (69)",
        "address": "Près du pont",
        "approximate_people": "20",
        "description": "Une dizaine de cabanes.",
        "reporter_name": "",
        "reporter_email": "",
        "reporter_phone": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_type", "department", "routed_to", "recipients"),
    [
        (ContactRequestType.HELP, "69", Recipients.LOCAL, "69"),
        (ContactRequestType.HELP, "01", Recipients.LOCAL, "01"),
        (ContactRequestType.HELP, "59", Recipients.NATIONAL, "national"),  # no local admin
        (ContactRequestType.HELP, "", Recipients.NATIONAL, "national"),
        (ContactRequestType.REPORT_SITE, "69", Recipients.LOCAL, "69"),
        (ContactRequestType.REPORT_SITE, "", Recipients.NATIONAL, "national"),
        (ContactRequestType.INFORMATION, "69", Recipients.NATIONAL, "national"),
        (ContactRequestType.INFORMATION, "", Recipients.NATIONAL, "national"),
        (ContactRequestType.OTHER, "69", Recipients.LOCAL, "69"),
        (ContactRequestType.OTHER, "59", Recipients.NATIONAL, "national"),
    ],
)
def test_contact_messages_are_routed_by_type_and_department(
    client, contact_page, admins, request_type, department, routed_to, recipients
):
    response = client.post(
        contact_page.url, contact_data(request_type=request_type, department=department)
    )
    assert response.status_code == 302
    assert response.url == contact_page.url + "?envoye=1"
    message = ContactMessage.objects.get()
    assert message.routed_to == routed_to
    assert message.recipients == admins[recipients]
    for address in admins[recipients]:
        [email] = queued_emails(to=address)
        assert "Bonjour, j’ai une question." in email["body"]
        assert "camille@exemple.test" in email["body"]
        # Only the national team works in the Wagtail admin, where messages are listed.
        admin_link = f"/admin/snippets/cms/contactmessage/edit/{message.pk}/" in email["body"]
        assert admin_link is (routed_to == Recipients.NATIONAL)
    others = {a for key, emails in admins.items() if key != recipients for a in emails}
    assert not [e for e in queued_emails() if e["to"][0] in others - set(admins[recipients])]
    [confirmation] = queued_emails(to="camille@exemple.test")
    assert "Nous avons bien reçu votre message" in confirmation["body"]


def test_the_acknowledgement_echoes_nothing_the_sender_typed(client, contact_page, admins):
    """Anybody may type any address: the acknowledgement must not carry their text (no relay)."""
    spam = "Gagnez 1000 euros sur https://arnaque.example"
    response = client.post(
        contact_page.url,
        contact_data(
            first_name="Visitez https://arnaque.example",
            email="victime@exemple.test",
            email_confirmation="victime@exemple.test",
            message=spam,
        ),
    )
    assert response.status_code == 302
    [confirmation] = queued_emails(to="victime@exemple.test")
    assert "arnaque.example" not in confirmation["body"]
    assert "arnaque.example" not in confirmation["subject"]
    assert "Nous avons bien reçu votre message" in confirmation["body"]
    # The people the message is routed to still read it whole.
    assert all(
        spam in email["body"]
        for email in queued_emails()
        if email["to"] != ["victime@exemple.test"]
    )


def test_the_national_team_setting_replaces_the_national_admins(client, contact_page, admins):
    settings = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    settings.national_team_emails = "equipe@exemple.test\n\n  autre@exemple.test \n"
    settings.save()
    client.post(contact_page.url, contact_data(request_type=ContactRequestType.INFORMATION))
    assert ContactMessage.objects.get().recipients == ["equipe@exemple.test", "autre@exemple.test"]
    assert queued_emails(to="equipe@exemple.test") and queued_emails(to="autre@exemple.test")
    assert not queued_emails(to="nationale@exemple.test")


def test_an_access_request_goes_to_the_access_request_flow(client, contact_page, admins):
    response = client.post(
        contact_page.url, contact_data(request_type=ContactRequestType.ACCESS_REQUEST)
    )
    assert response.status_code == 302
    assert response.url == reverse("access_request_create")
    assert not ContactMessage.objects.exists()
    assert not queued_emails()
    html = client.get(contact_page.url).content.decode()
    assert f'href="{reverse("access_request_create")}"' in html


@pytest.mark.parametrize(
    ("commune", "search", "routed_to", "recipients"),
    [
        ("commune:69266", "Villeurbanne (69)", Recipients.LOCAL, "69"),
        ("commune:59350", "Lille (59)", Recipients.NATIONAL, "national"),
    ],
)
def test_site_reports_go_to_the_departments_admins(
    client, report_page, admins, places, commune, search, routed_to, recipients
):
    sites = SitePage.objects.count()
    response = client.post(
        report_page.url,
        report_data(
            commune=commune,
            commune_search=search,
            commune_label=search,
            reporter_email="Temoin@Exemple.test",
        ),
    )
    assert response.status_code == 302
    report = SiteReport.objects.get()
    assert (report.routed_to, report.recipients) == (routed_to, admins[recipients])
    assert report.approximate_people == 20
    for address in admins[recipients]:
        [email] = queued_emails(to=address)
        assert "Une dizaine de cabanes." in email["body"]
    assert queued_emails(to="temoin@exemple.test")
    assert SitePage.objects.count() == sites  # a report never creates a site


def test_an_anonymous_report_sends_no_confirmation(client, report_page, admins, places):
    client.post(report_page.url, report_data())
    assert SiteReport.objects.get().reporter_email == ""
    assert len(queued_emails()) == len(admins["69"])


def test_a_commune_typed_without_javascript_is_accepted(client, report_page, admins, places):
    data = report_data(commune_search="Villeurbanne", commune_label="")
    data.pop("commune")
    assert client.post(report_page.url, data).status_code == 302
    assert SiteReport.objects.get().commune == places["villeurbanne"]


# --- Spam defences ------------------------------------------------------------------------------


def test_the_honeypot_discards_the_message(client, contact_page, report_page, admins, places):
    response = client.post(contact_page.url, contact_data(extra_info="http://spam.example"))
    assert response.status_code == 302
    response = client.post(report_page.url, report_data(extra_info="spam"))
    assert response.status_code == 302
    assert not ContactMessage.objects.exists() and not SiteReport.objects.exists()
    assert not queued_emails()


def test_rate_limit_per_ip(client, contact_page, admins):
    for index in range(5):
        email = f"personne{index}@exemple.test"
        data = contact_data(email=email, email_confirmation=email)
        assert client.post(contact_page.url, data).status_code == 302
    response = client.post(contact_page.url, contact_data())
    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "rate_limited.html"
    html = response.content.decode()
    assert "<h1>Trop de messages</h1>" in html
    assert "Trop de messages ont été envoyés depuis votre connexion" in html
    assert ContactMessage.objects.count() == 5
    other_ip = client.post(contact_page.url, contact_data(), REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 302


def test_rate_limit_per_email(client, contact_page, admins):
    for index in range(3):
        response = client.post(contact_page.url, contact_data(), REMOTE_ADDR=f"10.0.0.{index}")
        assert response.status_code == 302
    response = client.post(
        contact_page.url,
        contact_data(email="CAMILLE@exemple.test", email_confirmation="camille@exemple.test"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429
    assert ContactMessage.objects.count() == 3


def test_the_report_form_is_rate_limited_per_ip(client, report_page, admins, places):
    for _index in range(5):
        assert client.post(report_page.url, report_data()).status_code == 302
    assert client.post(report_page.url, report_data()).status_code == 429
    assert SiteReport.objects.count() == 5


# --- Malformed input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_name": None, "last_name": None, "message": None}, "message"),
        ({"message": "x" * 100_000}, "message"),
        ({"first_name": "y" * 10_000}, "first_name"),
        ({"email": "pas-une-adresse", "email_confirmation": "pas-une-adresse"}, "email"),
        ({"email_confirmation": "autre@exemple.test"}, "email_confirmation"),
        ({"department": "zz"}, "department"),
        ({"department": "99999"}, "department"),
        ({"request_type": "bogus"}, "request_type"),
        ({"request_type": None}, "request_type"),
        ({"phone": "12"}, "phone"),
        ({"consent": None}, "consent"),
    ],
)
def test_malformed_contact_messages_get_errors_not_500(
    client, contact_page, admins, places, overrides, field
):
    response = client.post(contact_page.url, contact_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'role="alert"' in html and f'href="#id_{field}"' in html
    assert not ContactMessage.objects.exists() and not queued_emails()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"commune": None, "commune_search": None, "commune_label": None}, "commune"),
        ({"commune": "commune:00000", "commune_search": "", "commune_label": ""}, "commune"),
        ({"commune": "department:69", "commune_search": "", "commune_label": ""}, "commune"),
        ({"commune": "", "commune_search": "Nulle-Part", "commune_label": ""}, "commune"),
        ({"approximate_people": "beaucoup"}, "approximate_people"),
        ({"approximate_people": "-3"}, "approximate_people"),
        ({"approximate_people": "99999999999999999999"}, "approximate_people"),
        ({"description": ""}, "description"),
        ({"description": "z" * 50_000}, "description"),
        ({"reporter_email": "@@"}, "reporter_email"),
        ({"reporter_phone": "abc"}, "reporter_phone"),
    ],
)
def test_malformed_site_reports_get_errors_not_500(
    client, report_page, admins, places, overrides, field
):
    response = client.post(report_page.url, report_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SiteReport.objects.exists() and not queued_emails()


def test_the_forms_render_for_anonymous_visitors(client, contact_page, report_page, places):
    for page in (contact_page, report_page):
        response = client.get(page.url)
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        html = response.content.decode()
        assert 'name="extra_info"' in html and 'aria-hidden="true"' in html
        assert "csrfmiddlewaretoken" in html
    assert client.get(contact_page.url + "?envoye=1").context["sent"] is True


def test_messages_and_reports_are_listed_to_the_national_admins(client, contact_page, admins):
    client.post(contact_page.url, contact_data(message="Message à lister"))
    superuser = UserFactory(role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    listing = client.get(reverse("wagtailsnippets_cms_contactmessage:list"))
    assert listing.status_code == 200
    assert "Camille Martin" in listing.content.decode()
    message = ContactMessage.objects.get()
    edit = client.get(reverse("wagtailsnippets_cms_contactmessage:edit", args=[message.pk]))
    assert edit.status_code == 200 and "Message à lister" in edit.content.decode()
    assert client.get(reverse("wagtailsnippets_cms_sitereport:list")).status_code == 200
    regular = UserFactory()
    client.force_login(regular)
    assert client.get(reverse("wagtailsnippets_cms_contactmessage:list")).status_code in (302, 403)


# --- The identity fields shared with the access request form, the inbox -------------------------


def test_identity_fields_are_cleaned_as_in_the_access_request_form(client, contact_page, admins):
    from directory.forms_access import AccessRequestForm
    from directory.forms_identity import IdentityFields

    data = contact_data(
        first_name="  Camille ",
        last_name=" Martin  ",
        email=" Camille@Exemple.TEST ",
        email_confirmation="camille@exemple.test",
        phone="+33 6.12.34.56.78",
    )
    assert client.post(contact_page.url, data).status_code == 302
    message = ContactMessage.objects.get()
    assert (message.first_name, message.last_name) == ("Camille", "Martin")
    assert (message.email, message.phone) == ("camille@exemple.test", "06 12 34 56 78")
    access_form = AccessRequestForm(
        {key: data[key] for key in ("first_name", "last_name", "email", "phone")}
        | {"email_confirmation": "autre@exemple.test"}
    )
    access_form.is_valid()
    for field in ("first_name", "last_name", "email", "phone"):
        assert access_form.cleaned_data[field] == getattr(message, field), field
    assert access_form.errors["email_confirmation"] == [
        str(IdentityFields.error_messages["email_mismatch"])
    ]
    for form_class in (AccessRequestForm, ContactForm):
        assert issubclass(form_class, IdentityFields)


@pytest.mark.parametrize(
    ("department", "readers", "non_readers"),
    [
        ("69", ["admin.rhone@exemple.test", "admin.region@exemple.test"], []),
        ("01", ["admin.region@exemple.test"], ["admin.rhone@exemple.test"]),
        ("", [], ["admin.rhone@exemple.test", "admin.region@exemple.test"]),
    ],
)
def test_a_message_is_in_the_inbox_of_its_recipients(
    client, contact_page, admins, places, department, readers, non_readers
):
    client.post(contact_page.url, contact_data(department=department))
    message = ContactMessage.objects.get()
    assert set(readers) <= set(message.recipients)
    url = reverse("inbox:detail", args=["messages", message.pk])
    for email in [*readers, "nationale@exemple.test"]:
        client.force_login(User.objects.get(email=email))
        assert client.get(url).status_code == 200, email
        assert f'href="{url}"' in client.get(reverse("inbox:list")).content.decode(), email
    for email in non_readers:
        client.force_login(User.objects.get(email=email))
        assert client.get(url).status_code == 404, email
    # A commune's administrator receives no message, and has no inbox.
    client.force_login(User.objects.get(email="admin.commune@exemple.test"))
    assert client.get(reverse("inbox:list")).status_code == 403
