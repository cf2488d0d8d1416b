/*
 * The site form's map (sitepages/templates/sitepages/edit/_locate.html): place the site with a
 * pin, and find an address through the platform's geocoder endpoint.
 *
 * Progressive enhancement: the latitude and longitude fields stay the accessible way to place
 * the site; this script shows the map, keeps the pin and the two fields in step both ways,
 * starts on the placed site or on the chosen commune's centre (asked again when the commune
 * changes), and lists the addresses found as buttons. Texts come from data- attributes
 * (translated in the template); results are written as text, never as HTML.
 */
(function () {
  "use strict";

  var block = document.getElementById("site-locate");
  var container = document.getElementById("site-locate-map");
  if (!block || !container || typeof L === "undefined" || typeof RBMap === "undefined") {
    return;
  }
  var form = container.closest("form");
  var data = container.dataset;
  var latitudeInput = document.getElementById("id_latitude");
  var longitudeInput = document.getElementById("id_longitude");
  var addressInput = document.getElementById("id_address");
  var communeInput = form ? form.querySelector('input[type="hidden"][name="commune"]') : null;
  var status = document.getElementById("site-locate-status");
  var notice = document.getElementById("site-locate-notice");
  if (!latitudeInput || !longitudeInput) {
    return;
  }
  block.hidden = false;

  function announce(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function showNotice(message) {
    if (notice) {
      notice.textContent = message;
      notice.hidden = false;
    }
  }

  function number(text) {
    var value = parseFloat(String(text || "").replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function typedPosition() {
    var latitude = number(latitudeInput.value);
    var longitude = number(longitudeInput.value);
    if (latitude === null || longitude === null) {
      return null;
    }
    if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
      return null;
    }
    return L.latLng(latitude, longitude);
  }

  var start = typedPosition();
  var zoom = 17;
  if (!start && number(data.startLatitude) !== null && number(data.startLongitude) !== null) {
    start = L.latLng(number(data.startLatitude), number(data.startLongitude));
    zoom = number(data.startZoom) || 14;
  }
  var map = L.map(container, {
    center: start || [46.6, 2.4],
    zoom: start ? zoom : 6,
    minZoom: 2,
    maxZoom: 19,
  });
  container.dataset.ready = "true";

  RBMap.background(map, container, showNotice);

  var marker = null;
  var icon = RBMap.siteIcon("open");

  function write(latlng) {
    latitudeInput.value = latlng.lat.toFixed(6);
    longitudeInput.value = latlng.lng.toFixed(6);
    container.dataset.latitude = latitudeInput.value;
    container.dataset.longitude = longitudeInput.value;
    announce(
      data.msgPlaced
        .replace("{latitude}", latitudeInput.value)
        .replace("{longitude}", longitudeInput.value)
    );
  }

  function place(latlng) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, icon: icon, title: data.msgMarker });
      marker.on("dragend", function () {
        write(marker.getLatLng());
      });
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
  }

  if (typedPosition()) {
    place(typedPosition());
  }

  map.on("click", function (event) {
    place(event.latlng);
    write(event.latlng);
  });

  function followFields() {
    var position = typedPosition();
    if (position) {
      place(position);
      map.setView(position, Math.max(map.getZoom(), 15));
    }
  }
  latitudeInput.addEventListener("change", followFields);
  longitudeInput.addEventListener("change", followFields);

  function communeValue() {
    return communeInput ? communeInput.value : "";
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      }
    );
  }

  if (communeInput) {
    communeInput.addEventListener("change", function () {
      var commune = communeValue();
      if (!commune || typedPosition()) {
        return;
      }
      getJson(data.centreUrl + "?commune=" + encodeURIComponent(commune))
        .then(function (answer) {
          var body = answer.body || {};
          if (answer.ok && typeof body.latitude === "number") {
            map.setView([body.latitude, body.longitude], body.zoom || 14);
            container.dataset.centredOn = commune;
          }
        })
        .catch(function () {});
    });
  }

  // --- Address search (only when the platform has a geocoder) ---------------------------
  var searchInput = document.getElementById("site-locate-address");
  var searchButton = document.getElementById("site-locate-address-button");
  var results = document.getElementById("site-locate-results");
  if (!searchInput || !searchButton || !results) {
    return;
  }

  function choose(address) {
    var latlng = L.latLng(address.latitude, address.longitude);
    place(latlng);
    write(latlng);
    map.setView(latlng, 17);
    if (addressInput) {
      addressInput.value = address.name || address.label;
    }
    results.textContent = "";
    searchInput.focus();
  }

  function search() {
    var text = searchInput.value.trim();
    if (text.length < 3) {
      return;
    }
    var url = data.addressUrl + "?q=" + encodeURIComponent(text);
    if (communeValue()) {
      url += "&commune=" + encodeURIComponent(communeValue());
    }
    results.textContent = "";
    getJson(url)
      .then(function (answer) {
        var found = (answer.body && answer.body.results) || [];
        if (!answer.ok) {
          announce(data.msgUnavailable);
          showNotice(data.msgUnavailable);
          return;
        }
        if (!found.length) {
          announce(data.msgNoResult);
          return;
        }
        found.forEach(function (address) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "fr-btn fr-btn--tertiary fr-btn--sm";
          button.textContent = address.label;
          button.addEventListener("click", function () {
            choose(address);
          });
          item.appendChild(button);
          results.appendChild(item);
        });
        announce(data.msgResults.replace("{count}", String(found.length)));
      })
      .catch(function () {
        announce(data.msgUnavailable);
        showNotice(data.msgUnavailable);
      });
  }

  searchButton.addEventListener("click", search);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // never submits the site form
      search();
    }
  });
})();
