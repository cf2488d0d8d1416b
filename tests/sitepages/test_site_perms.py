"""The site rules the screens and the API share (`sitepages.perms`), on open and closed sites."""

import pytest

from sitepages import perms as site_perms
from tests.directory.factories import UserFactory
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_admin():
    from directory.enums import Role

    return UserFactory(role=Role.NATIONAL_ADMIN)


def test_a_closed_site_is_read_only_but_for_who_may_close(national_admin):
    import datetime

    site = SitePageFactory()
    assert site_perms.can_edit_site(national_admin, site)
    assert site_perms.can_record_visit(national_admin, site)
    assert site_perms.can_delete_site(national_admin, site)
    site.closed_at = datetime.date(2026, 1, 15)
    assert site_perms.can_edit_site(national_admin, site)  # may close: may correct
    assert not site_perms.can_record_visit(national_admin, site)
    assert not site_perms.can_delete_site(national_admin, site)


def test_a_reader_without_rights_gets_no_button():
    site = SitePageFactory()
    nobody = UserFactory()
    actions = site_perms.site_actions(nobody, site)
    assert not (actions["can_edit"] or actions["can_visit"] or actions["can_close"])
    assert not actions["can_delete"]
