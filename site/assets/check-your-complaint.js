/* "Check your complaint": the complainant's own view of their case, through the private link
   in the acknowledgement email (?reference=...&token=...). Reads
   GET /api/complaints/{reference}?token=... and, when the next stage can be asked for, sends
   POST /api/complaints/{reference}/escalation. Without this script the page explains how to
   ask the complaints team instead. */
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams) return;

  var params = new URLSearchParams(window.location.search);
  var reference = params.get("reference") || "";
  var token = params.get("token") || "";
  var intro = document.querySelector("[data-check-intro]");
  var noScript = document.querySelector("[data-check-nojs]");
  var result = document.querySelector("[data-check-result]");
  var messageBox = document.querySelector("[data-check-message]");
  var form = document.querySelector("[data-escalation-form]");
  var labels = {};
  try {
    labels = JSON.parse(document.getElementById("status-labels").textContent);
  } catch (e) {
    labels = {};
  }

  noScript.hidden = true;
  if (!reference || !token) return; // the intro tells the person to use the link in the email

  var base = "/api/complaints/" + encodeURIComponent(reference);
  var query = "?" + new URLSearchParams({ token: token }).toString();
  intro.hidden = true;
  result.hidden = false;

  function say(text) {
    messageBox.textContent = text;
  }

  function details(show) {
    document.querySelectorAll("[data-check-details]").forEach(function (element) {
      element.hidden = !show;
    });
  }

  function longDate(iso) {
    if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return "";
    return new Date(iso + "T12:00:00Z").toLocaleDateString("en-GB", {
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    });
  }

  function fill(name, text) {
    var element = result.querySelector('[data-value="' + name + '"]');
    if (element) element.textContent = text;
  }

  function show(view) {
    fill("reference", view.reference || reference);
    fill("procedure_name", view.procedure_name || view.procedure || "");
    fill("stage", view.stage_name ? "Stage " + view.stage + ": " + view.stage_name : "Stage " + view.stage);
    fill("status", labels[view.status] || String(view.status || "").replace(/_/g, " "));
    // The date we will reply by matters only until we have replied.
    var respondBy = view.responded_on || view.status === "closed" ? "" : longDate(view.respond_by);
    fill("respond_by", respondBy);
    result.querySelector('[data-row="respond_by"]').hidden = !respondBy;
    fill("what_happens_next", view.what_happens_next || "");
    say("");
    details(true);
    if (view.can_escalate) {
      var next = view.next_stage ? "stage " + view.next_stage : "the next stage";
      form.querySelector("[data-escalation-title]").textContent = "Ask for " + next;
      form.querySelector("[data-escalation-button]").textContent = "Ask for " + next;
      form.hidden = false;
    } else {
      form.hidden = true;
    }
  }

  // The API's own plain-English message when it sends one ({"message"} or {"errors"}).
  function serverMessage(body) {
    if (body && typeof body.message === "string" && body.message) return body.message;
    if (body && body.errors && body.errors.length && body.errors[0].message) return body.errors[0].message;
    return "";
  }

  function failed(status, body) {
    details(false);
    form.hidden = true;
    if (serverMessage(body) && status >= 400 && status < 500) {
      say(serverMessage(body));
    } else if (status === 429) {
      say("You have tried too many times. Wait a few minutes, then try again.");
    } else if (status === 401 || status === 403 || status === 404) {
      say(
        "We could not find a complaint with that link. Check that you used the whole link " +
          "from our email. If it still does not work, contact us and give us your reference number."
      );
    } else {
      say("Sorry, there is a problem with the service. Try again later, or contact us.");
    }
  }

  function call(method, url, body) {
    var options = { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { status: response.status, body: data || {} };
        });
    });
  }

  function load() {
    say("Loading your complaint.");
    return call("GET", base + query).then(
      function (answer) {
        if (answer.status === 200) show(answer.body);
        else failed(answer.status, answer.body);
      },
      function () {
        failed(0, null);
      }
    );
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    sending = true;
    var button = form.querySelector("[data-escalation-button]");
    button.setAttribute("aria-disabled", "true");
    var reason = form.querySelector("#reason").value.trim();
    var body = { token: token };
    if (reason) body.reason = reason;
    call("POST", base + "/escalation" + query, body)
      .then(
        function (answer) {
          if (answer.status >= 200 && answer.status < 300) {
            form.reset();
            return load().then(function () {
              say(asked);
              messageBox.focus();
            });
          }
          say(
            serverMessage(answer.body) ||
              "Sorry, we could not send your request. Try again later, or contact us."
          );
          messageBox.focus();
        },
        function () {
          say("Sorry, we could not send your request. Try again later, or contact us.");
          messageBox.focus();
        }
      )
      .then(function () {
        sending = false;
        button.removeAttribute("aria-disabled");
      });
  });

  var asked = "We have your request. We will write to you to tell you what happens next.";
  load().then(function () {
    // Back from a request sent without this script (the API's 303 adds asked=1).
    if (params.get("asked") === "1" && !messageBox.textContent) say(asked);
  });
})();
