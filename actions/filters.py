"""The filters of the action list and export, as database filters (a fixed number of queries)."""

from django.db.models import Exists, OuterRef, Q

from actions.models import ActionOperator, status_q, year_q
from directory.models import Commune, Department, Epci, Region, normalize_name


def territory_q(territory) -> Q:
    """Actions of a department inside the territory, or holding a site inside it."""
    if isinstance(territory, Region):
        return Q(department__region=territory)
    if isinstance(territory, Department):
        return Q(department=territory)
    if isinstance(territory, Epci):
        return Q(department__in=Commune.objects.filter(epci=territory).values("department"))
    if isinstance(territory, Commune):
        return Q(department_id=territory.department_id)
    raise TypeError(f"Not a territory: {territory!r}")


def text_q(query: str) -> Q:
    condition = Q()
    for word in query.split():
        condition &= Q(name__icontains=word) | Q(goals__icontains=word)
    return condition


def operator_q(text: str) -> Q:
    words = normalize_name(text).split()
    operators = ActionOperator.objects.filter(action_id=OuterRef("pk"))
    for word in words:
        operators = operators.filter(
            Q(organization__search_name__contains=word)
            | Q(organization__abbreviation__icontains=word)
        )
    return Q(Exists(operators))


def apply(queryset, data: dict, user):
    if data.get("territoire") is not None:
        queryset = queryset.filter(territory_q(data["territoire"]))
    if data.get("q"):
        queryset = queryset.filter(text_q(data["q"]))
    if data.get("thematique"):
        queryset = queryset.filter(topics__overlap=data["thematique"])
    if data.get("annee"):
        queryset = queryset.filter(year_q(data["annee"]))
    if data.get("statut"):
        condition = Q(pk__in=[])
        for status in data["statut"]:
            condition |= status_q(status)
        queryset = queryset.filter(condition)
    if data.get("operateur"):
        queryset = queryset.filter(operator_q(data["operateur"]))
    if data.get("site"):
        queryset = queryset.filter(sites=data["site"])
    return queryset
