// The ticket page and Log a request. Ctrl+Enter (or Cmd+Enter) in a text
// area sends its form with the form's first button (Send, Log request).
//
// The collision notice on a ticket's page, for staff: tells the server this
// person is here (every 20 s, and at once when they start or stop
// replying), and shows who else is, from each answer and whenever live.js
// passes on a presence event for this ticket. Without JavaScript there is
// no notice; nothing else depends on it.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || t.tagName !== "TEXTAREA" || !t.form) return;
    e.preventDefault();
    var button = t.form.querySelector("button[type=submit], button:not([type])");
    if (t.form.requestSubmit) t.form.requestSubmit(button || undefined);
    else if (button) button.click();
  });

  var box = document.querySelector("[data-presence]");
  if (!box || !window.fetch || !window.URLSearchParams) return;
  var url = box.getAttribute("data-presence");
  var ticket = box.getAttribute("data-ticket");
  var reply = document.getElementById("reply-body");
  var EVERY = 20000; // ms; the server forgets a viewer after 45 s of silence
  var state = "";
  var timer = 0;

  // show puts the notice in the polite status region, only when it changed,
  // so that a screen reader says it once.
  function show(res) {
    if (!res.ok || res.redirected) return;
    res.json().then(function (d) {
      var notice = (d && d.notice) || "";
      if (box.textContent !== notice) box.textContent = notice;
    }, function () {});
  }

  function current() {
    return reply && (document.activeElement === reply || reply.value.trim() !== "") ? "replying" : "viewing";
  }

  function beat() {
    state = current();
    clearTimeout(timer);
    timer = setTimeout(beat, EVERY);
    fetch(url, { method: "POST", credentials: "same-origin", body: new URLSearchParams({ state: state }) })
      .then(show, function () {});
  }

  function changed() {
    if (current() !== state) beat();
  }

  if (reply) {
    ["focus", "blur", "input"].forEach(function (e) { reply.addEventListener(e, changed); });
  }
  document.addEventListener("rapport:live", function (e) {
    var d = e.detail || {};
    if (d.type === "resync" || (d.type === "presence" && d.data && String(d.data.ticket_id) === ticket)) {
      fetch(url, { credentials: "same-origin" }).then(show, function () {});
    }
  });
  window.addEventListener("pagehide", function () {
    clearTimeout(timer);
    if (navigator.sendBeacon) navigator.sendBeacon(url, new URLSearchParams({ state: "gone" }));
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) beat();
  });
  beat();
})();
