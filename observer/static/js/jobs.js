// A job's page: poll its status and move the progress bar; reload once the job is over so the
// server renders the download (or the failure). Without this file the page refreshes itself.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var card = document.querySelector("[data-job-status-url]");
    if (!card) { return; }
    var state = card.getAttribute("data-job-status");
    if (state !== "queued" && state !== "running") { return; }
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-progress-text");
    var url = card.getAttribute("data-job-status-url");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.status !== "queued" && data.status !== "running") {
            window.location.reload();
            return;
          }
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
          if (text && data.total) {
            text.textContent = data.done.toLocaleString() + " / " + data.total.toLocaleString();
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  });
})();
