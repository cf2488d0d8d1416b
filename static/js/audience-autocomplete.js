/*
 * Chosen users of a private journal message: enhances the widget rendered by
 * journal/templates/journal/widgets/audience_users.html (ARIA 1.2 combobox pattern, list
 * autocomplete). No dependency, no build step; every text comes from data- attributes so that it
 * goes through Django's translations.
 *
 * Without this script the text input takes email addresses. With it, the input searches the
 * users of the site's territory; choosing one adds a checked checkbox `name="users"` with a
 * "Retirer" button. Keyboard: Down/Up move through the suggestions, Enter adds the active one,
 * Escape closes the list (or clears the input when it is already closed), Tab leaves. Every
 * change is announced through the widget's live region.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;

  function AudienceAutocomplete(root) {
    this.root = root;
    this.input = root.querySelector(".rb-combobox > input");
    this.listbox = root.querySelector('[role="listbox"]');
    this.chosen = root.querySelector(".rb-combobox__chosen");
    this.status = root.querySelector('[role="status"]');
    this.minChars = parseInt(root.dataset.minChars, 10) || 2;
    this.results = [];
    this.activeIndex = -1;
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;

    // The input becomes a search: its text is no longer posted as email addresses.
    this.input.removeAttribute("name");
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.input.setAttribute("autocomplete", "off");
    this.input.setAttribute("spellcheck", "false");
    var emailsHint = document.getElementById(this.input.id + "_emails_hint");
    var searchHint = document.getElementById(this.input.id + "_search_hint");
    if (emailsHint && searchHint) {
      emailsHint.hidden = true;
      searchHint.hidden = false;
      var describedBy = (this.input.getAttribute("aria-describedby") || "")
        .split(/\s+/)
        .filter(function (id) {
          return id && id !== emailsHint.id;
        });
      describedBy.push(searchHint.id);
      this.input.setAttribute("aria-describedby", describedBy.join(" "));
    }

    var self = this;
    Array.prototype.forEach.call(this.chosen.querySelectorAll("li"), function (item) {
      self.bindRemove(item);
    });
    this.input.addEventListener("input", this.onInput.bind(this));
    this.input.addEventListener("keydown", this.onKeyDown.bind(this));
    this.input.addEventListener("blur", this.close.bind(this));
    // mousedown, not click: choosing must happen before the input loses focus.
    this.listbox.addEventListener("mousedown", this.onMouseDown.bind(this));
  }

  window.RBCombobox.mixin(AudienceAutocomplete.prototype);

  AudienceAutocomplete.prototype.message = function (key, values) {
    var text = this.root.getAttribute("data-msg-" + key) || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("{" + name + "}", values[name]);
    });
    return text;
  };

  AudienceAutocomplete.prototype.onInput = function () {
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < this.minChars) {
      this.abort();
      this.lastQuery = null;
      this.results = [];
      this.close();
      if (query.length > 0) {
        this.announce(this.message("too-short"));
      }
      return;
    }
    this.timer = window.setTimeout(this.search.bind(this, query), DEBOUNCE_MS);
  };

  AudienceAutocomplete.prototype.search = function (query) {
    if (query === this.lastQuery) {
      this.open();
      return;
    }
    this.abort();
    var controller = window.AbortController ? new AbortController() : null;
    this.controller = controller;
    var self = this;
    fetch(this.root.dataset.url + "?" + new URLSearchParams({ q: query }).toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(self.message("error"));
        }
        return response.json();
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
        self.announce(self.message("error"));
      });
  };

  AudienceAutocomplete.prototype.isChosen = function (id) {
    return Boolean(
      this.chosen.querySelector('input[type="checkbox"][value="' + String(id) + '"]')
    );
  };

  AudienceAutocomplete.prototype.render = function (results) {
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
      option.textContent = result.label;
      if (self.isChosen(result.id)) {
        option.setAttribute("aria-disabled", "true");
      }
      self.listbox.appendChild(option);
    });
    if (results.length === 0) {
      this.close();
      this.announce(this.message("none"));
    } else {
      this.open();
      this.announce(
        results.length === 1 ? this.message("one") : this.message("many", { count: results.length })
      );
    }
  };

  AudienceAutocomplete.prototype.bindRemove = function (item) {
    var button = item.querySelector("[data-audience-remove]");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", this.remove.bind(this, item));
  };

  AudienceAutocomplete.prototype.remove = function (item) {
    var label = item.querySelector("label").textContent;
    item.parentNode.removeChild(item);
    this.chosen.hidden = this.chosen.children.length === 0;
    this.input.focus();
    this.announce(this.message("removed", { label: label }));
  };

  AudienceAutocomplete.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) {
      return;
    }
    this.input.value = "";
    this.lastQuery = null;
    this.results = [];
    this.close();
    if (this.isChosen(result.id)) {
      this.announce(this.message("already", { label: result.label }));
      return;
    }
    var inputId = this.input.id + "_user_" + result.id;
    var item = document.createElement("li");
    item.className = "rb-combobox__chip";
    var group = document.createElement("div");
    group.className = "fr-checkbox-group fr-checkbox-group--sm";
    var checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    checkbox.name = this.root.dataset.name;
    checkbox.value = String(result.id);
    checkbox.id = inputId;
    checkbox.checked = true;
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = inputId;
    label.textContent = result.label;
    group.appendChild(checkbox);
    group.appendChild(label);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fr-btn fr-btn--sm fr-btn--tertiary-no-outline";
    button.setAttribute("data-audience-remove", "");
    button.textContent = this.message("remove");
    var hidden = document.createElement("span");
    hidden.className = "fr-sr-only";
    hidden.textContent = " " + result.label;
    button.appendChild(hidden);
    item.appendChild(group);
    item.appendChild(button);
    this.chosen.appendChild(item);
    this.chosen.hidden = false;
    this.bindRemove(item);
    this.announce(this.message("added", { label: result.label }));
  };

  AudienceAutocomplete.prototype.onKeyDown = function (event) {
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
        // Never submit the form from the search input.
        event.preventDefault();
        if (this.isOpen() && this.activeIndex >= 0) {
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

  AudienceAutocomplete.prototype.onMouseDown = function (event) {
    // Keep the focus in the input, also when the scrollbar of the list is used.
    event.preventDefault();
    var option = event.target.closest('[role="option"]');
    if (option) {
      this.choose(parseInt(option.dataset.index, 10));
    }
  };

  function init(container) {
    var roots = (container || document).querySelectorAll("[data-audience-autocomplete]");
    Array.prototype.forEach.call(roots, function (root) {
      if (!root.audienceAutocomplete && root.dataset.url) {
        root.audienceAutocomplete = new AudienceAutocomplete(root);
      }
    });
  }

  window.initAudienceAutocomplete = init;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init();
    });
  } else {
    init();
  }
})();
