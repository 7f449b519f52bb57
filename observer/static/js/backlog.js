// Election night: refresh the figures in place on a timer the viewer can stop. Without
// JavaScript a <noscript> meta refresh reloads the page, and "Stop refreshing" is a link.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.querySelector("[data-refresh]");
    var seconds = bar ? parseInt(bar.getAttribute("data-refresh"), 10) : 0;
    var toggle = document.querySelector("[data-refresh-toggle]");
    if (!bar || !seconds || !toggle) { return; }
    var note = bar.querySelector("[data-refresh-note]");
    var timer = null;
    var remaining = seconds;

    function show(text) { if (note) { note.textContent = text; } }

    function refresh() {
      fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector("[data-backlog]");
          var current = document.querySelector("[data-backlog]");
          if (fresh && current) { current.replaceWith(fresh); }
          var state = page.querySelector(".refresh-state");
          var mine = bar.querySelector(".refresh-state");
          if (state && mine) { mine.firstChild.textContent = state.firstChild.textContent; }
        })
        .catch(function () { /* keep the figures shown; try again on the next tick */ });
    }

    function tick() {
      remaining -= 1;
      if (remaining <= 0) { remaining = seconds; refresh(); }
      show(remaining + " s");
    }

    function start() {
      remaining = seconds;
      timer = window.setInterval(tick, 1000);
      toggle.textContent = toggle.getAttribute("data-label-stop");
      toggle.setAttribute("aria-pressed", "false");
    }

    function stop() {
      window.clearInterval(timer);
      timer = null;
      toggle.textContent = toggle.getAttribute("data-label-start");
      toggle.setAttribute("aria-pressed", "true");
      show("");
    }

    toggle.setAttribute("role", "button");
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      if (timer) { stop(); } else { start(); }
    });
    start();
  });
})();
