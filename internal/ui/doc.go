// Package ui serves Rapport's web UI: the requester portal and the agent
// workspace, as server-rendered HTML that works without JavaScript.
//
// The shape, for whoever adds a page:
//
//   - ui.go: UI, New, and routes(): one line per route, saying whether it
//     needs a signed-in person. Every route runs behind
//     http.CrossOriginProtection (unsafe methods from another origin are
//     refused) and web.LoadSession (the session cookie's user, read fresh
//     on every request, in the context as for the API).
//   - One file per page or action (login.go, home.go, request_new.go,
//     ticket.go, queue.go), each handler a func(w, r) error: return a
//     rapport error and fail renders the matching HTML error page (404,
//     403, 500, ...) or, for EUNAUTHORIZED, sends the person to /login.
//     Business rules stay in internal/desk; a handler reads the form, calls
//     the desk and renders.
//   - templates/layout.html is the frame of every page (skip link, header
//     with who is signed in and Sign out, main region, flash message);
//     templates/pages/NAME.html defines "content" (and may define "title")
//     for the page NAME; templates/partials/*.html define pieces several
//     pages use (a template is defined once, there, never in two pages).
//     All are parsed once, at start, from the binary.
//     render(w, r, status, "NAME", title, data) runs one.
//   - Forms re-render on a mistake with every typed word kept and the
//     error beside its field (see formErrors); after a success they
//     redirect (303), with a flash message when there is news to tell.
//   - static/ holds the CSS and, after `make assets`, static/vendor/ the
//     npm packages' files (htmx). They are served under content-hashed
//     URLs with year-long caching, gzip-compressed when the browser takes
//     it: in templates write {{asset "app.css"}}; {{vendor "htmx.min.js"}}
//     is "" when the file was not built in, and pages must work without it.
//
// Live updates. GET /events (events.go) streams the signed-in person's
// change notices (live.Broker.ServeEvents: ticket_changed, queue_changed,
// presence, resync, each with {"ticket_id", ...} as data, only what they
// may see). static/live.js, loaded on every signed-in page, opens it when
// the page has a region marked data-live, and refreshes such regions by
// fetching the page again and swapping in the element with the same id.
// A page opts in with markup alone:
//
//	<section id="timeline" data-live="ticket:42" data-live-label="New messages on this request.">
//
// The attributes:
//
//   - id is required: it finds the region in the fetched page.
//   - data-live is a space-separated list of what the region follows:
//     "ticket:ID" (that ticket changed), "mine" (any ticket the person may
//     see changed: a requester's own, every one for staff), "queue" (the
//     serving queue moved; a requester hears this at most every 5 s),
//     "presence:ID" (someone started or stopped looking at ticket ID),
//     "sla" (an SLA warning or breach on any ticket; "ticket:ID" regions
//     also follow those of their ticket). Every region refreshes on
//     resync.
//   - data-live-every, optional, is a number of seconds: the region is
//     fetched again that often while the page is shown, for figures that
//     age by the clock (the queue's SLA time left, every slaRefresh).
//   - data-live-src, optional, fetches that URL instead of the page's own
//     (a lighter fragment; it must contain an element with the same id).
//   - data-live-label, optional, is what the polite status line tells a
//     screen reader after the region changed ("This page was updated."
//     otherwise). Regions need no aria-live of their own.
//
// Changes arriving within 300 ms cost one fetch per URL. A region holding
// the focus is refreshed once the focus leaves it; one with a form field
// someone changed is not refreshed (their words win), so keep forms
// outside live regions. A hidden tab refreshes when shown. After a swap the region gets a
// "rapport:updated" event (bubbling) and htmx, when built in, processes it;
// every notice is also dispatched on document as "rapport:live" with
// detail {type, data}, for a page that reacts in its own way. Staff also
// receive the alerts meant for them (strike, invited, handover), which no
// region follows: static/strikes.js shows them. Pages must
// work the same without JavaScript, only without updating by themselves.
//
// Files. A form that takes files has enctype="multipart/form-data" and
// {{template "files" (fileField ID ERROR)}} (templates/partials/files.html);
// its handler reads it with readForm (files.go), which spools the files to
// disk and, when they are too large, still hands back every typed field so
// the page comes back with the person's words and the error beside the
// file field. {{template "attachments" .Attachments}} lists a timeline
// entry's files; GET /attachments/{id} serves one (attach.Serve).
//
// Drafts. static/draft.js saves the "Ask for help" form (marked
// data-draft-form) about a second after typing stops and as the page goes
// away, to POST /requests/draft (rapport.Draft: one per person per form),
// keeping a localStorage copy until the server has the words; see
// request_new.go for how a sent draft stays cleared.
//
// The browser tests in ./browsertest drive these pages in headless
// Chromium and run axe-core on each.
package ui
