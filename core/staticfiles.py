"""Static files storage of production: hashed names (cached forever) and compressed copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed manifest storage that drops a `sourceMappingURL` comment naming
    a file that is not there.

    Some packaged libraries (the marker cluster plugin of Leaflet, from its xstatic package) end
    with a sourcemap comment while the package does not ship the map: Django's manifest storage
    then refuses the whole `collectstatic`. A missing sourcemap only concerns a developer's
    browser tools, so the comment is removed; every other missing reference (an image in a CSS
    file, an imported module) still fails the build.
    """

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def convert_or_drop_missing_sourcemap(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if "sourceMappingURL" in matchobj["matched"]:
                    return ""
                raise

        return convert_or_drop_missing_sourcemap
