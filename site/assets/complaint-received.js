/* "Complaint received": show the reference and the reply date carried in the address
   (?reference=...&respond_by=YYYY-MM-DD, and &urgent=yes when the person said a child
   is in danger now). Without this script the page still says the
   complaint arrived and that the reference is in the email and in the address. */
(function () {
  "use strict";
  if (!window.URLSearchParams) return;
  var params = new URLSearchParams(window.location.search);
  var reference = params.get("reference") || "";
  if (!/^[A-Za-z0-9-]{4,40}$/.test(reference)) return;

  var panel = document.querySelector("[data-receipt]");
  var fallback = document.querySelector("[data-receipt-fallback]");
  panel.querySelector("[data-reference]").textContent = reference;
  panel.hidden = false;
  if (fallback) fallback.hidden = true;

  if (params.get("urgent") === "yes") document.querySelector("[data-urgent]").hidden = false;

  var respondBy = params.get("respond_by") || "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(respondBy)) {
    var day = new Date(respondBy + "T12:00:00Z");
    if (!isNaN(day.getTime())) {
      panel.querySelector("[data-respond-by-date]").textContent = day.toLocaleDateString("en-GB", {
        weekday: "long",
        day: "numeric",
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      });
      panel.querySelector("[data-respond-by]").hidden = false;
    }
  }
})();
