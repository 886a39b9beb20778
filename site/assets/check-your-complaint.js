/* "Check your complaint": links in emails sent before the status page moved to
   /complaint/progress carried ?reference=...&token=... to this page. Take them there. */
(function () {
  "use strict";
  if (!window.URLSearchParams) return;
  var params = new URLSearchParams(window.location.search);
  if (params.get("reference") && params.get("token")) {
    window.location.replace("/complaint/progress" + window.location.search);
  }
})();
