"""The stream and the site page's journal block cost the same number of SQL queries with 10
and with 1,000 entries (tags, attachments and audiences included)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.enums import Role
from journal import markup, services
from journal.enums import Audience, ReportStatus
from journal.models import Attachment, Entry
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganizationFactory,
    UserFactory,
    give_area,
)
from tests.journal.factories import EntryFactory, ReportFactory, tag
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def fill(site, author, organization, count):
    audiences = [Audience.SITE_READERS, Audience.STATE_SERVICES, Audience.CHOSEN]
    entries = Entry.objects.bulk_create(
        Entry(
            site=site,
            author=author,
            text=f"Message {n}",
            text_html=markup.render(f"Message **{n}**"),
            audience=audiences[n % 3],
        )
        for n in range(count)
    )
    fire, visit = tag("Incendie"), tag("Visite sur site")
    Entry.tags.through.objects.bulk_create(
        Entry.tags.through(entry_id=entry.pk, tag_id=t.pk)
        for entry in entries
        for t in (fire, visit)
    )
    Entry.audience_organizations.through.objects.bulk_create(
        Entry.audience_organizations.through(entry_id=entry.pk, organization_id=organization.pk)
        for entry in entries
        if entry.audience == Audience.CHOSEN
    )
    Attachment.objects.bulk_create(
        Attachment(
            entry=entry,
            file=f"journal/x{entry.pk}.pdf",
            name="a.pdf",
            content_type="application/pdf",
            size=10,
        )
        for entry in entries
    )


def count_queries(client, url):
    client.get(url)  # warm caches (content types, site root)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", [Role.CORRESPONDANT, Role.LOCAL_ADMIN])
def test_query_count_is_flat(client, role):
    counts = {}
    for size in (10, 1000):
        department = DepartmentFactory()
        site = SitePageFactory(commune=CommuneFactory(department=department))
        organization = OrganizationFactory()
        give_area(organization, department)
        author = UserFactory(role=Role.OPERATEUR, organization=organization)
        reader = UserFactory(role=role, organization=organization)
        give_area(reader, department)
        fill(site, author, organization, size)
        client.force_login(reader)
        stream = reverse("journal:site", args=[site.pk])
        counts[size] = (
            count_queries(client, stream),
            count_queries(client, stream + "?page=2"),
            count_queries(client, site.url),
        )
        assert Entry.objects.visible_to(reader).filter(site=site).count() > 0
    assert counts[10][0] == counts[1000][0], counts
    assert counts[10][2] == counts[1000][2], counts
    assert counts[1000][1] == counts[1000][0], counts
    print(f"journal queries ({role}): stream, page 2, site page = {counts}")  # noqa: T201


def fill_queue(department, size):
    """`size` reported entries (two open reports each, one closed), `size` hidden ones with
    their decision in the log, on sites of `department`."""
    moderator = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(moderator, department)
    author = UserFactory(role=Role.OPERATEUR)
    for n in range(size):
        site = SitePageFactory(commune=CommuneFactory(department=department))
        entry = EntryFactory(site=site, author=author, text=f"Signalé {n}", tags=[tag()])
        ReportFactory(entry=entry)
        ReportFactory(entry=entry)
        ReportFactory(entry=entry, status=ReportStatus.DISMISSED)
        hidden = EntryFactory(site=site, author=author, text=f"Masqué {n}")
        services.hide_entry(entry=hidden, by=moderator, reason="Hors charte")
    return moderator


def test_moderation_queue_query_count_is_flat(client):
    """The queue (reported messages with their reports, hidden messages, decisions, the
    department filter) costs the same with 2 and with 30 messages of each kind."""
    counts = {}
    for size in (2, 30):
        department = DepartmentFactory()
        moderator = fill_queue(department, size)
        client.force_login(moderator)
        queue = reverse("journal:moderation")
        counts[size] = (
            count_queries(client, queue),
            count_queries(client, f"{queue}?departement={department.code}&page=2"),
        )
        html = client.get(queue).content.decode()
        assert f"Signalé {size - 1}" in html and "Propos insultants." in html
        assert html.count('id="hidden-message-') == min(size, 20)
        assert html.count("Hors charte") >= 2 * min(size, 20)  # hidden messages, decisions
    assert counts[2] == counts[30], counts
    print(f"moderation queue queries: first page, filtered page 2 = {counts}")  # noqa: T201
