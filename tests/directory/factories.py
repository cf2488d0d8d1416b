import factory
from django.utils import timezone

from directory.enums import OrganizationCategory, Role, UserStatus
from directory.models import (
    Commune,
    Department,
    Epci,
    InterventionArea,
    Organization,
    OrganizationType,
    Region,
    User,
)

DEFAULT_PASSWORD = "un-mot-de-passe-solide"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Région {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Métropole {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    epci = None


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Association numéro {n}")
    category = OrganizationCategory.ASSOCIATION
    type = factory.LazyFunction(lambda: OrganizationType.objects.get(name="Association"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.INTERVENANT
    status = UserStatus.ACTIVE
    charter_version_accepted = 1
    charter_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


def give_area(owner, territory=None, *, is_main=True):
    """Attach an intervention area (territory None = the nation) to a user or organisation."""
    key = "user" if isinstance(owner, User) else "organization"
    area = InterventionArea.for_territory(territory, is_main=is_main, **{key: owner})
    area.save()
    if hasattr(owner, "_perm_areas"):
        del owner._perm_areas
    return area
