import factory

from directory.models import OrganizationType
from journal.enums import Audience
from journal.models import Entry, Report, Tag
from tests.directory.factories import OrganizationFactory, UserFactory
from tests.sitepages.factories import SitePageFactory


def organization_of_type(type_name, **kwargs):
    organization_type = OrganizationType.objects.get(name=type_name)
    return OrganizationFactory(
        type=organization_type, category=organization_type.category, **kwargs
    )


def ddets(**kwargs):
    organization_type = OrganizationType.objects.get(abbreviation="DDETS")
    return OrganizationFactory(
        type=organization_type, category=organization_type.category, **kwargs
    )


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry
        skip_postgeneration_save = True

    site = factory.SubFactory(SitePageFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Message numéro {n} du journal.")
    audience = Audience.SITE_READERS

    @factory.post_generation
    def organizations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.audience_organizations.set(extracted)

    @factory.post_generation
    def users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.audience_users.set(extracted)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    entry = factory.SubFactory(EntryFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = "Propos insultants."


def tag(name="Incendie"):
    return Tag.objects.get(name=name)
