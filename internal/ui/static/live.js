// Live updates for Rapport's pages: listens to GET /events (server-sent
// events) and refreshes the regions of the page marked with data-live.
// The convention is in internal/ui/doc.go. Without JavaScript, or without
// EventSource, pages simply stay as loaded.
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  if (!document.querySelector("[data-live]")) return;

  var DELAY = 300; // ms: changes arriving together cost one fetch
  var dirty = new Set(); // regions waiting for a refresh
  var timer = 0;
  var busy = false;

  // A polite status line tells screen readers what changed, without
  // reading out the whole region again.
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function tokens(el) {
    return (el.getAttribute("data-live") || "").split(/\s+/).filter(Boolean);
  }

  // wants reports whether region el follows an event of type with data.
  function wants(el, type, data) {
    if (type === "resync") return true;
    var id = data && data.ticket_id;
    return tokens(el).some(function (t) {
      switch (type) {
        case "ticket_changed":
          return t === "mine" || (id && t === "ticket:" + id);
        case "queue_changed":
          return t === "queue";
        case "presence":
          return id && t === "presence:" + id;
        case "sla_warning":
        case "sla_breach":
          // Time left changed its words: the ticket's page, and the
          // regions showing every ticket's time left.
          return t === "sla" || (id && t === "ticket:" + id);
      }
      return false;
    });
  }

  // busyWith reports whether the person is using el: it holds the focus
  // (swapping it would throw a keyboard user back to the top), or a form
  // field whose value differs from what the page came with.
  function busyWith(el) {
    if (el !== document.activeElement && el.contains(document.activeElement)) return true;
    var fields = el.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) return true;
      } else if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].selected !== f.options[j].defaultSelected) return true;
        }
      } else if (f.type !== "hidden" && f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function schedule() {
    if (!timer && !busy) timer = setTimeout(refresh, DELAY);
  }

  function mark(type, data) {
    document.querySelectorAll("[data-live]").forEach(function (el) {
      if (wants(el, type, data)) dirty.add(el);
    });
    document.dispatchEvent(new CustomEvent("rapport:live", { detail: { type: type, data: data } }));
    if (dirty.size) schedule();
  }

  // refresh fetches each waiting region's source once and swaps in the
  // element with the same id. A region the person is using waits until
  // they leave it; a hidden page waits until it is shown again.
  function refresh() {
    timer = 0;
    if (document.hidden) return;
    var bySrc = new Map();
    dirty.forEach(function (el) {
      if (!el.isConnected) { dirty.delete(el); return; }
      if (!el.id || busyWith(el)) return;
      var src = el.getAttribute("data-live-src") || location.pathname + location.search;
      if (!bySrc.has(src)) bySrc.set(src, []);
      bySrc.get(src).push(el);
      dirty.delete(el);
    });
    if (!bySrc.size) return;
    busy = true;
    var said = [];
    Promise.all(Array.from(bySrc, function (entry) {
      return fetch(entry[0], { credentials: "same-origin", headers: { "X-Rapport-Live": "1" } })
        .then(function (res) {
          // Signed out meanwhile: the answer is the sign-in page; leave
          // the region as it is.
          if (!res.ok || res.redirected) return;
          return res.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            entry[1].forEach(function (el) {
              var fresh = doc.getElementById(el.id);
              if (!fresh || fresh.innerHTML === el.innerHTML) return;
              if (busyWith(el)) { dirty.add(el); return; }
              el.innerHTML = fresh.innerHTML;
              if (window.htmx) window.htmx.process(el);
              el.dispatchEvent(new CustomEvent("rapport:updated", { bubbles: true }));
              said.push(el.getAttribute("data-live-label") || "This page was updated.");
            });
          });
        })
        .catch(function () { entry[1].forEach(function (el) { dirty.add(el); }); });
    })).then(function () {
      busy = false;
      if (said.length) {
        // A new text node each time, so that the same words are read again.
        status.textContent = "";
        status.appendChild(document.createTextNode(Array.from(new Set(said)).join(" ")));
      }
      if (dirty.size) schedule();
    });
  }

  // Regions with data-live-every="N" show figures that age by the clock
  // (SLA time left, "waiting 5m"): while the page is shown they are
  // fetched again every N seconds, so they stay true without a reload.
  // The server works them out: it knows the office hours.
  document.querySelectorAll("[data-live][data-live-every]").forEach(function (el) {
    var seconds = parseInt(el.getAttribute("data-live-every"), 10);
    if (!(seconds > 0)) return;
    setInterval(function () {
      if (document.hidden || !el.isConnected) return;
      dirty.add(el);
      schedule();
    }, seconds * 1000);
  });

  document.addEventListener("focusout", function () { if (dirty.size) schedule(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden && dirty.size) schedule(); });

  var source = new EventSource("/events");
  // strike, invited, handover, complaint, kudos, sla_warning, sla_breach
  // and hold_passed are staff alerts, which strikes.js shows; of them only
  // sla_warning and sla_breach refresh regions (time left).
  ["ticket_changed", "queue_changed", "presence", "resync", "strike", "invited", "handover",
    "complaint", "kudos", "sla_warning", "sla_breach", "hold_passed"].forEach(function (type) {
    source.addEventListener(type, function (e) {
      var data = null;
      try { data = JSON.parse(e.data); } catch (_) { /* a resync may carry none */ }
      mark(type, data);
    });
  });
  // data-live-state on <html> says whether the page is listening ("open"),
  // reconnecting ("connecting"), or not ("closed": signed out, or live
  // updates off; the page stays as it is).
  function state() {
    document.documentElement.setAttribute("data-live-state",
      ["connecting", "open", "closed"][source.readyState]);
  }
  source.addEventListener("open", state);
  source.addEventListener("error", state);
})();
