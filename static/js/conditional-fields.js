/*
 * Conditional questions (site forms, access request form): show a question only when the
 * answer it depends on asks it. Applies to every `form[data-conditional-fields]`.
 *
 * Progressive enhancement: without this script every question is shown, and the server ignores
 * (then clears) the answers to questions that are not asked. Each conditional question's wrapper
 * carries `data-depends-on="<parent field name>"` and `data-show-values='["value", …]'` (the
 * parent's posted values that ask it), from `sitepages.validation.CONDITIONS`. A question whose
 * parent is hidden is hidden too. Hidden questions keep what was typed (the user may come back),
 * and are marked `hidden` so that they leave the accessibility tree.
 */
(function () {
  "use strict";

  function currentValue(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    if (!inputs.length) {
      return null;
    }
    var first = inputs[0];
    if (first.type === "radio") {
      for (var i = 0; i < inputs.length; i += 1) {
        if (inputs[i].checked) {
          return inputs[i].value;
        }
      }
      return "";
    }
    if (first.type === "checkbox") {
      return first.checked ? "True" : "False";
    }
    return first.value;
  }

  function isShown(form, name) {
    var row = form.querySelector('[data-question="' + name + '"]');
    return !row || !row.hidden;
  }

  function update(form) {
    var rows = form.querySelectorAll("[data-depends-on]");
    // Parents come before their questions in the document: one pass settles chains.
    rows.forEach(function (row) {
      var parent = row.getAttribute("data-depends-on");
      var values = [];
      try {
        values = JSON.parse(row.getAttribute("data-show-values") || "[]");
      } catch (error) {
        values = [];
      }
      var value = currentValue(form, parent);
      var shown = value === null || (isShown(form, parent) && values.indexOf(value) !== -1);
      row.hidden = !shown;
    });
  }

  function init(form) {
    form.addEventListener("change", function () {
      update(form);
    });
    form.addEventListener("input", function (event) {
      if (event.target && event.target.tagName === "SELECT") {
        update(form);
      }
    });
    update(form);
  }

  function start() {
    document.querySelectorAll("form[data-conditional-fields]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
