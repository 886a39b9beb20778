/* The complaint form's question pages (drawn by the API, the same with or without this script).
   It only stops a second press of a button sending the same page again while the first is on
   its way. Everything else (the error summary, the links to each answer) is plain HTML. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-journey]");
  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-sending")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sending", "");
      if (event.submitter) event.submitter.setAttribute("aria-disabled", "true");
    });
  });
  // Back to this page from the browser's cache: the form can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    forms.forEach(function (form) {
      form.removeAttribute("data-sending");
      form.querySelectorAll("[aria-disabled]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });
})();
