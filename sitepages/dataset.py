"""Synthetic data, sites part: one index page per department, ~450 open and ~2,500 closed sites
at scale 1 with their revisions (see `core.dataset`).

Pages are written in bulk: the tree paths are computed here (treebeard's materialised paths), the
`wagtailcore_page` rows inserted in one statement per batch, then the `sitepages_sitepage` rows;
each site gets one revision per publication (its history), the last one live. Field values
follow the validation rules (`sitepages.validation`); names and streets are invented, the
coordinates are points scattered around the department.
"""

import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.text import slugify
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision, Site

from core.dataset import Generation, step, update_rows, weighted_counts
from directory.dataset import readers_by_department
from directory.enums import Role
from sitepages.demo import CONDITIONS, JUSTICE, _population
from sitepages.enums import (
    ClosingCause,
    FieldType,
    InsalubrityOrderType,
    OwnerType,
    SocialDiagnosisStatus,
    SolutionType,
)
from sitepages.models import ClosingSolution, SiteIndexPage, SiteOwner, SitePage

PLACES = {
    FieldType.LAND: ["Terrain", "Campement", "Friche", "Délaissé"],
    FieldType.BUILDING: ["Squat", "Bâtiment", "Ancien entrepôt", "Hangar"],
    FieldType.UNKNOWN: ["Installation", "Site"],
}
STREETS = [
    "rue des Lilas", "chemin des Saules", "allée des Cèdres", "quai des Mariniers",
    "rue des Glycines", "boulevard des Acacias", "impasse des Typographes", "rue des Bouleaux",
    "chemin des Aulnes", "avenue des Platanes", "passage des Iris", "traverse des Pins",
    "rue des Figuiers", "impasse des Lauriers", "rue des Ajoncs", "chemin des Bruyères",
    "rue des Roseaux", "rue des Genêts", "allée des Tamaris", "chemin du Canal",
    "rue de la Forge", "route des Maraîchers", "rue du Moulin", "chemin de Halage",
    "rue des Tanneurs", "allée des Peupliers", "rue des Vergers", "chemin des Carrières",
]  # fmt: skip
EDITOR_ROLES = {
    Role.LOCAL_ADMIN,
    Role.CORRESPONDANT,
    Role.OPERATEUR,
    Role.PARTENAIRE_INSTITUTIONNEL,
}
#: SVG map units → degrees (cms/data/department_map.json, calibrated on four departments).
MAP = {"lon0": -5.357, "lon_per_unit": 0.02432, "lat0": 51.42, "lat_per_unit": -0.01715}


def _anchors() -> dict[str, tuple[float, float]]:
    """An approximate (latitude, longitude) inside each metropolitan department."""
    path = Path(settings.BASE_DIR) / "cms" / "data" / "department_map.json"
    departments = json.loads(path.read_text())["departments"]
    return {
        code: (
            MAP["lat0"] + data["anchor"][1] * MAP["lat_per_unit"],
            MAP["lon0"] + data["anchor"][0] * MAP["lon_per_unit"],
        )
        for code, data in departments.items()
    }


def _next_step(parent) -> int:
    """The step of the next child: after the last one (deleted children leave gaps)."""
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = last.order_by("-path").values_list("path", flat=True).first()
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def _insert_pages(model, parent, pages: list, rng) -> None:
    """Insert unsaved pages of `model` (a direct Page subclass) as children of `parent`."""
    first = _next_step(parent)
    content_type = ContentType.objects.get_for_model(model)
    for position, page in enumerate(pages):
        page.path = model._get_path(parent.path, parent.depth + 1, first + position)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.translation_key = uuid.UUID(int=rng.getrandbits(128), version=4)
        page.content_type = content_type
        page.live = True
        page.has_unpublished_changes = False
        page.draft_title = page.title
    Page.objects.bulk_create(pages, batch_size=500)
    for page in pages:
        page.page_ptr_id = page.id
    model.objects.all()._batched_insert(
        pages, fields=model._meta.local_concrete_fields, batch_size=500
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def _indexes(generation: Generation, root, rng) -> dict[str, SiteIndexPage]:
    """The departments' index pages, the missing ones inserted (and published) at once."""
    indexes = {index.department_id: index for index in SiteIndexPage.objects.all()}
    missing = [
        SiteIndexPage(
            title=f"Sites — {department.name}",
            slug=f"sites-{department.code.lower()}",
            department=department,
            first_published_at=generation.moment(2500),
            last_published_at=generation.moment(2500),
        )
        for department, _weight, _communes in generation.departments
        if department.code not in indexes
    ]
    if missing:
        root.refresh_from_db()
        _insert_pages(SiteIndexPage, root, missing, rng)
        for index in missing:
            revision = index.save_revision(clean=False)
            Page.objects.filter(pk=index.pk).update(
                live_revision=revision, latest_revision=revision, has_unpublished_changes=False
            )
            indexes[index.department_id] = index
    return indexes


def _values(rng, generation: Generation, commune, *, closed: bool) -> dict:
    """Field values of one site (its latest state), consistent with the validation rules."""
    field_type = rng.choices([FieldType.LAND, FieldType.BUILDING, FieldType.UNKNOWN], [6, 3, 1])[0]
    street = rng.choice(STREETS)
    declared_ago = rng.randint(60, 2400) if not closed else rng.randint(120, 4000)
    people = None if rng.random() < 0.08 else max(3, int(rng.lognormvariate(3.4, 0.8)))
    conditions = rng.choices(["good", "to_improve", "bad", "unknown"], [1, 3, 3, 2])[0]
    values = {
        "name": f"{rng.choice(PLACES[field_type])} {street.split(' ', 1)[1]}",
        "address": (f"{rng.randint(1, 140)} " if field_type == FieldType.BUILDING else "") + street,
        "commune": commune,
        "field_type": field_type,
        "declared_at": generation.day(declared_ago),
        "installed_at": generation.day(declared_ago + rng.randint(10, 400))
        if rng.random() < 0.6
        else None,
        "reinstallation": rng.choice([None, False, True]),
        "heatwave": rng.random() < 0.1,
        **_population(people, rng.randint(0, 40)),
        **CONDITIONS[conditions],
    }
    if rng.random() < 0.25:
        values.update(JUSTICE)
        values["justice_decision_at"] = generation.day(rng.randint(30, declared_ago))
        values["police_requested_at"] = generation.day(rng.randint(10, 30))
        if rng.random() < 0.5:
            values.update(
                eviction_order=True,
                eviction_order_at=generation.day(rng.randint(5, 60)),
                eviction_order_authority="Préfecture",
            )
        else:
            values.update(
                insalubrity_order_type=InsalubrityOrderType.MUNICIPAL,
                insalubrity_order_at=generation.day(rng.randint(5, 90)),
                insalubrity_order_by="Mairie",
            )
    diagnosis = rng.random()
    if diagnosis < 0.3:
        values.update(
            social_diagnosis_status=SocialDiagnosisStatus.DONE,
            social_diagnosis_at=generation.day(rng.randint(1, declared_ago)),
            social_diagnosis_by="Opérateur mandaté",
        )
    elif diagnosis < 0.4 and not closed:
        values.update(
            social_diagnosis_status=SocialDiagnosisStatus.PLANNED,
            social_diagnosis_at=generation.day(-rng.randint(5, 90)),
            social_diagnosis_by="Opérateur mandaté",
        )
    if closed:
        closed_ago = rng.randint(1, declared_ago - 30)
        values["closed_at"] = generation.day(closed_ago)
        values["updated_at"] = values["closed_at"]
        resorbed = rng.random() < 0.35
        cause = (
            ClosingCause.RESORPTION
            if resorbed
            else rng.choice([c for c in ClosingCause if c != ClosingCause.RESORPTION])
        )
        values.update(closing_cause=cause, closed_with_solutions=resorbed)
        if cause == ClosingCause.OTHER:
            values["closing_context"] = "Incendie ayant rendu le terrain inhabitable."
        elif resorbed:
            values["closing_context"] = "Accompagnement global mené sur plusieurs mois."
        # A closed site has no planned diagnosis (its date would be to come).
    else:
        values["updated_at"] = generation.day(rng.randint(1, min(declared_ago, 400)))
        values["resorption_target_year"] = (
            generation.today.year + rng.randint(0, 3) if rng.random() < 0.5 else None
        )
        if values.get("social_diagnosis_status") == SocialDiagnosisStatus.DONE:
            # A third of the diagnosed open sites are engaged in a resorption process.
            if rng.random() < 0.33:
                values.update(
                    resorption_process=True,
                    technical_diagnosis_done=True,
                    technical_diagnosis_at=generation.day(rng.randint(1, declared_ago)),
                    social_assessment_at=generation.day(-rng.randint(5, 90)),
                )
    if values.get("population_updated_at") and values["population_updated_at"] > values.get(
        "updated_at", generation.today
    ):
        values["population_updated_at"] = values["updated_at"]
    return values


def _children(rng, site: SitePage) -> None:
    # Every child relation in memory, empty unless filled here: `serializable_data` (the
    # revisions) then reads no table.
    for relation in get_all_child_relations(SitePage):
        setattr(site, relation.get_accessor_name(), [])
    for field in get_all_child_m2m_relations(SitePage):
        setattr(site, field.name, [])
    for _ in range(rng.choices([0, 1, 2], [4, 5, 1])[0]):
        owner_type = rng.choice(list(OwnerType))
        name = "Propriétaire privé" if owner_type == OwnerType.PRIVATE else ""
        site.owners.add(SiteOwner(type=owner_type, name=name))
    if site.closed_with_solutions:
        people, households = site.people or 0, site.households or 0
        for solution_type in rng.sample(list(SolutionType), k=rng.randint(1, 3)):
            site.closing_solutions.add(
                ClosingSolution(
                    solution_type=solution_type,
                    people=people // 4 if people else None,
                    households=households // 4 if households else None,
                )
            )


def _history(rng, generation: Generation, site: SitePage, *, alert: bool) -> list[tuple]:
    """(days ago, overrides of the final content) per revision, oldest first."""
    declared = (generation.today - site.declared_at).days
    last = (generation.today - (site.closed_at or site.updated_at or generation.today)).days
    count = rng.choices([1, 2, 3, 4, 5, 6], [3, 4, 4, 3, 2, 1])[0]
    if alert:
        count = max(count, 2)
    moments = sorted({rng.randint(last, declared) for _ in range(count - 1)}, reverse=True)
    moments = [declared, *[m for m in moments if last < m < declared], last]
    if len(moments) > 1 and moments[-1] == moments[-2]:
        moments.pop()
    history, people = [], site.people
    for position, days in enumerate(moments):
        final = position == len(moments) - 1
        overrides = {}
        if not final:
            overrides = {
                "updated_at": generation.day(days).isoformat(),
                "closed_at": None,
                "closing_cause": "",
                "closing_context": "",
                "closed_with_solutions": None,
                "closing_solutions": [],
            }
            if people is not None:
                shrink = 2 if alert and days > 190 else rng.choice([1, 1, 1.2, 0.8])
                earlier = max(1, int(people / shrink) - (1 if alert else 0))
                overrides.update(
                    people=earlier,
                    households=min(earlier, max(1, (site.households or 1) * earlier // people)),
                    women=min(earlier, (site.women or 0) * earlier // people),
                )
        history.append((days, overrides))
    return history


@step(20, "Sites")
def generate_sites(generation: Generation) -> None:
    rng = generation.rng("sites")
    root = Site.objects.get(is_default_site=True).root_page
    anchors = _anchors()
    editors = {
        code: [user for user in users if user.role in EDITOR_ROLES] or users
        for code, users in readers_by_department(generation).items()
    }
    departments = generation.departments
    weights = [weight for _, weight, _ in departments]
    open_counts = weighted_counts(rng, generation.scaled(450), weights)
    closed_counts = weighted_counts(rng, generation.scaled(2500), weights)
    total = sum(open_counts) + sum(closed_counts)
    bar = generation.progress("Sites et révisions", total)
    site_type = ContentType.objects.get_for_model(SitePage)
    page_type = ContentType.objects.get_for_model(Page)
    number = SitePage.objects.count()
    indexes = _indexes(generation, root, rng)
    revisions_written = 0
    for (department, _weight, communes), opened, closed in zip(
        departments, open_counts, closed_counts, strict=True
    ):
        index = indexes[department.code]
        index.refresh_from_db()
        latitude, longitude = anchors.get(department.code, (46.6, 2.4))
        commune_counts = [
            weighted_counts(rng, count, [w for _, w in communes]) for count in (opened, closed)
        ]
        sites, plans, alerted = [], [], False
        for closed_flag, counts in ((False, commune_counts[0]), (True, commune_counts[1])):
            for (commune, _w), count in zip(communes, counts, strict=True):
                spot = (rng.uniform(-0.25, 0.25), rng.uniform(-0.35, 0.35))
                for _ in range(count):
                    number += 1
                    values = _values(rng, generation, commune, closed=closed_flag)
                    site = SitePage(
                        **values,
                        latitude=Decimal(f"{latitude + spot[0] + rng.uniform(-0.03, 0.03):.6f}"),
                        longitude=Decimal(f"{longitude + spot[1] + rng.uniform(-0.04, 0.04):.6f}"),
                    )
                    site.title = site.default_title()
                    site.draft_title = site.title
                    site.slug = f"{slugify(site.name)}-{number}"
                    _children(rng, site)
                    # Population alerts on the dashboards: the first eligible site of each
                    # department, then one in twelve.
                    eligible = (
                        not closed_flag
                        and (site.people or 0) >= 20
                        and (generation.today - site.declared_at).days > 250
                    )
                    alert = eligible and (not alerted or rng.random() < 0.08)
                    alerted = alerted or alert
                    if alert:  # updated lately, after the older, smaller counts
                        site.updated_at = generation.day(rng.randint(1, 60))
                    history = _history(rng, generation, site, alert=alert)
                    authors = editors.get(department.code) or [None]
                    sites.append(site)
                    plans.append((history, [rng.choice(authors) for _ in history]))
        # Tree paths under the index, then the two tables of a Wagtail page.
        for site, (history, authors) in zip(sites, plans, strict=True):
            site.owner = authors[0]
            site.first_published_at = generation.moment(history[0][0], rng)
            site.last_published_at = max(
                site.first_published_at, generation.moment(history[-1][0], rng)
            )
            site.latest_revision_created_at = site.last_published_at
        _insert_pages(SitePage, index, sites, rng)
        SiteOwner.objects.bulk_create(
            [owner for site in sites for owner in _rows(site.owners.all(), site)], batch_size=1000
        )
        ClosingSolution.objects.bulk_create(
            [row for site in sites for row in _rows(site.closing_solutions.all(), site)],
            batch_size=1000,
        )
        # Revisions: the final content, with earlier values for the earlier publications.
        revisions, logs = [], []
        for site, (history, authors) in zip(sites, plans, strict=True):
            content = json.loads(json.dumps(site.serializable_data(), cls=_Encoder))
            for position, ((days, overrides), author) in enumerate(
                zip(history, authors, strict=True)
            ):
                final = position == len(history) - 1
                moment = site.last_published_at if final else generation.moment(days, rng)
                if position == 0:
                    moment = site.first_published_at
                revision = Revision(
                    content_type=site_type,
                    base_content_type=page_type,
                    object_id=str(site.pk),
                    object_str=site.title,
                    content={**content, **overrides},
                    created_at=moment,
                    user=author,
                )
                revisions.append((site, final, revision))
            bar.advance()
        Revision.objects.bulk_create([r for _, _, r in revisions], batch_size=1000)
        for site, final, revision in revisions:
            logs.append(
                PageLogEntry(
                    content_type=site_type,
                    label=site.title[:255],
                    action="wagtail.publish",
                    data={},
                    timestamp=revision.created_at,
                    user=revision.user,
                    revision=revision,
                    page=site,
                    content_changed=True,
                )
            )
            generation.revisions.setdefault(site.pk, []).append(revision)
            if final:
                site.latest_revision = site.live_revision = revision
        PageLogEntry.objects.bulk_create(logs, batch_size=1000)
        update_rows(Page, sites, ["latest_revision", "live_revision"])
        revisions_written += len(revisions)
        generation.sites += sites
    bar.finish(f"{total} sites, {revisions_written} révisions")
    generation.record("sites", total)
    generation.record("revisions", revisions_written)


def _rows(children, site):
    for order, child in enumerate(children):
        child.site = site
        child.sort_order = order
        yield child


class _Encoder(json.JSONEncoder):
    """What Wagtail's revision JSON holds: dates as ISO strings, decimals as strings."""

    def default(self, value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, (Decimal, uuid.UUID)):
            return str(value)
        return super().default(value)
