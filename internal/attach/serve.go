package attach

import (
	"mime"
	"net/http"

	"github.com/rapportdesk/rapport"
)

// inline are the types a browser may show in place: raster images it
// decodes without running anything. SVG is not one of them (it can hold
// script), nor HTML, PDF or anything else: those are always downloads.
var inline = map[string]bool{
	"image/png":  true,
	"image/jpeg": true,
	"image/gif":  true,
	"image/webp": true,
}

// Inline reports whether a file of type t is shown in the page rather
// than downloaded.
func Inline(t string) bool { return inline[t] }

// Serve sends the file a with its bytes body: as a download (inline only
// for the images in the allowlist), under its sniffed type, with
// X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy,
// so that even a file a browser renders (HTML, SVG) runs with no access to
// the site, its cookies or its pages. Ranges and revalidation (the ETag
// is the content's hash) come from http.ServeContent.
func Serve(w http.ResponseWriter, r *http.Request, a *rapport.Attachment, body Reader) {
	h := w.Header()
	disposition := "attachment"
	if Inline(a.Type) {
		disposition = "inline"
	}
	cd := mime.FormatMediaType(disposition, map[string]string{"filename": a.Name})
	if cd == "" { // a name mime cannot encode; CleanFileName makes this rare
		cd = disposition
	}
	h.Set("Content-Disposition", cd)
	h.Set("Content-Type", a.Type)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Referrer-Policy", "no-referrer")
	// Only people who may see the ticket get it: no shared cache keeps it;
	// the browser revalidates, cheaply, by hash.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+a.SHA256+`"`)
	http.ServeContent(w, r, "", a.CreatedAt, body)
}
