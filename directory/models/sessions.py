from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSessionQuerySet(models.QuerySet):
    def of_user(self, user_id: int):
        return self.filter(user_id=user_id)


class AccountSession(AbstractBaseSession):
    """A session (Django's database sessions) that also records whose it is, so that every
    session of one account can end at once: deactivation, password change
    (`directory.sessions`)."""

    # No foreign key: a session may outlive its user by a few requests, and writing one must
    # never fail because the user was deleted meanwhile.
    user_id = models.IntegerField(_("user"), null=True, db_index=True)

    objects = AccountSessionQuerySet.as_manager()

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from directory.sessions import SessionStore

        return SessionStore
