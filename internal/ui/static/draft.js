// Draft autosave for forms marked data-draft-form (the "Ask for help"
// form): what is typed is saved on the server about a second after typing
// stops (POST /requests/draft), and as the page goes away; a copy waits in
// this browser's localStorage until the server has it (offline, signed
// out), and is put back into the form when the page comes back. The
// server clears the draft when the form is sent. Without JavaScript the
// form works as ever; see internal/ui/request_new.go.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-form]");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var DEBOUNCE = 1000; // ms after the last keystroke
  var MAX_WAIT = 5000; // ms: someone typing without a pause still gets saves
  var TEXT = ["subject", "description"];
  var BOXES = ["outage", "costs_money", "blocks_work"];
  var key = "rapport.draft." + form.dataset.draftUser + "." + form.dataset.draftForm;
  var token = form.elements.draft.value;
  var status = document.getElementById("draft-status");
  var timer = 0, firstChange = 0, sending = false, saving = false, again = false;

  function values() {
    var v = {};
    TEXT.forEach(function (n) { v[n] = form.elements[n].value; });
    BOXES.forEach(function (n) { v[n] = form.elements[n].checked; });
    return v;
  }
  function fill(v) {
    TEXT.forEach(function (n) { if (typeof v[n] === "string") form.elements[n].value = v[n]; });
    BOXES.forEach(function (n) { form.elements[n].checked = !!v[n]; });
  }
  function body(v) {
    var p = new URLSearchParams();
    p.set("form", form.dataset.draftForm);
    p.set("draft", token);
    TEXT.forEach(function (n) { p.set(n, v[n]); });
    BOXES.forEach(function (n) { if (v[n]) p.set(n, "yes"); });
    return p;
  }
  var same = function (a, b) { return JSON.stringify(a) === JSON.stringify(b); };

  // The browser's copy: written on every change, removed once the server
  // has the same words.
  function readLocal() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (_) { return null; }
  }
  function writeLocal(v) {
    try { localStorage.setItem(key, JSON.stringify({ token: token, values: v })); } catch (_) { /* full or off: the server copy remains */ }
  }
  function dropLocal(v) {
    var l = readLocal();
    try { if (l && (!v || same(l.values, v))) localStorage.removeItem(key); } catch (_) { /* nothing to drop */ }
  }

  function say(msg) {
    if (status && status.textContent !== msg) status.textContent = msg;
  }

  var saved = null; // the values the server last acknowledged

  function save() {
    clearTimeout(timer);
    timer = 0;
    firstChange = 0;
    if (sending) return;
    if (saving) { again = true; return; }
    var v = values();
    if (same(v, saved)) { dropLocal(v); return; }
    if (navigator.onLine === false) {
      say("You are offline. What you type is kept in this browser and saved when you are back online.");
      return;
    }
    saving = true;
    fetch("/requests/draft", { method: "POST", body: body(v), credentials: "same-origin" }).then(function (res) {
      if (res.ok) {
        saved = v;
        dropLocal(v);
        say("Draft saved. If you leave, it will be here when you come back.");
      } else if (res.status === 401) {
        say("You are signed out, so your draft is kept in this browser for now. Sign in again and it will be saved; nothing you typed is lost.");
      } else if (res.status === 409) {
        sending = true; // this sitting's request is in
        dropLocal();
      } else {
        return res.json().then(function (p) {
          var why = p && ((p.errors && p.errors[0] && p.errors[0].message) || p.detail);
          say((why || "Your draft could not be saved.") + " What you typed is kept in this browser for now.");
        }, function () { say("Your draft could not be saved; it is kept in this browser for now."); });
      }
    }, function () {
      say("Rapport cannot be reached. What you type is kept in this browser and saved when the connection is back.");
    }).then(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function changed() {
    if (sending) return;
    writeLocal(values());
    var now = Date.now();
    if (!firstChange) firstChange = now;
    clearTimeout(timer);
    timer = setTimeout(save, now - firstChange >= MAX_WAIT ? 0 : DEBOUNCE);
  }

  // The page going away (a closed tab, another page, a phone app switch):
  // one last save that survives the page; the local copy stays until a
  // save is acknowledged.
  function leaving() {
    if (sending || !navigator.sendBeacon) return;
    var v = values();
    if (!same(v, saved)) navigator.sendBeacon("/requests/draft", body(v));
  }

  // Back on this page: a copy the server never acknowledged is newer than
  // what the page was rendered with, unless it belongs to the sitting that
  // sent its request, or the page shows a send that needs fixing.
  var local = readLocal();
  if (local && local.token && local.token === form.dataset.draftSent) {
    dropLocal();
    local = null;
  }
  // The server holds what the page shows: its draft, or a failed send's
  // words, which it kept.
  saved = values();
  if (local && local.values && form.dataset.draftSource !== "submitted" && !same(local.values, values())) {
    fill(local.values);
    say("We put back what you typed earlier in this browser.");
    save();
  } else {
    dropLocal(values());
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    sending = true;
    clearTimeout(timer);
  });
  window.addEventListener("online", save);
  window.addEventListener("pagehide", leaving);
  document.addEventListener("visibilitychange", function () { if (document.hidden) leaving(); });
})();
