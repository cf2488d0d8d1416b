from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from machina.core.loading import get_class

PermissionHandler = get_class("forum_permission.handler", "PermissionHandler")


class ForumPermissionMiddleware:
    """Attach machina's permission handler to each request and keep anonymous users out.

    Replaces machina's middleware, which stores a key in the session of every anonymous visitor
    (for anonymous posting, which the platform does not allow). Anonymous requests to any forum
    URL are sent to the login page, whatever the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def __call__(self, request):
        request.forum_permission_handler = PermissionHandler()
        if self._prefix is None:
            self._prefix = reverse("forum:index")
        user = getattr(request, "user", None)
        if request.path.startswith(self._prefix) and not (user and user.is_authenticated):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
