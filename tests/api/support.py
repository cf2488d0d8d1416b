"""Helpers of the API tests: a client calling with a personal token."""

from rest_framework.test import APIClient

from api.models import ApiToken
from tests.directory.factories import UserFactory, give_area


def token_for(user, **kwargs) -> str:
    _token, secret = ApiToken.objects.create(user=user, name="tests", **kwargs)
    return secret


def api_client(user=None, secret=None) -> APIClient:
    client = APIClient()
    if secret is None and user is not None:
        secret = token_for(user)
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def member(role, territory=None, *, area=True, **fields):
    user = UserFactory(role=role, **fields)
    if area:
        give_area(user, territory)
    return user
