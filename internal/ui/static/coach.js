// The tone coach under the reply box (staff): a moment after the agent
// stops typing, the draft goes to POST /tickets/{id}/coach and the findings
// (jargon, brusque, blame, reading grade) are listed under the box, in a
// polite live region, each with a "Use suggestion" button that puts the
// suggested words in place of that part of the draft. It never blocks
// sending: a failed check just leaves the list as it was. With Internal
// note ticked, the brusque findings (greeting, name, one sentence) are left
// out: colleagues need no greeting.
(function () {
  "use strict";
  var box = document.querySelector("[data-coach]");
  if (!box || !window.fetch || !window.URLSearchParams) return;
  var area = document.getElementById(box.dataset.coachFor);
  if (!area) return;
  var summary = document.getElementById("coach-summary");
  var list = document.getElementById("coach-findings");
  var url = box.dataset.coach;
  var internal = document.getElementById("reply-internal");

  var DEBOUNCE = 700; // ms after the last keystroke
  var LABELS = { jargon: "Jargon", brusque: "Brusque", blame: "Blame", grade: "Hard to read" };
  var timer = 0, seq = 0, shown = "", checked = null;

  // The coach counts characters as code points; the text area as UTF-16
  // units. index turns a code point offset into a UTF-16 one.
  function index(s, points) {
    var i = 0;
    for (var n = 0; n < points && i < s.length; n++) {
      var c = s.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    }
    return i;
  }

  function short(s) {
    s = s.replace(/\s+/g, " ").trim();
    return s.length > 40 ? s.slice(0, 39) + "…" : s;
  }

  function say(text) {
    if (summary.textContent !== text) summary.textContent = text;
  }

  function render(text, report) {
    checked = { text: text, report: report };
    // An internal note is for colleagues: no greeting or name needed.
    var note = internal && internal.checked;
    var fs = (report.findings || []).filter(function (f) { return !(note && f.kind === "brusque"); });
    var key = JSON.stringify([report.reading_grade, fs]);
    if (key === shown) return; // nothing new: say nothing again
    shown = key;
    var grade = "Reading grade " + report.reading_grade.toFixed(1) + (report.reading_grade > 9 ? ", harder than most people find easy." : ".");
    say(fs.length === 0 ? "No suggestions. " + grade : fs.length + (fs.length === 1 ? " suggestion. " : " suggestions. ") + grade);
    list.textContent = "";
    fs.forEach(function (f, i) {
      var a = index(text, f.start), b = index(text, f.end);
      var li = document.createElement("li");
      li.className = "coach-finding coach-" + f.kind;
      var p = document.createElement("p");
      p.id = "coach-finding-" + i;
      var kind = document.createElement("strong");
      kind.textContent = (LABELS[f.kind] || f.kind) + ": ";
      p.appendChild(kind);
      p.appendChild(document.createTextNode(f.message));
      li.appendChild(p);
      if (f.kind !== "grade" || text.slice(a, b).length < 120) {
        var q = document.createElement("blockquote");
        q.className = "coach-span";
        q.textContent = text.slice(a, b);
        li.appendChild(q);
      }
      if (f.suggestion) {
        var s = document.createElement("p");
        s.className = "coach-suggestion";
        s.id = "coach-suggestion-" + i;
        s.textContent = "Suggestion: " + f.suggestion;
        li.appendChild(s);
        var btn = document.createElement("button");
        btn.type = "button";
        btn.className = "secondary";
        // The name starts with what the button says and ends with what
        // it changes, so that a list of them can be told apart.
        btn.appendChild(document.createTextNode("Use suggestion"));
        var what = document.createElement("span");
        what.className = "visually-hidden";
        what.textContent = " for “" + short(text.slice(a, b)) + "”";
        btn.appendChild(what);
        btn.setAttribute("aria-describedby", s.id);
        btn.addEventListener("click", function () { use(text, a, b, f.suggestion); });
        li.appendChild(btn);
      }
      list.appendChild(li);
    });
  }

  // use puts the suggestion in place of [a, b) if the draft is still the
  // one the coach read; otherwise it asks again.
  function use(text, a, b, suggestion) {
    if (area.value !== text) { check(); return; }
    area.focus();
    area.setRangeText(suggestion, a, b, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
    check();
  }

  function check() {
    clearTimeout(timer);
    timer = 0;
    var text = area.value;
    if (text.trim() === "") {
      shown = "";
      checked = null;
      list.textContent = "";
      say("Suggestions on your reply appear here as you type. They are only suggestions: you can always send.");
      return;
    }
    if (checked && checked.text === text) return;
    var mine = ++seq;
    fetch(url, { method: "POST", credentials: "same-origin", body: new URLSearchParams({ text: text }) })
      .then(function (res) {
        if (!res.ok || res.redirected) return null;
        return res.json();
      })
      .then(function (report) {
        if (report && mine === seq && area.value === text) render(text, report);
      }, function () { /* offline or signed out: the reply box works regardless */ });
  }

  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE);
  });
  if (internal) {
    internal.addEventListener("change", function () { if (checked) render(checked.text, checked.report); });
  }
  box.hidden = false;
  if (area.value.trim() !== "") check();
})();
