// The "Insert template" control above a ticket's Reply box (staff). The
// list narrows as one types in "Filter templates" (every word must appear
// in the name, subject or text); choosing a template shows it filled in
// with this ticket's real values, from the server; "Insert template" puts
// that text into Reply at the cursor.
//
// Keyboard: Down arrow or Enter in the filter goes to the list (Enter
// also picks the first match); Enter in the list inserts. Without
// JavaScript the same control works as plain form buttons (see
// partials/ticket_templates.html).
(function () {
  "use strict";
  var box = document.getElementById("reply-templates");
  if (!box || !window.fetch) return;
  var ticket = box.getAttribute("data-ticket");
  var filter = document.getElementById("template-filter");
  var list = document.getElementById("template-choice");
  var none = document.getElementById("template-none");
  var preview = document.getElementById("template-preview");
  var insert = document.getElementById("template-insert");
  var reply = document.getElementById("reply-body");
  if (!filter || !preview || !insert || !reply) return;

  Array.prototype.forEach.call(box.querySelectorAll(".js-only"), function (e) { e.hidden = false; });
  Array.prototype.forEach.call(box.querySelectorAll(".nojs-only"), function (e) { e.hidden = true; });
  // The control's buttons stop sending the reply form: they act here, and
  // Ctrl+Enter in Reply (ticket.js) sends with Send, not with them.
  Array.prototype.forEach.call(box.querySelectorAll("button[type=submit]"), function (b) { b.type = "button"; });

  var all = list ? Array.prototype.slice.call(list.options) : [];
  var loaded = null; // {id, body} of the preview shown
  var pending = 0;
  var caret = null; // where the cursor was in Reply before leaving it

  ["keyup", "mouseup", "select", "blur"].forEach(function (e) {
    reply.addEventListener(e, function () { caret = { start: reply.selectionStart, end: reply.selectionEnd }; });
  });

  function say(html) {
    preview.innerHTML = "";
    if (html) preview.appendChild(html);
  }

  function para(text, cls) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function narrow() {
    if (!list) return;
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var keep = all.filter(function (o) {
      var text = o.getAttribute("data-search") || "";
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    });
    var chosen = list.value;
    list.innerHTML = "";
    keep.forEach(function (o) { list.appendChild(o); });
    list.value = keep.some(function (o) { return o.value === chosen; }) ? chosen : "";
    list.size = Math.min(Math.max(keep.length, 2), 8);
    list.hidden = keep.length === 0;
    if (none) none.hidden = keep.length !== 0;
    if (list.value === "") { loaded = null; say(null); }
  }

  // show fetches the chosen template filled in for this ticket and shows it;
  // then runs done with the text, when given.
  function show(done) {
    if (!list || !list.value) {
      say(para("Choose a template from the list first.", "error"));
      return;
    }
    var id = list.value;
    if (loaded && loaded.id === id) {
      if (done) done(loaded.body);
      return;
    }
    var mine = ++pending;
    fetch("/tickets/" + ticket + "/templates/" + id, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        if (res.redirected) throw new Error("Your session has ended. Reload the page and sign in again; what you typed stays in Reply.");
        return res.json().then(function (d) {
          if (!res.ok) throw new Error((d && d.detail) || "This template could not be filled in. Please try again.");
          return d;
        });
      })
      .then(function (d) {
        if (mine !== pending) return;
        loaded = { id: id, body: d.body };
        var frag = document.createDocumentFragment();
        frag.appendChild(para("Preview with this ticket’s details. Insert template puts it into Reply, where you can change anything.", "hint"));
        if (d.subject) frag.appendChild(para("Subject: " + d.subject, "meta"));
        var body = document.createElement("div");
        body.className = "body";
        body.textContent = d.body;
        // It scrolls when long: keyboard users reach it too.
        body.tabIndex = 0;
        body.setAttribute("role", "region");
        body.setAttribute("aria-label", "Template preview");
        frag.appendChild(body);
        say(frag);
        if (done) done(d.body);
      }, function (err) {
        if (mine !== pending) return;
        loaded = null;
        say(para(err && err.message && err.message.indexOf("JSON") < 0 ? err.message : "This template could not be filled in. Please try again.", "error"));
      });
  }

  // put inserts text into Reply at the cursor, apart from what is around it.
  function put(text) {
    var v = reply.value;
    var start = caret ? caret.start : v.length;
    var end = caret ? caret.end : v.length;
    var before = v.slice(0, start).replace(/[ \t]+$/, "");
    var after = v.slice(end);
    if (before.trim() !== "") text = (/\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n") + text;
    if (after.trim() !== "") text += "\n\n";
    reply.value = before + text + after;
    var at = before.length + text.length;
    reply.focus();
    reply.setSelectionRange(at, at);
    caret = { start: at, end: at };
    reply.dispatchEvent(new Event("input", { bubbles: true }));
    say(para("Inserted into Reply. Check it, change what you like, then press Send.", "hint"));
  }

  filter.addEventListener("input", narrow);
  filter.addEventListener("keydown", function (e) {
    if (!list || list.hidden) {
      if (e.key === "Enter") e.preventDefault();
      return;
    }
    if (e.key === "ArrowDown" || e.key === "Enter") {
      e.preventDefault();
      if (list.value === "" && list.options.length) {
        list.value = list.options[0].value;
        show();
      }
      list.focus();
    }
  });
  if (list) {
    list.addEventListener("change", function () { show(); });
    list.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        show(put);
      }
    });
    list.addEventListener("dblclick", function () { show(put); });
  }
  insert.addEventListener("click", function () { show(put); });
  narrow();
  if (list && list.value) show();
})();
