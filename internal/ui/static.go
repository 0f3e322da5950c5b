package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// static holds the CSS and whatever `make assets` copied into
// static/vendor (it may be absent: pages work without it).
//
//go:embed static
var staticFS embed.FS

// asset is one static file, ready to serve.
type asset struct {
	body, gz    []byte // gz is nil when compressing does not pay
	contentType string
}

// assets serves the static files under content-hashed URLs
// (/static/app.1a2b3c4d5e.css): a changed file gets a new URL, so each can
// be cached for a year and a new release is never shown with old CSS.
type assets struct {
	byURL  map[string]*asset
	byName map[string]string // "app.css" → its URL
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]*asset{}, byName: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		u := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		it := &asset{body: body, contentType: ct}
		if gz := gzipped(body); len(gz) < len(body)*9/10 {
			it.gz = gz
		}
		a.byURL[u], a.byName[name] = it, u
		return nil
	})
	return a, err
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// url returns the hashed URL of a static file, or "" when it is not built
// in (a vendor file before `make assets`).
func (a *assets) url(name string) string { return a.byName[name] }

// ServeHTTP serves a hashed static file, compressed when the browser
// accepts gzip.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	it, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", it.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	body := it.body
	if it.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = it.gz
	}
	w.Write(body)
}

// acceptsGzip reads Accept-Encoding: gzip is accepted when listed without
// q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") || strings.TrimSpace(coding) == "*" {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
