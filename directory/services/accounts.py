"""Operations on accounts that the views call (keyword-only arguments)."""

from django.utils import timezone
from wagtail.log_actions import log

from directory.models import CharterVersion, User


def accept_charter(*, user: User, charter: CharterVersion) -> None:
    user.charter_version_accepted = charter.version
    user.charter_accepted_at = timezone.now()
    user.save(update_fields=["charter_version_accepted", "charter_accepted_at"])
    log(
        instance=user,
        action="directory.charter.accept",
        user=user,
        data={"version": charter.version},
    )
