"""Fast site creation for the list, map and GeoJSON tests: hundreds of sites in a few queries.

`SitePageFactory` goes through Wagtail's `add_child` (a dozen queries per page). Here the
`wagtailcore_page` rows are bulk-created with their tree paths computed like treebeard does,
then the `sitepages_sitepage` rows are inserted alone (`save_base(raw=True)`: Django refuses
`bulk_create` on a multi-table inherited model).
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from sitepages.models import SiteIndexPage, SitePage
from tests.directory.factories import CommuneFactory
from tests.sitepages.factories import SiteIndexPageFactory

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_counter = itertools.count(1)


def _key(number: int, length: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, len(_ALPHABET))
        digits = _ALPHABET[remainder] + digits
    return digits.rjust(length, "0")


def index_for(department) -> SiteIndexPage:
    return SiteIndexPage.objects.filter(department=department).first() or SiteIndexPageFactory(
        department=department
    )


def bulk_sites(count: int, *, commune=None, department=None, **fields) -> list[SitePage]:
    """`count` live sites in `commune` (or a new commune of `department`), all with `fields`.
    A field given as a callable is called with the site's number (0…count-1)."""
    if commune is None:
        commune = CommuneFactory(**({"department": department} if department else {}))
    index = index_for(commune.department)
    index.refresh_from_db()
    content_type = ContentType.objects.get_for_model(SitePage)
    steplen = Page.steplen
    sites = []
    for number in range(count):
        serial = next(_counter)
        values = {
            "name": f"Site {serial}",
            "address": f"{serial} rue des Tilleuls",
            "declared_at": timezone.localdate() - datetime.timedelta(days=30),
        }
        values.update(
            {key: value(number) if callable(value) else value for key, value in fields.items()}
        )
        site = SitePage(commune=commune, content_type=content_type, **values)
        site.title = site.title or site.default_title()
        site.draft_title = site.title
        site.slug = f"site-{serial}"
        site.depth = index.depth + 1
        site.path = index.path + _key(index.numchild + number + 1, steplen)
        site.url_path = f"{index.url_path}{site.slug}/"
        site.numchild = 0
        site.live = True
        site.has_unpublished_changes = False
        site.locale_id = index.locale_id
        sites.append(site)
    parents = Page.objects.bulk_create(
        [
            Page(**{field.attname: getattr(site, field.attname) for field in _page_fields()})
            for site in sites
        ]
    )
    for site, parent in zip(sites, parents, strict=True):
        site.pk = site.page_ptr_id = parent.pk
        site.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    return sites


def _page_fields():
    return [field for field in Page._meta.concrete_fields if field.name != "id"]
