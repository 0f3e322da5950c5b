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
//     for the page NAME. All are parsed once, at start, from the binary.
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
// The browser tests in ./browsertest drive these pages in headless
// Chromium and run axe-core on each.
package ui
