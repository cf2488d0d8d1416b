/*
 * The site page's small map (sitepages/templates/sitepages/site_page.html): the site's point on
 * a still map (no zoom, no drag, nothing focusable: the coordinates are written below it and in
 * its label). Tiles come from SITES_MAP_TILE_URL; without it, a blank background.
 */
(function () {
  "use strict";

  var container = document.getElementById("site-glance-map");
  if (!container || typeof L === "undefined") {
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
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  }
  L.marker([latitude, longitude], {
    interactive: false,
    keyboard: false,
    icon: L.divIcon({
      className: "",
      html: '<span class="sites-map__marker sites-map__marker--open"></span>',
      iconSize: [20, 20],
      iconAnchor: [10, 20],
    }),
  }).addTo(map);
  container.dataset.ready = "true";
})();
