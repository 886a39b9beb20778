/* The complaint form, progressively enhanced.

   Without this script the form is a plain HTML form: it posts to the API, which answers with
   the confirmation page or the form again with an error summary. With it, the answers are
   checked here first (using the server's own messages, written into the form's data-message-*
   attributes when the guide is built), sent as JSON with a submission id made once per page
   (so a double click or a retry files one complaint), and the confirmation page shows the
   reference and the date we will reply by. GOV.UK Design System error patterns throughout. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-complaint-form]");
  if (!form || !window.fetch || !window.JSON || !window.URLSearchParams) return;

  var summary = form.querySelector("[data-error-summary]");
  var summaryList = form.querySelector("[data-error-list]");
  var button = form.querySelector("[data-submit]");
  var idField = form.querySelector("[data-submission-id]");
  var childValue = form.getAttribute("data-child-relationship");
  var receiptPath = form.getAttribute("data-receipt-path") || "/complaint-received/";
  var buttonText = button.textContent;
  var baseTitle = document.title.replace(/^Error: /, "");
  var sending = false;

  var status = document.createElement("p");
  status.className = "cf-status";
  status.setAttribute("role", "status");
  button.insertAdjacentElement("afterend", status);

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  if (!idField.value) idField.value = newId();

  // Back from the confirmation page (page cache): this is a new complaint, not a repeat.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      idField.value = newId();
      setSending(false);
    }
  });

  function londonToday() {
    // en-CA formats as YYYY-MM-DD, the same as the date box's value.
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function valueOf(name) {
    var element = field(name);
    return element && typeof element.value === "string" ? element.value.trim() : "";
  }

  function message(group, kind) {
    return group.getAttribute("data-message-" + kind);
  }

  // The problem with one answer, in the server's words, or null.
  function problem(group) {
    var name = group.getAttribute("data-field");
    var element = field(name);
    var value = valueOf(name);
    if (element && element.validity && element.validity.badInput) return message(group, "invalid");
    if (!value) {
      if (group.hasAttribute("data-required")) return message(group, "required");
      if (name === "child_name" && valueOf("relationship") !== childValue) {
        return message(group, "required");
      }
      return null;
    }
    var max = group.getAttribute("data-max-length");
    if (max && value.length > Number(max)) return message(group, "too-long");
    if (name === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return message(group, "invalid");
    if (name === "phone" && (!/^[0-9+ ()-]+$/.test(value) || value.replace(/\D/g, "").length < 7)) {
      return message(group, "invalid");
    }
    if (name === "child_date_of_birth") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return message(group, "invalid");
      if (value < "1900-01-01") return message(group, "too-old");
      if (value > londonToday()) return message(group, "future");
    }
    return null;
  }

  function inputsOf(group) {
    return group.querySelectorAll("input, textarea, select");
  }

  function describedBy(element, add, id) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (add) ids.push(id);
    if (ids.length) element.setAttribute("aria-describedby", ids.join(" "));
    else element.removeAttribute("aria-describedby");
  }

  function clearErrors() {
    form.querySelectorAll("[data-field]").forEach(function (group) {
      var name = group.getAttribute("data-field");
      group.classList.remove("cf-group--error");
      var old = group.querySelector(".cf-error-message");
      if (old) old.remove();
      inputsOf(group).forEach(function (input) {
        input.removeAttribute("aria-invalid");
      });
      var described = group.querySelector("fieldset") || inputsOf(group)[0];
      if (described) describedBy(described, false, name + "-error");
    });
    summaryList.textContent = "";
    summary.hidden = true;
    document.title = baseTitle;
  }

  function markGroup(group, name, text) {
    group.classList.add("cf-group--error");
    var p = document.createElement("p");
    p.id = name + "-error";
    p.className = "cf-error-message";
    var hidden = document.createElement("span");
    hidden.className = "cf-visually-hidden";
    hidden.textContent = "Error:";
    p.appendChild(hidden);
    p.appendChild(document.createTextNode(" " + text));
    var fieldset = group.querySelector("fieldset");
    var before = fieldset ? fieldset.querySelector(".cf-radios") : inputsOf(group)[0];
    before.parentNode.insertBefore(p, before);
    inputsOf(group).forEach(function (input) {
      input.setAttribute("aria-invalid", "true");
    });
    describedBy(fieldset || inputsOf(group)[0], true, p.id);
  }

  // errors: [{field, message}] from this script or from the API's 422.
  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (error) {
      var group = form.querySelector('[data-field="' + error.field + '"]');
      var item = document.createElement("li");
      var target = group ? inputsOf(group)[0] : null;
      if (target) {
        var link = document.createElement("a");
        link.href = "#" + target.id;
        link.textContent = error.message;
        item.appendChild(link);
        markGroup(group, error.field, error.message);
      } else {
        item.textContent = error.message;
      }
      summaryList.appendChild(item);
    });
    summary.hidden = false;
    document.title = "Error: " + baseTitle;
    summary.focus();
    summary.scrollIntoView();
  }

  // Links in the summary: focus the answer and show its question, not just the box.
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var fieldset = input.closest("fieldset");
    var question = fieldset
      ? fieldset.querySelector("legend")
      : form.querySelector('label[for="' + input.id + '"]');
    (question || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });

  function setSending(on) {
    sending = on;
    if (on) {
      button.setAttribute("aria-disabled", "true");
      button.textContent = "Sending your complaint";
      status.textContent = "Sending your complaint. Please wait.";
    } else {
      button.removeAttribute("aria-disabled");
      button.textContent = buttonText;
      status.textContent = "";
    }
  }

  function serviceProblem() {
    setSending(false);
    showErrors([
      {
        field: "",
        message:
          "Sorry, there is a problem with the service and your complaint has not been sent. " +
          "Try again, or contact us using the details on this page.",
      },
    ]);
  }

  function answers() {
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") data[key] = value;
    });
    return data;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    var errors = [];
    form.querySelectorAll("[data-field]").forEach(function (group) {
      var text = problem(group);
      if (text) errors.push({ field: group.getAttribute("data-field"), message: text });
    });
    if (errors.length) {
      showErrors(errors);
      return;
    }
    setSending(true);
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(answers()),
      credentials: "same-origin",
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { status: response.status, body: body || {} };
          });
      })
      .then(function (result) {
        if ((result.status === 200 || result.status === 201) && result.body.reference) {
          var query = new URLSearchParams({ reference: result.body.reference });
          if (result.body.respond_by) query.set("respond_by", result.body.respond_by);
          if (result.body.urgent) query.set("urgent", "yes");
          window.location.assign(receiptPath + "?" + query.toString());
          return;
        }
        if (result.body.errors && result.body.errors.length) {
          setSending(false);
          showErrors(result.body.errors);
          return;
        }
        // 409: this page already sent a complaint, with other answers: the message gives its
        // reference (the answers on the page were not saved).
        if (result.status === 409 && result.body.message) {
          setSending(false);
          showErrors([{ field: "", message: result.body.message }]);
          return;
        }
        serviceProblem();
      }, serviceProblem);
  });
})();
