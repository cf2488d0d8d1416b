"""Personal API tokens: django-rest-knox's hashed tokens (`KNOX_TOKEN_MODEL`), named by their
owner, with an expiry and the time of their last use. Only a digest is stored: the token itself
is shown once, when it is created."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    name = models.CharField(_("name"), max_length=100)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"
