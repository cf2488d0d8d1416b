"""Headless API (Wagtail API v2): public pages only. Endpoints are added by the public-side work."""

from wagtail.api.v2.router import WagtailAPIRouter

api_router = WagtailAPIRouter("wagtailapi")
