"""The site journal in a browser: a user posts a message with an attachment, a second user
reports it, a moderator hides it with a reason, and the author receives that reason by email.
axe checks the journal block, the report form, the moderation queue and the hiding form."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from directory.enums import Role
from journal.enums import EntryState, ReportStatus
from journal.models import Entry, Report
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    UserFactory,
    give_area,
)
from tests.journal.conftest import PDF_BYTES
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "Données personnelles sur des habitants"


def session(browser, live_server, email):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, email)
    return page


def run_tasks():
    call_command("db_worker", queue_name="*", batch=True, startup_delay=False, stdout=StringIO())


def test_post_report_hide_and_email(live_server, browser, axe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    department = DepartmentFactory()
    site = SitePageFactory(commune=CommuneFactory(department=department), name="Site des Tilleuls")
    people = {}
    for name, role in (
        ("auteur", Role.OPERATEUR),
        ("lecteur", Role.INTERVENANT),
        ("moderateur", Role.LOCAL_ADMIN),
    ):
        people[name] = UserFactory(email=f"{name}@exemple.test", role=role)
        give_area(people[name], department)
    attachment = tmp_path / "compte-rendu.pdf"
    attachment.write_bytes(PDF_BYTES)
    mail.outbox.clear()

    # The author posts from the site page, with an attachment.
    page = session(browser, live_server, "auteur@exemple.test")
    page.goto(live_server.url + site.url)
    assert_no_violation(page, axe)
    form = page.locator("form.journal-form")
    form.locator("#journal_text").fill("Visite ce matin : **trois familles** arrivées.")
    form.locator("#journal_attachments").set_input_files(str(attachment))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    entry = Entry.objects.get()
    article = page.locator(f"#message-{entry.pk}")
    assert article.locator("strong").inner_text() == "trois familles"
    assert article.locator(f'a[href="/journal/piece-jointe/{entry.attachments.get().pk}/"]').count()
    page.context.close()

    # A reader of the site reports it (from the full stream of the journal).
    page = session(browser, live_server, "lecteur@exemple.test")
    page.goto(live_server.url + f"/journal/site/{site.pk}/")
    assert_no_violation(page, axe)
    page.locator(f'#message-{entry.pk} a[href="/journal/message/{entry.pk}/signaler/"]').click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    page.fill("#id_reason", "Des noms d’habitants sont cités.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Report.objects.get().status == ReportStatus.OPEN
    page.context.close()

    # The moderator finds it in the queue and hides it with a reason.
    page = session(browser, live_server, "moderateur@exemple.test")
    page.goto(live_server.url + "/journal/moderation/")
    assert_no_violation(page, axe)
    row = page.locator(f"#queue-message-{entry.pk}")
    assert "Des noms d’habitants sont cités." in row.inner_text()
    row.locator(f'a[href^="/journal/message/{entry.pk}/masquer/"]').click()
    page.wait_for_load_state()
    assert_no_violation(page, axe)
    page.fill("#id_reason", REASON)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/journal/moderation/")
    assert page.locator(f"#hidden-message-{entry.pk}").count() == 1
    entry.refresh_from_db()
    assert entry.state == EntryState.HIDDEN and entry.hidden_reason == REASON
    page.context.close()

    # The background worker sends the emails: the author gets the reason.
    run_tasks()
    to_author = [message for message in mail.outbox if message.to == ["auteur@exemple.test"]]
    assert len(to_author) == 1, [message.subject for message in mail.outbox]
    assert REASON in to_author[0].body
    assert site.title in to_author[0].subject
