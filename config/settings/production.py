"""Production: HTTPS only, a PostgreSQL server given by DATABASE_URL, SMTP from the environment."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASE_URL, ImproperlyConfigured, env_bool, env_int

if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
