/*
 * Map of the sites (/sites/carte/). Reads the GeoJSON feed of the current filters and shows
 * the sites as clustered markers (Leaflet and Leaflet.markercluster, served locally).
 *
 * The tile server is a setting (SITES_MAP_TILE_URL): when it is empty, or when tiles fail to
 * load (a closed network without its own tile server), a message says so and the markers are
 * still shown. Every text comes from the data- attributes of #sites-map (translated there), and
 * the data of a site is written as text, never as HTML.
 */
(function () {
  "use strict";

  var container = document.getElementById("sites-map");
  if (!container || typeof L === "undefined" || typeof RBMap === "undefined") {
    return;
  }
  var data = container.dataset;
  var notice = document.getElementById("sites-map-notice");
  var noticeText = document.getElementById("sites-map-notice-text");
  var status = document.getElementById("sites-map-status");

  function showNotice(message) {
    if (!notice || !noticeText) {
      return;
    }
    noticeText.textContent = message;
    notice.hidden = false;
  }

  function announce(message) {
    if (status) {
      status.textContent = message;
    }
  }

  // Metropolitan France by default; the view fits the markers once they are loaded.
  var map = L.map(container, { center: [46.6, 2.4], zoom: 6, minZoom: 2, maxZoom: 19 });
  container.dataset.ready = "true";

  RBMap.background(map, container, showNotice);

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function popup(properties) {
    var box = element("div", "sites-map__popup");
    box.appendChild(element("p", "sites-map__popup-title", properties.name));
    box.appendChild(element("p", "", properties.commune));
    box.appendChild(element("p", "", properties.status_label));
    var people = properties.people === null ? data.msgNotProvided : String(properties.people);
    box.appendChild(element("p", "", data.msgPeople + " : " + people));
    var link = element("a", "fr-link", data.msgOpen);
    link.href = properties.url;
    box.appendChild(link);
    return box;
  }

  function marker(feature, latlng) {
    var properties = feature.properties;
    return L.marker(latlng, {
      icon: RBMap.siteIcon(properties.status),
      title: properties.name + " — " + properties.commune,
      alt: properties.name,
      keyboard: true,
    }).bindPopup(popup(properties));
  }

  var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
  map.addLayer(clusters);

  fetch(data.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, { pointToLayer: marker });
      clusters.addLayers(layer.getLayers());
      var count = collection.features.length;
      container.dataset.markers = String(count);
      if (count === 0) {
        announce(data.msgNone);
        showNotice(data.msgNone);
        return;
      }
      announce(count === 1 ? data.msgLoadedOne : data.msgLoadedMany.replace("{count}", count));
      map.fitBounds(clusters.getBounds(), { padding: [24, 24], maxZoom: 14 });
    })
    .catch(function () {
      container.dataset.markers = "error";
      showNotice(data.msgLoadError);
      announce(data.msgLoadError);
    });
})();
