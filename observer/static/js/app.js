// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Report form: show only the districts of the chosen region (the server checks it anyway).
  function linkRegionAndDistrict(region, district) {
    var all = Array.prototype.slice.call(district.querySelectorAll("optgroup"));
    function sync() {
      var chosen = region.options[region.selectedIndex];
      var label = chosen ? chosen.getAttribute("data-group") || chosen.text : "";
      all.forEach(function (group) {
        var match = !region.value || group.label === label;
        group.hidden = !match;
        group.disabled = !match;
      });
      var selected = district.options[district.selectedIndex];
      if (selected && selected.parentNode.disabled) { district.value = ""; }
    }
    region.addEventListener("change", sync);
    sync();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var region = document.querySelector("select[data-region-select]");
    var district = document.querySelector("select[data-district-select]");
    if (region && district) { linkRegionAndDistrict(region, district); }
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
