import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from directory.enums import Role
from directory.models import User

pytestmark = pytest.mark.django_db


def load_demo(**kwargs):
    out = io.StringIO()
    call_command("load_demo", stdout=out, **kwargs)
    return out.getvalue()


def test_demo_creates_one_active_account_per_role_and_prints_them(settings):
    settings.DEBUG = True
    output = load_demo()
    for role in Role:
        user = User.objects.get(email=f"{role.value.replace('_', '.')}@demo.test")
        assert user.role == role
        assert user.is_active and user.status == "active"
        assert user.check_password("demo-resorption-2026")
        assert user.email in output
    assert User.objects.get(role=Role.NATIONAL_ADMIN).is_superuser


def test_demo_is_idempotent(settings):
    settings.DEBUG = True
    load_demo()
    counts = (User.objects.count(), Page.objects.count())
    load_demo()
    assert (User.objects.count(), Page.objects.count()) == counts


def test_demo_refuses_to_run_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load_demo()
    assert not User.objects.exists()


def test_demo_accounts_belong_to_organisations_with_territories(settings):
    from directory import perms
    from directory.models import Organization

    settings.DEBUG = True
    load_demo()
    assert Organization.objects.count() >= 10
    for role in Role:
        user = User.objects.get(email=f"{role.value.replace('_', '.')}@demo.test")
        assert user.organization is not None
        assert perms.areas_of(user).main is not None, role
    local_admin = User.objects.get(role=Role.LOCAL_ADMIN, email__endswith="@demo.test")
    assert perms.user_location(local_admin).departments == {"69"}
    assert User.objects.filter(email__endswith="@demo.test").count() > len(Role)
