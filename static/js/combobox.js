/*
 * Listbox mechanics shared by the ARIA 1.2 comboboxes of the platform (territory, journal
 * audience and search autocompletes; their styles are static/css/combobox.css): open/close the
 * popup, the active option (aria-selected + aria-activedescendant), arrow navigation, the
 * live-region announcement and the abort of a pending request. `RBCombobox.mixin(Constructor.prototype)` adds these methods; the object must
 * have `input`, `listbox`, `status`, `results`, `activeIndex` and `controller`.
 */
(function () {
  "use strict";

  var methods = {
    announce: function (message) {
      // Emptying first makes screen readers repeat an identical message.
      this.status.textContent = "";
      var status = this.status;
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
    },

    abort: function () {
      if (this.controller) {
        this.controller.abort();
        this.controller = null;
      }
    },

    open: function () {
      if (this.results.length === 0) {
        return;
      }
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    },

    close: function () {
      this.listbox.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.setActive(-1);
    },

    isOpen: function () {
      return !this.listbox.hidden;
    },

    setActive: function (index) {
      var options = this.listbox.querySelectorAll('[role="option"]');
      if (this.activeIndex >= 0 && options[this.activeIndex]) {
        options[this.activeIndex].setAttribute("aria-selected", "false");
      }
      this.activeIndex = index;
      if (index >= 0 && options[index]) {
        options[index].setAttribute("aria-selected", "true");
        this.input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        this.input.removeAttribute("aria-activedescendant");
      }
    },

    move: function (step) {
      if (this.results.length === 0) {
        return;
      }
      if (!this.isOpen()) {
        this.open();
        this.setActive(step > 0 ? 0 : this.results.length - 1);
        return;
      }
      var count = this.results.length;
      var next =
        this.activeIndex < 0 && step < 0 ? count - 1 : (this.activeIndex + step + count) % count;
      this.setActive(next);
    },
  };

  window.RBCombobox = {
    mixin: function (prototype) {
      Object.keys(methods).forEach(function (name) {
        prototype[name] = methods[name];
      });
    },
  };
})();
