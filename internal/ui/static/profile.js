// Profiles (issue 8). On the ticket page, Alt+Shift+L opens "Log a call"
// in the person card and puts the cursor in its summary; Ctrl+Enter there
// logs it (ticket.js). On a profile form, a button offers the time zone
// this computer is set to. Without JavaScript both forms work as they are.
(function () {
  "use strict";
  var log = document.getElementById("call-log");
  if (log) {
    document.addEventListener("keydown", function (e) {
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey || e.code !== "KeyL") return;
      e.preventDefault();
      log.open = true;
      var summary = document.getElementById("call-summary");
      if (summary) summary.focus();
    });
  }

  var zone = document.querySelector("[data-zone-guess]");
  var guess = "";
  try { guess = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (err) { guess = ""; }
  if (!zone || !guess || zone.value === guess) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary zone-guess";
  button.textContent = "Use this computer's time zone (" + guess + ")";
  button.addEventListener("click", function () {
    zone.value = guess;
    zone.focus();
  });
  zone.parentNode.insertBefore(button, zone.nextSibling);
})();
