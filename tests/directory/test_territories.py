"""Reference territories: data file, loading, search, autocomplete endpoint, form field, widget."""

import gzip
import json
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from directory.enums import TerritoryLevel
from directory.fields import TerritoryField
from directory.management.commands.build_territories_data import DEFAULT_OUTPUT
from directory.models import Commune, Department, Epci, Region, normalize_name
from directory.services.territories import search_territories
from directory.widgets import TerritoryAutocompleteWidget
from tests.directory.factories import CommuneFactory, DepartmentFactory, EpciFactory

URL = "/territoires/recherche/"


# --- Converter


def write_package(folder: Path, version="9.9.9") -> Path:
    """A tiny @etalab/decoupage-administratif package: every case the converter must handle."""
    data = folder / "data"
    data.mkdir(parents=True)
    (folder / "package.json").write_text(
        json.dumps({"name": "@etalab/decoupage-administratif", "version": version})
    )
    files = {
        "regions.json": [
            {"code": "99", "nom": "Région d’Essai", "zone": "metro", "chefLieu": "99001"},
            {"code": "09", "nom": "Outre-mer d’Essai", "zone": "drom", "chefLieu": "97901"},
            {"code": "989", "nom": "Collectivité d’Essai", "zone": "com", "chefLieu": "98901"},
        ],
        "departements.json": [
            {"code": "99", "region": "99", "nom": "Département Test", "zone": "metro"},
            {"code": "979", "region": "09", "nom": "Île d’Essai", "zone": "drom"},
            {"code": "989", "region": "989", "nom": "Collectivité d’Essai", "zone": "com"},
        ],
        "epci.json": [
            {
                "code": "999999999",
                "nom": "CC des Essais",
                "type": "CC",
                "membres": [{"code": "99001", "nom": "Œuilly-Test"}, {"code": "98901"}],
            }
        ],
        "communes.json": [
            {
                "code": "99001",
                "nom": "Œuilly-Test",
                "type": "commune-actuelle",
                "departement": "99",
                "region": "99",
                "zone": "metro",
                "population": 1234,
                "codesPostaux": ["99100", "99000", "99100"],
            },
            {
                "code": "97901",
                "nom": "Saint-Essai",
                "type": "commune-actuelle",
                "departement": "979",
                "region": "09",
                "zone": "drom",
            },
            {
                "code": "99002",
                "nom": "Ancienne commune",
                "type": "commune-deleguee",
                "departement": "99",
                "chefLieu": "99001",
            },
            {
                "code": "99003",
                "nom": "Essai 1er Arrondissement",
                "type": "arrondissement-municipal",
                "departement": "99",
                "commune": "99001",
            },
            {
                "code": "98901",
                "nom": "Île de la Collectivité",
                "type": "commune-actuelle",
                "departement": "989",
                "region": "989",
                "zone": "com",
            },
        ],
    }
    for name, content in files.items():
        (data / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return folder


def read_gzip_json(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def tiny_file(tmp_path):
    output = tmp_path / "territories.json.gz"
    call_command(
        "build_territories_data",
        source=write_package(tmp_path / "package"),
        output=output,
        date="2026-01-15",
        stdout=StringIO(),
    )
    return output


def test_converter_keeps_what_the_models_need(tiny_file):
    document = read_gzip_json(tiny_file)

    assert document["source"]["package"] == "@etalab/decoupage-administratif"
    assert document["source"]["version"] == "9.9.9"
    assert document["source"]["date"] == "2026-01-15"
    # Overseas departments-regions kept; overseas collectivities ("com") are not departments.
    assert document["regions"] == [["09", "Outre-mer d’Essai"], ["99", "Région d’Essai"]]
    assert document["departments"] == [
        ["979", "Île d’Essai", "09"],
        ["99", "Département Test", "99"],
    ]
    assert document["epci"] == [["999999999", "CC des Essais"]]
    # Only current communes, with their EPCI, population and sorted distinct postal codes.
    assert document["communes"] == [
        ["97901", "Saint-Essai", "979", None, None, ""],
        ["99001", "Œuilly-Test", "99", "999999999", 1234, "99000 99100"],
    ]


def test_converter_output_is_reproducible(tmp_path, tiny_file):
    again = tmp_path / "again.json.gz"
    call_command(
        "build_territories_data",
        source=tmp_path / "package",
        output=again,
        date="2026-01-15",
        stdout=StringIO(),
    )
    assert again.read_bytes() == tiny_file.read_bytes()


def test_converter_defaults_the_date_to_the_data_files(tmp_path):
    output = tmp_path / "out.json.gz"
    call_command(
        "build_territories_data",
        source=write_package(tmp_path / "package"),
        output=output,
        stdout=StringIO(),
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", read_gzip_json(output)["source"]["date"])


def test_converter_refuses_another_folder(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps({"name": "left-pad", "version": "1.0.0"}))
    with pytest.raises(CommandError, match="not @etalab/decoupage-administratif"):
        call_command("build_territories_data", source=tmp_path, output=tmp_path / "out.json.gz")
    with pytest.raises(CommandError, match="missing or invalid"):
        call_command(
            "build_territories_data", source=tmp_path / "nowhere", output=tmp_path / "out.gz"
        )


def test_converter_refuses_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(
            "build_territories_data",
            source=write_package(tmp_path / "package"),
            output=tmp_path / "out.json.gz",
            date="15/01/2026",
        )


# --- Loader on the tiny file


@pytest.mark.django_db
def test_load_tiny_file_is_an_idempotent_upsert(tiny_file, tmp_path):
    out = StringIO()
    call_command("load_territories", file=tiny_file, stdout=out)
    assert "communes: 2" in out.getvalue()
    assert "Territories loaded in" in out.getvalue()

    commune = Commune.objects.get(code="99001")
    assert commune.name == "Œuilly-Test"
    assert commune.search_name == "oeuilly test"  # computed although bulk_create skips save()
    assert commune.department.region.name == "Région d’Essai"
    assert commune.epci.name == "CC des Essais"
    assert (commune.population, commune.postal_codes) == (1234, "99000 99100")
    assert Commune.objects.get(code="97901").epci is None

    def snapshot():
        return [
            list(model.objects.filter(code__in=codes).order_by("code").values())
            for model, codes in (
                (Region, ["09", "99"]),
                (Department, ["979", "99"]),
                (Epci, ["999999999"]),
                (Commune, ["97901", "99001"]),
            )
        ]

    before = snapshot()
    call_command("load_territories", file=tiny_file, stdout=StringIO())
    assert snapshot() == before

    # A new vintage renames a commune: the upsert updates it and its search name.
    document = read_gzip_json(tiny_file)
    document["communes"][1][1] = "Œuilly-Nouveau"
    renamed = tmp_path / "renamed.json.gz"
    with gzip.open(renamed, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    call_command("load_territories", file=renamed, stdout=StringIO())
    commune.refresh_from_db()
    assert (commune.name, commune.search_name) == ("Œuilly-Nouveau", "oeuilly nouveau")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip", "not a gzip JSON territories file"),
        (gzip.compress(b"[1, 2]"), "not a territories file"),
        (gzip.compress(b'{"format": 1, "fields": {}}'), "unexpected layout"),
    ],
)
def test_load_refuses_a_bad_file(tmp_path, content, message):
    path = tmp_path / "bad.json.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_territories", file=path)


@pytest.mark.django_db
def test_load_rolls_back_a_file_with_an_unknown_parent(tiny_file, tmp_path):
    document = read_gzip_json(tiny_file)
    document["communes"][0][2] = "00"  # no such department
    broken = tmp_path / "broken.json.gz"
    with gzip.open(broken, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    with pytest.raises(CommandError, match=r"communes point to unknown departments: \['00'\]"):
        call_command("load_territories", file=broken, stdout=StringIO())
    assert not Region.objects.filter(code="99").exists()


# --- The committed data file and the real load (done once for the module)


def test_committed_data_file_is_small_and_records_its_source():
    assert DEFAULT_OUTPUT == Path(settings.BASE_DIR) / "directory/data/territories.json.gz"
    assert DEFAULT_OUTPUT.stat().st_size < 3 * 1024 * 1024
    source = read_gzip_json(DEFAULT_OUTPUT)["source"]
    assert source["package"] == "@etalab/decoupage-administratif"
    assert re.fullmatch(r"\d+\.\d+\.\d+", source["version"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", source["date"])


def _counts():
    return {model: model.objects.count() for model in (Region, Department, Epci, Commune)}


@pytest.fixture(scope="module")
def real_territories(django_db_setup, django_db_blocker):
    """The committed file loaded twice, once for the whole module (about 35,000 rows): the
    search tests run on the real territories. Deleted at the end of the module."""
    with django_db_blocker.unblock():
        runs = []
        for _ in range(2):
            out = StringIO()
            started = time.monotonic()
            call_command("load_territories", stdout=out)
            runs.append({"counts": _counts(), "seconds": time.monotonic() - started, "output": out})
        yield runs
        document = read_gzip_json(DEFAULT_OUTPUT)
        for key, model in (
            ("communes", Commune),
            ("epci", Epci),
            ("departments", Department),
            ("regions", Region),
        ):
            codes = [row[0] for row in document[key]]
            for start in range(0, len(codes), 5000):
                model.objects.filter(code__in=codes[start : start + 5000]).delete()


def test_load_real_file_twice_gives_the_same_counts(real_territories):
    first, second = real_territories
    counts = first["counts"]
    assert counts[Region] == 18
    assert counts[Department] == 101
    assert counts[Epci] > 1200
    assert counts[Commune] > 34000
    assert second["counts"] == counts
    output = second["output"].getvalue()
    for line in ("regions: 18", "departments: 101", f"communes: {counts[Commune]}"):
        assert line in output
    # Far above the ~3 s measured on 2 cores: only catches a pathological slowdown.
    assert max(run["seconds"] for run in real_territories) < 60


@pytest.mark.django_db
def test_real_file_links_communes_to_their_parents(real_territories):
    lyon = Commune.objects.select_related("department__region", "epci").get(code="69123")
    assert lyon.name == "Lyon"
    assert lyon.department.name == "Rhône"
    assert lyon.department.region.name == "Auvergne-Rhône-Alpes"
    assert lyon.epci is not None and "Lyon" in lyon.epci.name
    assert "69001" in lyon.postal_codes.split()
    mamoudzou = Commune.objects.get(code="97611")  # overseas departments are included
    assert mamoudzou.department.name == "Mayotte"


# --- Search


def labels(results):
    return [result["label"] for result in results]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["saint etienne", "SAINT-ÉTIENNE", "saint-etienne", "Saint Étienne"]
)
def test_search_is_accent_and_case_insensitive(real_territories, query):
    communes = search_territories(query, levels=["commune"])
    assert communes[0] == {"level": "commune", "code": "42218", "label": "Saint-Étienne (42)"}


@pytest.mark.django_db
def test_search_ranks_exact_then_prefix_then_word_prefix(real_territories):
    results = search_territories("lyon", limit=20)
    assert results[0] == {"level": "commune", "code": "69123", "label": "Lyon (69)"}
    ranks = []
    for result in results:
        name = normalize_name(re.sub(r" \(\w+\)$", "", result["label"]))
        if name == "lyon":
            ranks.append(0)
        elif name.startswith("lyon"):
            ranks.append(1)
        else:
            assert " lyon" in name
            ranks.append(2)
    assert ranks == sorted(ranks)
    assert 2 in ranks  # names merely containing the word come after the others


@pytest.mark.django_db
def test_search_prefers_shorter_names_within_a_rank(real_territories):
    results = search_territories("saint", levels=["commune"], limit=20)
    lengths = [len(normalize_name(label.rsplit(" (", 1)[0])) for label in labels(results)]
    assert lengths == sorted(lengths)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("69", {"level": "department", "code": "69", "label": "Rhône (69)"}),
        ("2a", {"level": "department", "code": "2A", "label": "Corse-du-Sud (2A)"}),
        ("974", {"level": "department", "code": "974", "label": "La Réunion (974)"}),
        ("ile de france", {"level": "region", "code": "11", "label": "Île-de-France"}),
        ("Rhône", {"level": "department", "code": "69", "label": "Rhône (69)"}),
        ("vandoeuvre", {"level": "commune", "code": "54547", "label": "Vandœuvre-lès-Nancy (54)"}),
        ("69001", {"level": "commune", "code": "69123", "label": "Lyon (69)"}),
        ("etienne saint", {"level": "commune", "code": "42218", "label": "Saint-Étienne (42)"}),
        ("st etienne", {"level": "commune", "code": "42218", "label": "Saint-Étienne (42)"}),
        ("Ste-Maxime", {"level": "commune", "code": "83115", "label": "Sainte-Maxime (83)"}),
        ("l’haÿ", {"level": "commune", "code": "94038", "label": "L'Haÿ-les-Roses (94)"}),
    ],
)
def test_search_finds(real_territories, query, expected):
    assert search_territories(query)[0] == expected


@pytest.mark.django_db
def test_search_finds_epci_and_respects_levels_and_limit(real_territories):
    epci = search_territories("metropole de lyon", levels=["epci"])
    assert epci[0]["level"] == "epci" and epci[0]["label"] == "Métropole de Lyon"
    results = search_territories("loire", levels=["region", "department"], limit=3)
    assert labels(results) == ["Loire (42)", "Loiret (45)", "Loire-Atlantique (44)"]
    assert {result["level"] for result in results} <= {"region", "department"}
    assert search_territories("!!") == []
    assert search_territories("zzzzzz") == []


@pytest.mark.django_db
def test_search_works_on_factory_territories():
    commune = CommuneFactory(name="Zénith-sur-Essai", epci=EpciFactory(name="CA du Zénith"))
    results = search_territories("zenith")
    assert {"level": "commune", "code": commune.code, "label": str(commune)} in results
    assert {"level": "epci", "code": commune.epci.code, "label": "CA du Zénith"} in results


# --- Autocomplete endpoint


def test_route_name():
    assert reverse("territory_autocomplete") == URL


@pytest.mark.django_db
def test_endpoint_returns_suggestions_to_anonymous_visitors(client, real_territories):
    response = client.get(URL, {"q": "lyon", "levels": "commune", "limit": "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert results[0] == {"level": "commune", "code": "69123", "label": "Lyon (69)"}
    assert len(results) <= 3
    assert {result["level"] for result in results} == {"commune"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "lyon"}, 200),
        ({"q": "ly"}, 200),
        ({"q": "69"}, 200),
        ({"q": "  lyon  ", "levels": " commune , epci "}, 200),
        ({"q": "zzzzzzzz"}, 200),
        ({"q": "x" * 100}, 200),
        ({"q": "é" * 100}, 200),
        ({"q": "Besançon 🏘️"}, 200),
        ({"q": "北京市"}, 200),
        ({"q": "'; DROP TABLE directory_commune; --"}, 200),
        ({"q": "lyon' OR '1'='1"}, 200),
        ({"q": "%_%_\\"}, 200),
        ({"q": "<script>alert(1)</script>"}, 200),
        ({"q": "ab\x00cd"}, 200),
        ({"q": "lyon", "limit": "20"}, 200),
        ({}, 400),
        ({"q": ""}, 400),
        ({"q": "   "}, 400),
        ({"q": "l"}, 400),
        ({"q": "x" * 101}, 400),
        ({"q": "lyon", "levels": "nation"}, 400),
        ({"q": "lyon", "levels": "city"}, 400),
        ({"q": "lyon", "levels": ""}, 400),
        ({"q": "lyon", "levels": ",,"}, 400),
        ({"q": "lyon", "levels": "commune;DROP"}, 400),
        ({"q": "lyon", "limit": "abc"}, 400),
        ({"q": "lyon", "limit": "0"}, 400),
        ({"q": "lyon", "limit": "21"}, 400),
        ({"q": "lyon", "limit": "-1"}, 400),
        ({"q": "lyon", "limit": "1e3"}, 400),
        ({"q": "lyon", "limit": "٣"}, 400),
        ({"q": "lyon", "limit": "9" * 50}, 400),
    ],
)
def test_endpoint_answers_200_or_400_never_500(client, real_territories, params, status):
    response = client.get(URL, params)
    assert response.status_code == status
    body = response.json()
    if status == 200:
        assert isinstance(body["results"], list)
        for result in body["results"]:
            assert set(result) == {"level", "code", "label"}
    else:
        assert set(body) == {"error"} and body["error"]


@pytest.mark.django_db
def test_endpoint_errors_go_through_gettext(client):
    response = client.get(URL, {"q": "l"})
    assert response.status_code == 400
    with translation.override(settings.LANGUAGE_CODE):
        expected = translation.gettext("Type at least %(count)d characters.") % {"count": 2}
    assert response.json() == {"error": expected}  # "Saisissez au moins 2 caractères."


@pytest.mark.django_db
def test_endpoint_is_get_only(client):
    assert client.post(URL, {"q": "lyon"}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["lyon", "saint", "69", "ab"])
def test_endpoint_query_count_is_constant(
    client, django_assert_num_queries, real_territories, query
):
    # "lyon" matches a handful of territories, "saint" thousands: always one query.
    with django_assert_num_queries(1):
        response = client.get(URL, {"q": query, "limit": "20"})
    assert response.status_code == 200
    with django_assert_num_queries(1):
        client.get(URL, {"q": query, "levels": "commune"})


@pytest.mark.django_db
def test_search_is_fast_enough(real_territories):
    search_territories("sa")  # warm up
    started = time.monotonic()
    for query in ("sa", "saint", "lyon", "ile de france", "69"):
        search_territories(query)
    assert time.monotonic() - started < 5  # a few tens of ms each in practice


# --- Form field and widget


class AreaForm(forms.Form):
    territory = TerritoryField(levels=["department", "commune"], label="Territoire")


@pytest.fixture
def territories(db):
    department = DepartmentFactory(code="D99", name="Essonne-Test")
    return {
        "department": department,
        "commune": CommuneFactory(code="C9901", name="Évry-Test", department=department),
        "homonym_1": CommuneFactory(code="C9902", name="Homonyme-Test", department=department),
        "homonym_2": CommuneFactory(code="C9903", name="Homonyme-Test"),
        "epci": EpciFactory(code="900000001", name="CC Test"),
    }


def test_field_cleans_level_and_code_into_the_instance(territories):
    form = AreaForm({"territory": "commune:C9901"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territory"] == territories["commune"]
    assert isinstance(form.cleaned_data["territory"], Commune)

    form = AreaForm({"territory": "department:D99"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territory"] == territories["department"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("commune:NOPE", "This territory does not exist."),
        ("epci:900000001", "This kind of territory is not accepted here."),
        ("nation:FR", "Choose a territory from the suggested list."),
        ("commune:", "Choose a territory from the suggested list."),
        ("commune:C99:01", "Choose a territory from the suggested list."),
        (":C9901", "Choose a territory from the suggested list."),
        ("commune:C9901' OR 1=1", "Choose a territory from the suggested list."),
        ("Nulle-Part", "No territory matches “Nulle-Part”. Choose one from the suggested list."),
        (
            "Homonyme-Test",
            "Several territories match “Homonyme-Test”. Choose one from the suggested list.",
        ),
        ("", "This field is required."),
    ],
)
def test_field_rejects_unknown_or_malformed_values(territories, value, message):
    form = AreaForm({"territory": value})
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["territory"] == [message]


def test_field_resolves_typed_text_without_javascript(territories):
    # The visible input alone (no script filled the hidden one).
    for text in ("Évry-Test", "evry test", "Évry-Test (D99)", "Essonne-Test"):
        form = AreaForm({"territory": "", "territory_search": text})
        assert form.is_valid(), (text, form.errors)
    form = AreaForm({"territory": "", "territory_search": "evry test"})
    form.is_valid()
    assert form.cleaned_data["territory"] == territories["commune"]


def test_field_prefers_the_typed_text_once_it_differs_from_the_chosen_label(territories):
    chosen = {"territory": "commune:C9901", "territory_label": "Évry-Test (D99)"}
    form = AreaForm({**chosen, "territory_search": "Évry-Test (D99)"})
    assert form.is_valid() and form.cleaned_data["territory"] == territories["commune"]
    form = AreaForm({**chosen, "territory_search": "Essonne-Test"})
    assert form.is_valid() and form.cleaned_data["territory"] == territories["department"]
    form = AreaForm({**chosen, "territory_search": ""})
    assert not form.is_valid()


def test_field_accepts_initial_instances_and_bare_codes(territories):
    field = TerritoryField(levels=["commune"])
    assert field.clean(territories["commune"]) == territories["commune"]
    assert field.clean("C9901") == territories["commune"]  # a model form's initial foreign key
    with pytest.raises(forms.ValidationError):
        field.clean(territories["epci"])
    with pytest.raises(ValueError):
        TerritoryField(levels=["nation"])


def test_field_has_changed(territories):
    form = AreaForm(
        {"territory": "commune:C9901", "territory_search": "Évry-Test (D99)"},
        initial={"territory": territories["commune"]},
    )
    assert not form.has_changed()
    form = AreaForm(
        {"territory": "department:D99", "territory_search": "Essonne-Test (D99)"},
        initial={"territory": territories["commune"]},
    )
    assert form.has_changed()


def test_widget_renders_an_accessible_combobox(territories):
    form = AreaForm(initial={"territory": territories["commune"]})
    html = " ".join(str(form["territory"]).split())
    visible = re.search(r'<input type="text"[^>]*>', html).group(0)
    assert 'name="territory_search"' in visible
    assert 'id="id_territory"' in visible  # the label points to the visible input
    assert 'role="combobox"' in visible
    assert 'aria-autocomplete="list"' in visible
    assert 'aria-expanded="false"' in visible
    assert 'aria-controls="id_territory_listbox"' in visible
    assert 'value="Évry-Test (D99)"' in visible
    assert 'class="fr-input"' in visible
    assert '<input type="hidden" name="territory" value="commune:C9901"' in html
    assert 'id="id_territory_listbox"' in html and 'role="listbox"' in html
    assert 'aria-live="polite"' in html
    assert f'data-url="{URL}"' in html
    assert 'data-levels="department,commune"' in html
    assert f'data-level-commune="{TerritoryLevel.COMMUNE.label}"' in html
    assert f'data-level-department="{TerritoryLevel.DEPARTMENT.label}"' in html
    assert "data-level-epci" not in html  # only the field's levels
    assert "data-msg-too-short=" in html and "data-msg-many=" in html
    assert "js/territory-autocomplete.js" in str(form.media)
    assert "css/combobox.css" in str(form.media)


def test_widget_shows_back_what_was_typed(territories):
    form = AreaForm({"territory": "", "territory_search": "Nulle <Part>"})
    assert not form.is_valid()
    html = " ".join(str(form["territory"]).split())
    assert 'value="Nulle &lt;Part&gt;"' in html
    assert '<input type="hidden" name="territory" value=""' in html


def test_widget_renders_in_a_dsfr_form(territories):
    from dsfr.forms import DsfrBaseForm

    class DsfrAreaForm(DsfrBaseForm):
        territory = TerritoryField(levels=["commune"], label="Commune")

    form = DsfrAreaForm({"territory": "commune:NOPE", "territory_search": "x"})
    assert not form.is_valid()
    html = form["territory"].as_field_group()
    assert '<label for="id_territory"' in html or 'for="id_territory"' in html
    assert 'aria-describedby="id_territory-desc-error"' in html
    assert "fr-input-group--error" in html


def test_widget_value_from_datadict():
    widget = TerritoryAutocompleteWidget()
    assert widget.value_from_datadict({"t": "commune:1", "t_search": "A", "t_label": "A"}, {}, "t")
    assert widget.value_from_datadict({"t": "commune:1"}, {}, "t") == "commune:1"
    assert widget.value_from_datadict({"t": "commune:1", "t_search": "B"}, {}, "t") == "B"
    assert widget.value_from_datadict({"t_search": " typed "}, {}, "t") == "typed"
    assert widget.value_omitted_from_data({}, {}, "t")
    assert not widget.value_omitted_from_data({"t_search": ""}, {}, "t")


def test_static_assets_exist():
    root = Path(settings.BASE_DIR) / "static"
    script = (root / "js/territory-autocomplete.js").read_text()
    assert (root / "css/combobox.css").exists()
    for needle in ("ArrowDown", "ArrowUp", "Enter", "Escape", "aria-activedescendant"):
        assert needle in script
    assert "://" not in script  # no CDN: the endpoint URL comes from the template
