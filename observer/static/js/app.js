// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Report form: show only the criteria of the chosen stage and the districts of the chosen
  // region (the child's optgroups are labelled like the parent's options; the server checks).
  function narrowByParent(parent, child) {
    var all = Array.prototype.slice.call(child.querySelectorAll("optgroup"));
    function sync() {
      var chosen = parent.options[parent.selectedIndex];
      var label = chosen ? chosen.getAttribute("data-group") || chosen.text : "";
      all.forEach(function (group) {
        var match = !parent.value || group.label === label;
        group.hidden = !match;
        group.disabled = !match;
      });
      var selected = child.options[child.selectedIndex];
      if (selected && selected.parentNode.disabled) { child.value = ""; }
    }
    parent.addEventListener("change", sync);
    sync();
  }
  document.addEventListener("DOMContentLoaded", function () {
    [["data-region-select", "data-district-select"], ["data-stage-select", "data-criterion-select"]]
      .forEach(function (pair) {
        var parent = document.querySelector("select[" + pair[0] + "]");
        var child = document.querySelector("select[" + pair[1] + "]");
        if (parent && child) { narrowByParent(parent, child); }
      });
    // The two-step form's first step is for browsers without JavaScript only.
    document.querySelectorAll("[data-no-js-only]").forEach(function (el) { el.hidden = true; });
    // Buttons that need a confirmation carry data-confirm. Confirmed here, the form says so
    // (confirmed=yes) and the server acts at once; without JS the server asks on a page.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); return; }
        var form = el.form;
        if (form && !form.querySelector("input[name=confirmed]")) {
          var flag = document.createElement("input");
          flag.type = "hidden";
          flag.name = "confirmed";
          flag.value = "yes";
          form.appendChild(flag);
        }
      });
    });
  });
})();
