// The printable sheet of a service: the "Imprimer" button opens the browser's print dialog.
// Without JavaScript the button stays hidden and the browser's own Print menu does the same.
(function () {
  function init() {
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
