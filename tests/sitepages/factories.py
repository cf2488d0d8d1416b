import datetime

import factory
from django.utils import timezone

from cms.models import HomePage
from sitepages.models import SiteIndexPage, SitePage
from tests.directory.factories import CommuneFactory, DepartmentFactory


class _PageFactory(factory.django.DjangoModelFactory):
    """Wagtail pages are created as children of a parent page (`add_child`), never `save()`."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        cls._parent(page, parent).add_child(instance=page)
        return page


class SiteIndexPageFactory(_PageFactory):
    class Meta:
        model = SiteIndexPage

    department = factory.SubFactory(DepartmentFactory)
    title = factory.LazyAttribute(lambda o: f"Sites — {o.department.name}")

    @classmethod
    def _parent(cls, page, parent):
        return parent or HomePage.objects.get()


class SitePageFactory(_PageFactory):
    """A site; its department's index page is found or created."""

    class Meta:
        model = SitePage

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    address = factory.Sequence(lambda n: f"{n} chemin des Vignes")
    declared_at = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @classmethod
    def _parent(cls, page, parent):
        if parent is not None:
            return parent
        department = page.commune.department
        index = SiteIndexPage.objects.filter(department=department).first()
        return index or SiteIndexPageFactory(department=department)
