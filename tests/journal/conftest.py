"""The journal world: one site in department "here" (in region R), neighbours and readers of
every kind. Used by the audience table tests."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.enums import Role, UserStatus
from journal import services
from journal.enums import Audience
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    give_area,
)
from tests.journal.factories import ddets, organization_of_type
from tests.sitepages.factories import SitePageFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

MARKERS = {
    "public": "Marqueur-Public-4K",
    "state": "Marqueur-Prefecture-8T",
    "chosen": "Marqueur-Choisi-2W",
    "hidden": "Marqueur-Masque-6P",
}

# reader: (role, organisation key or None, own area key or None, in the site's territory)
# Areas: "here" = the site's department, "commune" = the site's commune, "region" = its region,
# "elsewhere" = a department of another region, "nation", None = the organisation's areas.
READERS = {
    "national admin": (Role.NATIONAL_ADMIN, None, "nation", False),
    "local admin here": (Role.LOCAL_ADMIN, None, "here", True),
    "local admin of the commune": (Role.LOCAL_ADMIN, None, "commune", True),
    "local admin of the EPCI": (Role.LOCAL_ADMIN, None, "epci", True),
    "local admin elsewhere": (Role.LOCAL_ADMIN, None, "elsewhere", False),
    "préfecture here": (Role.CORRESPONDANT, "prefecture_here", None, True),
    "DDETS here": (Role.CORRESPONDANT, "ddets_here", None, True),
    "préfecture of the region": (Role.CORRESPONDANT, "prefecture_region", None, True),
    "préfecture elsewhere": (Role.CORRESPONDANT, "prefecture_elsewhere", None, False),
    "correspondant of the chosen organisation": (Role.CORRESPONDANT, "chosen", "commune", True),
    "operateur of the chosen organisation": (Role.OPERATEUR, "chosen", None, True),
    "chosen correspondant": (Role.CORRESPONDANT, "association", "here", True),
    "chosen correspondant elsewhere": (Role.CORRESPONDANT, "association", "elsewhere", False),
    "operateur here": (Role.OPERATEUR, "association", None, True),
    "intervenant of the commune": (Role.INTERVENANT, None, "commune", True),
    "observateur elsewhere": (Role.OBSERVATEUR_EXTERNE, None, "elsewhere", False),
    "acteur national": (Role.ACTEUR_NATIONAL, None, "nation", False),
    "inactive local admin here": (Role.LOCAL_ADMIN, None, "here", True),
    "author": (Role.OPERATEUR, "association", None, True),
}

ALL = {"public", "state", "chosen", "hidden"}
#: reader -> the entries they may read
EXPECTED = {
    "national admin": ALL,
    "local admin here": ALL,
    "local admin of the commune": ALL,
    "local admin of the EPCI": ALL,
    "local admin elsewhere": set(),
    "préfecture here": {"public", "state"},
    "DDETS here": {"public", "state"},
    "préfecture of the region": {"public", "state"},
    "préfecture elsewhere": {"public"},
    "correspondant of the chosen organisation": {"public", "chosen"},
    "operateur of the chosen organisation": {"public"},
    "chosen correspondant": {"public", "chosen"},
    "chosen correspondant elsewhere": {"public"},
    "operateur here": {"public"},
    "intervenant of the commune": {"public"},
    "observateur elsewhere": set(),
    "acteur national": {"public"},
    "inactive local admin here": set(),
    "author": {"public", "state", "chosen"},
}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    region = RegionFactory()
    here = DepartmentFactory(region=region)
    elsewhere = DepartmentFactory()
    epci = EpciFactory()
    commune = CommuneFactory(department=here, epci=epci)
    site = SitePageFactory(commune=commune)
    places = {
        "here": here,
        "commune": commune,
        "epci": epci,
        "region": region,
        "elsewhere": elsewhere,
        "nation": None,
    }

    def organization(builder, area):
        org = builder()
        give_area(org, places[area])
        return org

    organizations = {
        "prefecture_here": organization(lambda: organization_of_type("Préfecture"), "here"),
        "ddets_here": organization(ddets, "here"),
        "prefecture_region": organization(lambda: organization_of_type("Préfecture"), "region"),
        "prefecture_elsewhere": organization(
            lambda: organization_of_type("Préfecture"), "elsewhere"
        ),
        "chosen": organization(OrganizationFactory, "here"),
        "association": organization(OrganizationFactory, "here"),
    }
    readers = {}
    for name, (role, org_key, area, _local) in READERS.items():
        user = UserFactory(
            role=role,
            organization=organizations[org_key] if org_key else None,
            status=UserStatus.INACTIVE if name.startswith("inactive") else UserStatus.ACTIVE,
        )
        if area is not None:
            give_area(user, places[area])
        readers[name] = user
    author = readers["author"]
    entries = {
        "public": services.post_entry(
            site=site, author=author, text=MARKERS["public"], audience=Audience.SITE_READERS
        ),
        "state": services.post_entry(
            site=site,
            author=author,
            text=MARKERS["state"],
            audience=Audience.STATE_SERVICES,
            uploads=[SimpleUploadedFile("compte-rendu.pdf", PDF_BYTES)],
        ),
        "chosen": services.post_entry(
            site=site,
            author=author,
            text=MARKERS["chosen"],
            audience=Audience.CHOSEN,
            organizations=[organizations["chosen"]],
            users=[readers["chosen correspondant"], readers["chosen correspondant elsewhere"]],
        ),
        "hidden": services.post_entry(
            site=site, author=author, text=MARKERS["hidden"], audience=Audience.SITE_READERS
        ),
    }
    services.hide_entry(
        entry=entries["hidden"], by=readers["local admin here"], reason="Hors charte"
    )
    return SimpleNamespace(
        site=site, places=places, organizations=organizations, readers=readers, entries=entries
    )


def fresh(user):
    """The user as a new request would see it (no cached permissions)."""
    from directory.models import User

    return User.objects.get(pk=user.pk)
