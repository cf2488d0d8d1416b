"""Assertions shared by several test modules."""

from urllib.parse import urlsplit

from django.urls import reverse


def assert_admin_screen_opens(client, path: str):
    """GET `path` in the Wagtail admin and check that the screen itself answered.

    Wagtail refuses access by redirecting to the dashboard (or the login page), which answers 200:
    a status check after following redirects cannot tell a granted screen from a refusal. So the
    redirects may only stay below `path` (e.g. a settings screen redirecting to its site's form),
    and the final answer must be a 200 that is neither the dashboard nor a login form.
    """
    response = client.get(path, follow=True)
    final = urlsplit(response.redirect_chain[-1][0]).path if response.redirect_chain else path
    assert final.startswith(path), f"{path} redirected to {final} (access refused?)"
    assert final != reverse("wagtailadmin_home") or path == reverse("wagtailadmin_home"), path
    assert response.status_code == 200, (path, response.status_code)
    body = response.content.decode()
    assert 'name="password"' not in body, f"{path} answered a login form"
    return response
