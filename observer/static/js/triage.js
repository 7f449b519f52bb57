// Triage keyboard shortcuts for the review queue and the review page. Progressive enhancement:
// every action is a link or a form button that works without this file.
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && !/^(radio|checkbox|submit|button)$/.test(target.type);
  }

  function focusFirst(form, selector) {
    var field = form && form.querySelector(selector);
    if (field) { field.focus(); field.scrollIntoView({ block: "center" }); }
    return !!field;
  }

  function reviewPage() {
    var verify = document.getElementById("decide-verify");
    var forms = {
      v: [verify, "input[type=radio]"],
      r: [document.getElementById("decide-reject"), "textarea"],
      i: [document.getElementById("decide-needs_info"), "textarea"],
      d: [document.getElementById("decide-duplicate"), "input[type=text]"]
    };
    return function (event) {
      var key = event.key;
      if (verify && verify.contains(event.target) && event.target.type === "radio") {
        var letter = key.toUpperCase();
        var radio = null;
        if (/^[A-F]$/.test(letter)) {
          radio = verify.querySelector("input[name='verify-source_reliability'][value='" + letter + "']");
        } else if (/^[1-6]$/.test(key)) {
          radio = verify.querySelector("input[name='verify-info_credibility'][value='" + key + "']");
        }
        if (radio) { radio.checked = true; radio.focus(); event.preventDefault(); return; }
      }
      if (forms[key] && forms[key][0]) {
        if (focusFirst(forms[key][0], forms[key][1])) { event.preventDefault(); }
      } else if (key === "s") {
        var skip = document.getElementById("skip-form");
        if (skip) { event.preventDefault(); skip.submit(); }
      } else if (key === "q") {
        var back = document.getElementById("back-to-queue");
        if (back) { event.preventDefault(); window.location.assign(back.href); }
      }
    };
  }

  function queuePage(list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll(".queue-row"));
    var current = -1;
    function choose(index) {
      if (!rows.length) { return; }
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows[current].querySelector(".queue-link").focus();
    }
    rows.forEach(function (row, index) {
      row.querySelector(".queue-link").addEventListener("focus", function () { current = index; });
    });
    return function (event) {
      var key = event.key;
      if (key === "j") { choose(current + 1); event.preventDefault(); }
      else if (key === "k") { choose(current - 1); event.preventDefault(); }
      else if (key === "o" && current >= 0) { rows[current].querySelector(".queue-link").click(); }
      else if (key === "x" && current >= 0) {
        var box = rows[current].querySelector("input.pick");
        box.checked = !box.checked;
        event.preventDefault();
      }
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A decision answers with the next report: show that report's own address.
    var top = document.querySelector("[data-review-url]");
    if (top && window.history && window.history.replaceState) {
      var url = top.getAttribute("data-review-url");
      if (window.location.pathname + window.location.search !== url) {
        window.history.replaceState(null, "", url);
      }
    }
    document.querySelectorAll("[data-shortcuts]").forEach(function (el) { el.hidden = false; });
    var list = document.querySelector("[data-queue-list]");
    var handler = top ? reviewPage() : list ? queuePage(list) : null;
    if (!handler) { return; }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
      if (typing(event.target)) { return; }
      handler(event);
    });
  });
})();
