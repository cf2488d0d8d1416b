"""Session engine (`SESSION_ENGINE = "directory.sessions"`): Django's database sessions, each
row also holding the id of its logged-in user (`AccountSession.user_id`), so that all the
sessions of an account can be ended at once without reading every session.

- Deactivating an account (any save of an inactive user) ends all its sessions.
- Changing a password ends all the user's sessions; the session where the user changed it
  continues (Django's `update_session_auth_hash` gives it a new key after the save).
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from directory.models.sessions import AccountSession


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return AccountSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session


def end_sessions(user_id: int) -> int:
    """Delete every session of a user; they are logged out at their next request."""
    deleted, _details = AccountSession.objects.of_user(user_id).delete()
    return deleted
