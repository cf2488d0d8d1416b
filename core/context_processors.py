from django.conf import settings


def platform(request):
    """Values every template needs: the platform name and the design-system configuration.

    django-dsfr's templates read `SITE_CONFIG`; its own context processor queries the database on
    every request, so the platform provides the same keys from settings instead.
    """
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "SITE_CONFIG": {
            "site_title": settings.PLATFORM_NAME,
            "site_tagline": "Agir pour la résorption des bidonvilles",
            "header_brand_html": "République<br>française",
            "footer_brand_html": "République<br>française",
            "footer_brand": "République française",
        },
    }
