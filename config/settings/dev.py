"""Local development and demo: debug on, emails printed to the console and kept in var/mail."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from config.settings.base import *  # noqa: E402,F403

INTERNAL_IPS = ["127.0.0.1"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Serve static files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The platform's French 404 page, not Django's technical one, in the demo (core/not_found.py).
MIDDLEWARE = [*MIDDLEWARE[:-1], "core.not_found.PlatformNotFoundMiddleware", MIDDLEWARE[-1]]  # noqa: F405

# Templates and code change under a developer's hands: no anonymous page cache unless asked.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)  # noqa: F405
