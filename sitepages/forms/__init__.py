"""Front-end forms of the sites: the site form and its child rows, closing, decree attachments."""

from sitepages.forms.closing import ClosingForm
from sitepages.forms.site import SiteForm, VisitForm

__all__ = ["ClosingForm", "SiteForm", "VisitForm"]
