// Forms that send: a button pressed once cannot be pressed again while the form is on its way,
// and a form with files sends them with a progress bar ("1.2 of 3.4 MB") instead of a frozen
// page. Without this file the browser submits as usual (the one-time token on the server still
// makes a second press harmless). Texts come translated on this script's own data attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  var text = {
    sending: script.getAttribute("data-sending"),
    progress: script.getAttribute("data-progress"),
    failed: script.getAttribute("data-failed")
  };

  function megabytes(bytes) {
    return (bytes / 1048576).toLocaleString(document.documentElement.lang || undefined, {
      minimumFractionDigits: 1, maximumFractionDigits: 1
    });
  }

  function buttonsOf(form) {
    return Array.prototype.slice.call(
      form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])"));
  }

  function statusOf(form) {
    var status = form.querySelector(".send-status");
    if (!status) {
      status = document.createElement("div");
      status.className = "send-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var label = document.createElement("span");
      status.appendChild(bar);
      status.appendChild(label);
      // Inside the (sticky) buttons' row, so that it stays in sight on a phone.
      (form.querySelector(".actions") || form).appendChild(status);
    }
    return status;
  }

  function show(form, sent, total) {
    var status = statusOf(form);
    status.hidden = false;
    var label = status.querySelector("span");
    var bar = status.querySelector("progress");
    if (total) {
      bar.value = Math.round(100 * sent / total);
      label.textContent = text.progress
        .replace("{sent}", megabytes(sent)).replace("{total}", megabytes(total));
    } else {
      bar.removeAttribute("value");
      label.textContent = text.sending;
    }
  }

  function lock(form, pressed, locked) {
    form.setAttribute("data-sending", locked ? "1" : "");
    buttonsOf(form).forEach(function (button) {
      button.disabled = locked;
      if (button === pressed) { button.setAttribute("aria-busy", locked ? "true" : "false"); }
    });
  }

  // The answer replaces this page, as a normal submission would (its messages included).
  function showAnswer(xhr) {
    var html = xhr.responseText;
    var url = xhr.responseURL;
    document.open();
    document.write(html);
    document.close();
    window.history.replaceState(null, "", url);
  }

  function sendWithProgress(form, pressed) {
    var data = new FormData(form);
    if (pressed && pressed.name) { data.append(pressed.name, pressed.value); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (event) {
      show(form, event.loaded, event.lengthComputable ? event.total : 0);
    });
    xhr.addEventListener("load", function () { showAnswer(xhr); });
    xhr.addEventListener("error", function () {
      lock(form, pressed, false);
      var status = statusOf(form);
      status.querySelector("span").textContent = text.failed;
    });
    show(form, 0, 0);
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") { return; }
    if (form.getAttribute("data-sending") === "1") {
      event.preventDefault();  // pressed again while on its way
      return;
    }
    var pressed = event.submitter || null;
    var withFiles = form.enctype === "multipart/form-data" &&
      form.querySelector("input[type=file]") && window.FormData && window.XMLHttpRequest;
    if (withFiles) {
      event.preventDefault();
      lock(form, pressed, true);
      sendWithProgress(form, pressed);
      return;
    }
    // A plain form goes the usual way; its buttons are disabled only after the browser has
    // taken the pressed one's name and value.
    form.setAttribute("data-sending", "1");
    window.setTimeout(function () { lock(form, pressed, true); }, 0);
  });

  // Coming back with the Back button shows the page from the browser's cache: unlock it.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending='1']").forEach(function (form) {
      lock(form, null, false);
    });
  });
})();
