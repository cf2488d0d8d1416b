"""Search documents: one row per searchable thing, in PostgreSQL.

The row is the source of truth for both backends: PostgreSQL searches it directly (a generated
`tsvector` with the `french_unaccent` configuration, a trigram index on `names`), and Elasticsearch
receives a copy. Every write marks the row `es_pending` and bumps `revision`; the push task
clears the flag only for the revision it sent, so a change made while Elasticsearch is down (or
while a push is running) is never lost. Deleted things leave a tombstone (`deleted`) until the
deletion has reached Elasticsearch.

Sensitive text (site owners, justice and police procedures) is never indexed: a search document
only holds what every reader holding one of its `access_keys` may read.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from search.enums import DocType

CONFIG = "french_unaccent"


class SearchDocumentQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted=False)

    def readable_by_keys(self, keys):
        """Documents sharing at least one access key with the reader (GIN `&&`)."""
        return self.alive().filter(access_keys__overlap=sorted(keys))

    def pending(self):
        return self.filter(es_pending=True)


class SearchDocument(models.Model):
    ref = models.CharField(_("reference"), max_length=80, unique=True)
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices)
    object_id = models.CharField(_("object identifier"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    #: lower-case, accent-free title and commune name, for typo-tolerant trigram matching
    names = models.CharField(max_length=800, blank=True)
    commune_code = models.CharField(_("commune"), max_length=10, blank=True)
    commune_name = models.CharField(_("commune name"), max_length=200, blank=True)
    department_code = models.CharField(_("department"), max_length=10, blank=True)
    region_code = models.CharField(_("region"), max_length=10, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, blank=True)
    tags = ArrayField(models.CharField(max_length=50), verbose_name=_("tags"), default=list)
    access_keys = ArrayField(
        models.CharField(max_length=80), verbose_name=_("access keys"), default=list
    )
    url = models.CharField(_("address"), max_length=500)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("commune_name", weight="B", config=CONFIG)
        + SearchVector("text", weight="C", config=CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # --- Elasticsearch replication -----------------------------------------------------------
    deleted = models.BooleanField(default=False)
    es_pending = models.BooleanField(default=True)
    revision = models.PositiveIntegerField(default=1)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            GinIndex(fields=["search_vector"], name="search_doc_vector"),
            GinIndex(fields=["access_keys"], name="search_doc_access_keys"),
            GinIndex(OpClass("names", name="gin_trgm_ops"), name="search_doc_names_trgm"),
            models.Index(
                fields=["id"], condition=models.Q(es_pending=True), name="search_doc_pending"
            ),
            models.Index(fields=["doc_type"], name="search_doc_type"),
            # Bounded search (search.backends.postgres): the most recent matches are found by
            # walking this index backwards, the title matches by the title's own `tsvector`,
            # and a department selection by its code.
            models.Index(F("date").desc(nulls_last=True), F("id"), name="search_doc_recent"),
            GinIndex(SearchVector("title", config=CONFIG), name="search_doc_title_vector"),
            models.Index(fields=["department_code"], name="search_doc_department"),
        ]

    def __str__(self):
        return self.title
