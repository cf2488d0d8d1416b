/*
 * Search suggestions: enhances the search box of search/templates/search/search.html
 * (ARIA 1.2 combobox pattern, list autocomplete). The listbox mechanics (open, close, active
 * option, arrows, announcements) come from static/js/combobox.js, loaded before this script. No
 * build step. Texts come from data- attributes so that they go through Django's translations.
 *
 * Keyboard: Down/Up move through the suggestions (opening the list), Enter opens the chosen
 * suggestion (or submits the search when none is chosen), Escape closes the list, Tab leaves.
 * The number of suggestions is announced through a live region. Without JavaScript the form
 * works as a plain search form.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;

  function SearchAutocomplete(root) {
    this.root = root;
    this.input = root.querySelector('[role="combobox"]');
    this.listbox = root.querySelector('[role="listbox"]');
    this.status = root.querySelector("[data-search-status]");
    this.url = root.dataset.url;
    this.minChars = parseInt(root.dataset.minChars, 10) || 2;
    this.results = [];
    this.activeIndex = -1;
    this.timer = null;
    this.controller = null;

    this.input.addEventListener("input", this.onInput.bind(this));
    this.input.addEventListener("keydown", this.onKeyDown.bind(this));
    this.input.addEventListener("blur", this.close.bind(this));
    // mousedown, not click: choosing must happen before the input loses focus.
    this.listbox.addEventListener("mousedown", this.onMouseDown.bind(this));
  }

  window.RBCombobox.mixin(SearchAutocomplete.prototype);

  SearchAutocomplete.prototype.onInput = function () {
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < this.minChars) {
      this.abort();
      this.results = [];
      this.close();
      return;
    }
    this.timer = window.setTimeout(this.fetch.bind(this, query), DEBOUNCE_MS);
  };

  SearchAutocomplete.prototype.fetch = function (query) {
    this.abort();
    var controller = ("AbortController" in window) ? new AbortController() : null;
    this.controller = controller;
    var self = this;
    window
      .fetch(this.url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        self.results = data.results || [];
        self.render();
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        self.results = [];
        self.close();
        self.announce(self.root.dataset.msgError);
      });
  };

  SearchAutocomplete.prototype.render = function () {
    var listbox = this.listbox;
    while (listbox.firstChild) {
      listbox.removeChild(listbox.firstChild);
    }
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (!this.results.length) {
      this.close();
      this.announce(this.root.dataset.msgNone);
      return;
    }
    this.results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = listbox.id + "-option-" + index;
      option.className = "rb-combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      var title = document.createElement("span");
      title.textContent = result.title; // text only: never HTML from the server
      option.appendChild(title);
      if (result.type) {
        var type = document.createElement("span");
        type.className = "rb-combobox__meta";
        type.textContent = result.type;
        option.appendChild(type);
      }
      listbox.appendChild(option);
    });
    this.open();
    var template =
      this.results.length === 1 ? this.root.dataset.msgResultsOne : this.root.dataset.msgResultsMany;
    this.announce(template.replace("{count}", String(this.results.length)));
  };

  SearchAutocomplete.prototype.choose = function (index) {
    var result = this.results[index];
    if (result && result.url) {
      window.location.assign(result.url);
    }
  };

  SearchAutocomplete.prototype.onKeyDown = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        this.move(1);
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen() && this.activeIndex >= 0) {
          event.preventDefault();
          this.choose(this.activeIndex);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        break;
      default:
        break;
    }
  };

  SearchAutocomplete.prototype.onMouseDown = function (event) {
    var option = event.target.closest('[role="option"]');
    if (option) {
      event.preventDefault();
      this.choose(parseInt(option.dataset.index, 10));
    }
  };

  document.querySelectorAll("[data-search-autocomplete]").forEach(function (root) {
    new SearchAutocomplete(root);
  });
})();
