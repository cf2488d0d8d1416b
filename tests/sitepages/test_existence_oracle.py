"""A site's URL answers an anonymous visitor the same way whether the site exists or not (a login
redirection), so that nobody learns from outside which sites there are."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from directory.enums import Role
from tests.directory.factories import DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def _login_redirect(response, path):
    assert response.status_code == 302, (path, response.status_code)
    location = urlsplit(response.url)
    assert location.path == reverse("login")
    assert parse_qs(location.query) == {"next": [path]}


def test_anonymous_visitors_get_the_login_page_for_any_site_url(client):
    site = SitePageFactory()
    index_url = site.get_parent().url
    existing = site.url
    missing = f"{index_url}site-qui-n-existe-pas/"
    deeper = f"{existing}plus-loin/"
    draft = SitePageFactory(commune=site.commune)
    draft.unpublish()
    for path in (existing, missing, deeper, draft.url, index_url):
        _login_redirect(client.get(path), path)


def test_members_still_get_404_for_sites_they_may_not_read_and_for_unknown_ones(client):
    site = SitePageFactory()
    outsider = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(outsider, DepartmentFactory())
    client.force_login(outsider)
    assert client.get(site.url).status_code == 404
    assert client.get(f"{site.get_parent().url}site-qui-n-existe-pas/").status_code == 404
