// The « Imprimer » button of a printable page ([data-print-button]): hidden without JavaScript
// (the browser's own print command still works), it opens the browser's print dialog.
document.querySelectorAll("[data-print-button]").forEach(function (item) {
  item.hidden = false;
  item.querySelector("button").addEventListener("click", function () {
    window.print();
  });
});
