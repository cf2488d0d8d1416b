/*
 * The site page's small map (sitepages/templates/sitepages/site_page.html): the site's point on
 * a still map (no zoom, no drag, nothing focusable: the coordinates are written below it and in
 * its label). Tiles come from SITES_MAP_TILE_URL; without it, a blank background.
 */
(function () {
  "use strict";

  var container = document.getElementById("site-glance-map");
  if (!container || typeof L === "undefined" || typeof RBMap === "undefined") {
    return;
  }
  var latitude = parseFloat(container.dataset.latitude);
  var longitude = parseFloat(container.dataset.longitude);
  if (!isFinite(latitude) || !isFinite(longitude)) {
    return;
  }
  var map = L.map(container, {
    center: [latitude, longitude],
    zoom: 15,
    zoomControl: false,
    attributionControl: false,
    dragging: false,
    scrollWheelZoom: false,
    doubleClickZoom: false,
    boxZoom: false,
    keyboard: false,
    touchZoom: false,
  });
  RBMap.background(map, container, null);
  L.marker([latitude, longitude], {
    interactive: false,
    keyboard: false,
    icon: RBMap.siteIcon("open"),
  }).addTo(map);
  container.dataset.ready = "true";
})();
