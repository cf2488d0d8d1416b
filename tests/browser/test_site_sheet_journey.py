"""A préfecture agent (local administrator) prints a site sheet: from the site page to the sheet,
whose print rendering hides the header, footer and buttons and fits on one A4 page; axe checks
the sheet."""

import re

import pytest
from django.urls import reverse

from directory.enums import Role, Topic
from sitepages.enums import OwnerType
from sitepages.models import SiteActor, SiteOwner
from tests.browser.conftest import assert_no_violation, log_in
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pdf_page_count(pdf: bytes) -> int:
    """The pages of a PDF: its `/Type /Page` objects (not `/Pages`, the page tree)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_prefecture_agent_prints_a_site_sheet(live_server, page, axe):
    department = DepartmentFactory(name="Département Fiche")
    agent = UserFactory(email="prefecture@exemple.test", role=Role.LOCAL_ADMIN)
    give_area(agent, department)
    site = SitePageFactory(
        commune=CommuneFactory(department=department, name="Bourg-Fiche"),
        name="Les Tilleuls",
        people=64,
        households=17,
        minors=21,
        caravans=9,
        huts=4,
        pests=True,
        resorption_target_year=2028,
        resorption_process=True,
        technical_diagnosis_done=True,
        justice_procedure=True,
        justice_decision=True,
        justice_court="Tribunal judiciaire de Bourg",
    )
    SiteOwner.objects.create(site=site, type=OwnerType.PUBLIC, name="Commune de Bourg-Fiche")
    for n in range(4):
        SiteActor.objects.create(
            site=site,
            user=UserFactory(first_name=f"Actrice{n}", last_name="Terrain"),
            themes=[Topic.HOUSING, Topic.HEALTH],
        )
    log_in(page, live_server, agent.email)

    page.goto(live_server.url + site.url)
    page.get_by_role("link", name="Fiche imprimable").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("site_sheet", args=[site.pk]))
    sheet = page.locator("#site-sheet")
    for text in ("Les Tilleuls", "Bourg-Fiche", "2028", "Commune de Bourg-Fiche", "Tribunal"):
        assert text in sheet.inner_text()
    print_button = page.get_by_role("button", name="Imprimer")
    assert print_button.is_visible()  # shown by static/js/print-button.js
    assert page.get_by_role("link", name="Télécharger (DOCX)").is_visible()
    assert_no_violation(page, axe, "Fiche du site")

    # Printed: only the sheet is left, on one A4 page
    page.emulate_media(media="print")
    for selector in ("header.fr-header", "footer.fr-footer", ".fr-breadcrumb", "#sheet-actions"):
        display = page.locator(selector).first.evaluate("e => getComputedStyle(e).display")
        assert display == "none", selector
    assert sheet.is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == 1
    page.emulate_media(media="screen")
    assert page.locator("header.fr-header").is_visible()

    # The print button calls the browser's print dialog (stubbed: headless has none)
    page.evaluate("window.print = () => { window.__printed = true; }")
    print_button.click()
    assert page.evaluate("window.__printed === true")

    # Without JavaScript the button that could not work is not offered; the download still is
    context = page.context.browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    try:
        no_script = context.new_page()
        no_script.goto(page.url)
        assert no_script.locator("#sheet-print-button").is_hidden()
        assert no_script.locator("#sheet-docx-link").is_visible()
    finally:
        context.close()
