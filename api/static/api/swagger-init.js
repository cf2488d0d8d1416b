// Interactive documentation of /api/v1/ (Swagger UI from drf-spectacular-sidecar, served by the
// platform): no inline script, so that the Content-Security-Policy stays strict.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  var csrfToken = node.dataset.csrfToken;
  SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // The page's own session works for "Try it out"; writes carry the CSRF token as the
    // platform's forms do. A personal token can be entered with "Authorize".
    requestInterceptor: function (request) {
      if (csrfToken && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
