import datetime

import factory

from actions.enums import ActionTopic, LocationType
from actions.models import Action, ActionOperator
from tests.directory.factories import DepartmentFactory, OrganizationFactory, UserFactory


class ActionFactory(factory.django.DjangoModelFactory):
    """An action with one pilot and one (principal) operator unless given."""

    class Meta:
        model = Action
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Action {n}")
    goals = "Accompagner les familles vers le logement."
    topics = factory.LazyFunction(lambda: [ActionTopic.HOUSING])
    started_at = datetime.date(2024, 3, 1)
    department = factory.SubFactory(DepartmentFactory)
    location_type = LocationType.OTHER
    location_other = "Sur plusieurs lieux"

    @factory.post_generation
    def pilots(obj, create, extracted, **kwargs):
        if create:
            obj.pilots.set(extracted if extracted is not None else [UserFactory()])

    @factory.post_generation
    def operators(obj, create, extracted, **kwargs):
        if not create:
            return
        organizations = extracted if extracted is not None else [OrganizationFactory()]
        ActionOperator.objects.bulk_create(
            ActionOperator(action=obj, organization=organization, is_principal=index == 0)
            for index, organization in enumerate(organizations)
        )
