"""The sites across departments: list, map and GeoJSON (mounted under /sites/)."""

from django.urls import path

from sitepages import geojson, views_dashboard, views_export, views_list, views_locate

urlpatterns = [
    path("", views_list.site_list, name="site_list"),
    path("carte/", views_list.site_map, name="site_map"),
    path("geojson/", geojson.site_geojson, name="site_geojson"),
    path("export/", views_export.site_export, name="site_export"),
    path("tableau-de-bord/", views_dashboard.site_dashboard, name="site_dashboard"),
    path("localisation/commune/", views_locate.commune_centre, name="site_locate_commune"),
    path("localisation/adresses/", views_locate.address_search, name="site_locate_addresses"),
]
