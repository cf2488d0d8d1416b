/*
 * What the platform's Leaflet maps share (loaded after leaflet.js, before each map's script):
 * - `RBMap.background(map, container, showNotice)`: the tile layer named by the container's
 *   `data-tile-url` (SITES_MAP_TILE_URL) with its `data-tile-attribution`; without a tile
 *   server, or when tiles fail to load (a closed network), `showNotice` gets the container's
 *   `data-msg-no-tiles` or `data-msg-tile-error` once, and the container is marked
 *   `data-tiles-failed`. The markers work either way.
 * - `RBMap.siteIcon(status)`: a site's marker, a CSS shape (no image, so hashed static file
 *   names do not matter): status is open, closed or resorbed.
 */
(function () {
  "use strict";

  if (typeof L === "undefined") {
    return;
  }

  function background(map, container, showNotice) {
    var data = container.dataset;
    if (!data.tileUrl) {
      if (showNotice) {
        showNotice(data.msgNoTiles);
      }
      return;
    }
    var tileErrorShown = false;
    L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 19 })
      .on("tileerror", function () {
        if (!tileErrorShown) {
          tileErrorShown = true;
          container.dataset.tilesFailed = "true";
          if (showNotice) {
            showNotice(data.msgTileError);
          }
        }
      })
      .addTo(map);
  }

  function siteIcon(status) {
    return L.divIcon({
      className: "",
      html: '<span class="sites-map__marker sites-map__marker--' + status + '"></span>',
      iconSize: [20, 20],
      iconAnchor: [10, 20],
      popupAnchor: [0, -18],
    });
  }

  window.RBMap = { background: background, siteIcon: siteIcon };
})();
