"""Personal API tokens: created (the secret is returned once, only its digest is stored) and
revoked. Views parse and check (the owner, the form) and call these."""

from api.models import ApiToken


def create_token(*, user, name: str, expiry) -> tuple[ApiToken, str]:
    """A new token of `user`, valid for `expiry` (a timedelta); the token and its secret."""
    return ApiToken.objects.create(user=user, expiry=expiry, name=name)


def revoke_token(*, token: ApiToken) -> None:
    token.delete()
