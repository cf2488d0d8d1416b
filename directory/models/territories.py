"""French territories: region → department → EPCI → commune, keyed by their official codes."""

import enum
import operator
import re
import unicodedata
from functools import reduce

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.enums import TerritoryLevel

DEPARTMENT_CODE_RE = re.compile(r"\d\d|2[AB]|97\d")
COMMUNE_CODE_RE = re.compile(r"(\d\d|2[AB])\d{3}")
SIREN_RE = re.compile(r"\d{9}")

# Ligatures that NFKD leaves alone but that people type as two letters ("Vandoeuvre").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def normalize_name(value: str) -> str:
    """Lower-case, accent-free, punctuation-light form of a name, for prefix search.

    "L’Haÿ-les-Roses" → "l hay les roses", "Vandœuvre-lès-Nancy" → "vandoeuvre les nancy".
    """
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in stripped.lower().translate(_LIGATURES))
    return " ".join(cleaned.split())


class MatchRank(enum.IntEnum):
    """How well a territory matches a search, best first."""

    CODE_OR_EXACT = 0  # official code (or postal code), or the whole name
    PREFIX = 1  # the name starts with the query
    WORD_PREFIX = 2  # a word inside the name starts with the query
    ALL_WORDS = 3  # every word of the query starts a word of the name, in any order


ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def _expand_abbreviations(normalized: str) -> str:
    return " ".join(ABBREVIATIONS.get(word, word) for word in normalized.split())


def _word_prefix(term: str) -> models.Q:
    return models.Q(search_name__startswith=term) | models.Q(search_name__contains=" " + term)


class TerritoryQuerySet(models.QuerySet):
    def search(self, query: str):
        """Territories matching the query, annotated with `match_rank` and best first.

        Accent-, case- and punctuation-insensitive ("saint etienne" finds "Saint-Étienne"); ranks
        code or exact matches, then prefix matches, then word-prefix matches inside the name, then
        names holding every word of the query; shorter names first within a rank. "st" and "ste"
        also stand for "saint" and "sainte".
        """
        normalized = normalize_name(query)
        # "st etienne" also means "saint etienne": names spell these words out.
        variants = list(dict.fromkeys([normalized, _expand_abbreviations(normalized)]))
        code_match = self.model.code_match(query)
        whens, matches = [], []
        if code_match is not None:
            whens.append(models.When(code_match, then=MatchRank.CODE_OR_EXACT))
            matches.append(code_match)
        if normalized:
            When = models.When
            whens += [When(search_name=v, then=MatchRank.CODE_OR_EXACT) for v in variants]
            whens += [When(search_name__startswith=v, then=MatchRank.PREFIX) for v in variants]
            whens += [
                When(search_name__contains=" " + v, then=MatchRank.WORD_PREFIX) for v in variants
            ]
            # Every word of the query starts a word of the name: a superset of the three name
            # matches above, which also finds Saint-Étienne for "etienne saint".
            matches += [
                reduce(operator.and_, map(_word_prefix, variant.split())) for variant in variants
            ]
        queryset = self.filter(reduce(operator.or_, matches)) if matches else self.none()
        return queryset.annotate(
            match_rank=models.Case(
                *whens, default=MatchRank.ALL_WORDS, output_field=models.IntegerField()
            ),
            name_length=models.functions.Length("search_name"),
        ).order_by("match_rank", "name_length", "search_name", "code")


class Territory(models.Model):
    level: TerritoryLevel

    code = models.CharField(_("code"), max_length=9, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def code_match(cls, query: str) -> models.Q | None:
        """Condition matching the territories whose official code is the query, if it looks like
        one of this level's codes; None otherwise."""
        return None


def _search_index(model_name: str) -> models.Index:
    return models.Index(
        OpClass("search_name", name="varchar_pattern_ops"), name=f"{model_name}_search_idx"
    )


class Region(Territory):
    level = TerritoryLevel.REGION

    class Meta(Territory.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [_search_index("region")]


class Department(Territory):
    level = TerritoryLevel.DEPARTMENT

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )

    class Meta(Territory.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        indexes = [_search_index("department")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @classmethod
    def code_match(cls, query: str) -> models.Q | None:
        code = query.strip().upper()  # "69", "2A", "974"
        return models.Q(code=code) if DEPARTMENT_CODE_RE.fullmatch(code) else None


class Epci(Territory):
    """Établissement public de coopération intercommunale; may span several departments."""

    level = TerritoryLevel.EPCI

    class Meta(Territory.Meta):
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        indexes = [_search_index("epci")]

    @classmethod
    def code_match(cls, query: str) -> models.Q | None:
        code = query.strip()  # SIREN number
        return models.Q(code=code) if SIREN_RE.fullmatch(code) else None


class Commune(Territory):
    level = TerritoryLevel.COMMUNE

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("EPCI"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    # The commune's centre (WGS 84), where the site form's map starts; filled from the geocoder
    # by `manage.py fill_commune_centres` (the official territory data carries no coordinates).
    latitude = models.DecimalField(
        _("centre latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("centre longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta(Territory.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [_search_index("commune")]

    def __str__(self):
        return f"{self.name} ({self.department_id})"

    @classmethod
    def code_match(cls, query: str) -> models.Q | None:
        code = query.strip().upper()  # INSEE code ("69123", "2A004") or postal code ("69001")
        if not COMMUNE_CODE_RE.fullmatch(code):
            return None
        match = models.Q(code=code)
        if code.isdigit():
            match |= models.Q(postal_codes__contains=code)
        return match


def territory_of(obj, level: str):
    """The Region, Department, Epci or Commune that `obj` (with region/department/epci/commune
    foreign keys) designates at `level`; None for the nation."""
    if level == TerritoryLevel.NATION:
        return None
    return getattr(obj, TerritoryLevel(level).value, None)
