/*
 * Territory autocomplete: enhances the inputs rendered by
 * directory/templates/directory/widgets/territory_autocomplete.html (ARIA 1.2 combobox pattern,
 * list autocomplete). No dependency, no build step. Every text comes from data- attributes so that
 * it goes through Django's translations.
 *
 * Keyboard: Down/Up move through the suggestions (opening the list), Enter chooses, Escape closes
 * the list (or clears the input when it is already closed), Tab leaves. The number of suggestions
 * is announced through the widget's live region.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var LIMIT = 10;

  function TerritoryAutocomplete(root) {
    this.root = root;
    this.input = root.querySelector('[role="combobox"]');
    this.valueInput = root.querySelector("[data-territory-value]");
    this.labelInput = root.querySelector("[data-territory-label]");
    this.listbox = root.querySelector('[role="listbox"]');
    this.status = root.querySelector('[role="status"]');
    this.minChars = parseInt(root.dataset.minChars, 10) || 2;
    this.results = [];
    this.activeIndex = -1;
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;

    var hint = document.getElementById(this.input.id + "_combobox_hint");
    if (hint) {
      hint.hidden = false;
      var describedBy = (this.input.getAttribute("aria-describedby") || "").split(/\s+/);
      if (describedBy.indexOf(hint.id) === -1) {
        describedBy.push(hint.id);
        this.input.setAttribute("aria-describedby", describedBy.join(" ").trim());
      }
    }

    this.input.addEventListener("input", this.onInput.bind(this));
    this.input.addEventListener("keydown", this.onKeyDown.bind(this));
    this.input.addEventListener("blur", this.close.bind(this));
    // mousedown, not click: choosing must happen before the input loses focus.
    this.listbox.addEventListener("mousedown", this.onMouseDown.bind(this));
  }

  window.RBCombobox.mixin(TerritoryAutocomplete.prototype);

  TerritoryAutocomplete.prototype.onInput = function () {
    // The text no longer names the chosen territory.
    this.valueInput.value = "";
    this.labelInput.value = "";
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < this.minChars) {
      this.abort();
      this.lastQuery = null;
      this.results = [];
      this.close();
      if (query.length > 0) {
        this.announce(this.root.dataset.msgTooShort);
      }
      return;
    }
    this.timer = window.setTimeout(this.search.bind(this, query), DEBOUNCE_MS);
  };

  TerritoryAutocomplete.prototype.search = function (query) {
    if (query === this.lastQuery) {
      this.open();
      return;
    }
    this.abort();
    var controller = window.AbortController ? new AbortController() : null;
    this.controller = controller;
    var params = new URLSearchParams({ q: query, limit: String(LIMIT) });
    if (this.root.dataset.levels) {
      params.set("levels", this.root.dataset.levels);
    }
    var self = this;
    fetch(this.root.dataset.url + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data && data.error ? data.error : self.root.dataset.msgError);
          }
          return data;
        });
      })
      .then(function (data) {
        self.controller = null;
        self.lastQuery = query;
        self.render(data.results || []);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        self.controller = null;
        self.lastQuery = null;
        self.results = [];
        self.close();
        self.announce(
          error && error.message && !(error instanceof TypeError) && !(error instanceof SyntaxError)
            ? error.message
            : self.root.dataset.msgError
        );
      });
  };

  TerritoryAutocomplete.prototype.levelLabel = function (level) {
    return this.root.getAttribute("data-level-" + level) || "";
  };

  TerritoryAutocomplete.prototype.render = function (results) {
    this.results = results;
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.textContent = "";
    var self = this;
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "_option_" + index;
      option.className = "rb-combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      var label = document.createElement("span");
      label.textContent = result.label;
      option.appendChild(label);
      var levelLabel = self.levelLabel(result.level);
      if (levelLabel) {
        var level = document.createElement("span");
        level.className = "rb-combobox__meta";
        // Read as "Lyon (69), Commune"; the comma is for screen readers only.
        var comma = document.createElement("span");
        comma.className = "fr-sr-only";
        comma.textContent = ", ";
        level.appendChild(comma);
        level.appendChild(document.createTextNode(levelLabel));
        option.appendChild(level);
      }
      self.listbox.appendChild(option);
    });
    var dataset = this.root.dataset;
    if (results.length === 0) {
      this.close();
      this.announce(dataset.msgNone);
    } else {
      this.open();
      this.announce(
        results.length === 1 ? dataset.msgOne : dataset.msgMany.replace("{count}", results.length)
      );
    }
  };

  TerritoryAutocomplete.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) {
      return;
    }
    this.input.value = result.label;
    this.valueInput.value = result.level + ":" + result.code;
    this.labelInput.value = result.label;
    this.lastQuery = null;
    this.close();
    this.valueInput.dispatchEvent(new Event("change", { bubbles: true }));
  };

  TerritoryAutocomplete.prototype.onKeyDown = function (event) {
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (event.altKey) {
          this.open();
        } else {
          this.move(1);
        }
        break;
      case "ArrowUp":
      case "Up":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen() && this.activeIndex >= 0) {
          event.preventDefault(); // choose, do not submit the form
          this.choose(this.activeIndex);
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.onInput();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  TerritoryAutocomplete.prototype.onMouseDown = function (event) {
    // Keep the focus in the input, also when the scrollbar of the list is used.
    event.preventDefault();
    var option = event.target.closest('[role="option"]');
    if (option) {
      this.choose(parseInt(option.dataset.index, 10));
    }
  };

  function init(container) {
    var roots = (container || document).querySelectorAll("[data-territory-autocomplete]");
    Array.prototype.forEach.call(roots, function (root) {
      if (!root.territoryAutocomplete) {
        root.territoryAutocomplete = new TerritoryAutocomplete(root);
      }
    });
  }

  window.initTerritoryAutocomplete = init;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init();
    });
  } else {
    init();
  }
})();
