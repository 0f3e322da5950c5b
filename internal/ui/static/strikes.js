// Staff alerts for Three Strikes, asking a colleague and service levels: live.js passes
// on every live event as a "rapport:live" DOM event; this shows the ones
// meant for the signed-in member of staff (the server sends each only to
// whom it is for) as a polite status message with a link to the ticket.
(function () {
  "use strict";
  var words = {
    strike: function (id) { return "A strike was given on ticket " + id + "."; },
    invited: function (id) { return "A colleague asks you to join ticket " + id + "."; },
    handover: function (id) { return "Ticket " + id + " was handed over to you, with a note."; },
    complaint: function (id) { return "A requester rated ticket " + id + " poorly in the satisfaction survey."; },
    kudos: function (id) { return "Someone thanked you for your work on ticket " + id + "."; },
    // Service levels (issue 9).
    sla_warning: function (id) { return "Ticket " + id + " is close to its SLA target."; },
    sla_breach: function (id) { return "Ticket " + id + " has missed its SLA target."; },
    hold_passed: function (id) { return "Ticket " + id + " passed its expected date without news: please update the requester."; }
  };
  var region = null;

  function area() {
    if (region) return region;
    region = document.createElement("div");
    region.className = "live-alerts";
    region.id = "live-alerts";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    var main = document.getElementById("main");
    if (!main) return null;
    main.insertBefore(region, main.firstChild);
    return region;
  }

  document.addEventListener("rapport:live", function (e) {
    var d = e.detail || {};
    var say = words[d.type];
    var id = d.data && d.data.ticket_id;
    if (!say || !id) return;
    var where = area();
    if (!where) return;
    var p = document.createElement("p");
    p.className = "live-alert live-alert-" + d.type;
    p.appendChild(document.createTextNode(say(id) + " "));
    var a = document.createElement("a");
    a.href = "/tickets/" + encodeURIComponent(id);
    a.textContent = "Open ticket " + id;
    p.appendChild(a);
    where.appendChild(p);
  });
})();
