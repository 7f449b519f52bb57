// Report form: warn about files over the size limits before anything is uploaded, so a large
// upload never throws away what the observer typed. The server checks the same limits anyway.
(function () {
  "use strict";
  function check(input, output) {
    function limitFor(file) {
      var kind = (file.type || "").split("/")[0];
      var name = kind === "video" || kind === "audio" ? "data-max-" + kind + "-bytes" : "data-max-file-bytes";
      return parseInt(input.getAttribute(name) || input.getAttribute("data-max-file-bytes"), 10);
    }
    var perRequest = parseInt(input.getAttribute("data-max-request-bytes"), 10);
    var messages = [];
    var total = 0;
    Array.prototype.forEach.call(input.files || [], function (file) {
      total += file.size;
      var perFile = limitFor(file);
      if (perFile && file.size > perFile) {
        messages.push(input.getAttribute("data-too-large-file") + " " + file.name);
      }
    });
    if (perRequest && total > perRequest) {
      messages.push(input.getAttribute("data-too-large-total"));
    }
    input.setCustomValidity(messages.length ? messages[0] : "");
    output.textContent = messages.join(" ");
    output.hidden = messages.length === 0;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[type=file][data-max-file-bytes]");
    var output = document.getElementById("evidence-error");
    if (!input || !output) { return; }
    input.addEventListener("change", function () { check(input, output); });
  });
})();
