package attach_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gocloud.dev/blob/memblob"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
)

// png is a 1×1 PNG image.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")

// stores returns the same Store on each kind of storage the tests can
// reach: a folder (fileblob) and memory (memblob). S3 (s3blob) goes
// through the same code but is not exercised here.
func stores(t *testing.T, max int64) map[string]*attach.Store {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "attachments")
	disk, err := attach.Open(context.Background(), dir, max)
	if err != nil {
		t.Fatal(err)
	}
	mem := attach.New(memblob.OpenBucket(nil), max)
	url, err := attach.Open(context.Background(), "mem://", max)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*attach.Store{"fileblob": disk, "memblob": mem, "mem:// URL": url}
	for _, s := range out {
		s.TempDir = t.TempDir()
		t.Cleanup(func() { s.Close() })
	}
	return out
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func TestPutGet(t *testing.T) {
	for name, s := range stores(t, 1000) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			for _, tc := range []struct {
				name, body, want string
			}{
				{"text", "The printer says PC LOAD LETTER.\n", "text/plain; charset=utf-8"},
				{"png", string(png), "image/png"},
				{"html", "<!doctype html><html><script>alert(1)</script></html>", "text/html; charset=utf-8"},
				{"svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "image/svg+xml"},
				{"empty", "", "text/plain"},
				{"exactly the limit", strings.Repeat("x", 1000), "text/plain; charset=utf-8"},
			} {
				b, err := s.Put(ctx, strings.NewReader(tc.body))
				if err != nil {
					t.Fatalf("%s: Put: %v", tc.name, err)
				}
				if b.SHA256 != sum([]byte(tc.body)) || b.Size != int64(len(tc.body)) || b.Type != tc.want {
					t.Fatalf("%s: Put=%+v, want sha256 %s, size %d, type %q", tc.name, b, sum([]byte(tc.body)), len(tc.body), tc.want)
				}
				r, err := s.Get(ctx, b.SHA256)
				if err != nil {
					t.Fatalf("%s: Get: %v", tc.name, err)
				}
				got, err := io.ReadAll(r)
				r.Close()
				if err != nil || string(got) != tc.body {
					t.Fatalf("%s: Get read %q, %v; want the bytes put", tc.name, got, err)
				}
				// The same bytes again: the same blob.
				if again, err := s.Put(ctx, strings.NewReader(tc.body)); err != nil || again != b {
					t.Fatalf("%s: second Put=%+v, %v; want %+v", tc.name, again, err, b)
				}
			}
			if _, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 1001))); !errors.Is(err, attach.ErrTooLarge) {
				t.Fatalf("Put over the limit: err=%v, want ErrTooLarge", err)
			}
			if _, err := s.Get(ctx, sum([]byte(strings.Repeat("x", 1001)))); rapport.ErrorCode(err) != rapport.ENOTFOUND {
				t.Fatalf("Get of the refused file: err=%v, want ENOTFOUND (nothing stored)", err)
			}
			if _, err := s.Get(ctx, "../../etc/passwd"); err == nil {
				t.Fatalf("Get accepted a key that is not a SHA-256")
			}
			if left, _ := os.ReadDir(s.TempDir); len(left) != 0 {
				t.Fatalf("Put left %d spooled files behind", len(left))
			}
		})
	}
}

// TestFolderLayout: on disk a blob is a plain file named by its hash,
// with no metadata beside it: the database has that.
func TestFolderLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "attachments")
	s, err := attach.Open(context.Background(), dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, err := s.Put(context.Background(), bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "sha256", b.SHA256[:2], b.SHA256))
	if err != nil || !bytes.Equal(got, png) {
		t.Fatalf("blob file: %v", err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 {
		t.Fatalf("the folder holds %v, want the one blob", files)
	}
}

// TestServe: every file goes out with nosniff and a sandboxing policy; only
// raster images are inline; HTML and SVG are downloads; the download keeps
// its name, even one with quotes and non-ASCII letters; ranges work.
func TestServe(t *testing.T) {
	s := stores(t, 1<<20)["memblob"]
	for _, tc := range []struct {
		name, body, disposition string
	}{
		{"screen.png", string(png), `inline; filename=screen.png`},
		{"page.html", "<html><script>alert(document.cookie)</script></html>", `attachment; filename=page.html`},
		{"logo.svg", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`, `attachment; filename=logo.svg`},
		{"Zoë's report.txt", "hello", `attachment; filename*=utf-8''Zo%C3%AB%27s%20report.txt`},
	} {
		b, err := s.Put(context.Background(), strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		a := &rapport.Attachment{ID: 1, Name: tc.name, Type: b.Type, Size: b.Size, SHA256: b.SHA256, CreatedAt: time.Now()}
		get := func(h map[string]string) *http.Response {
			body, err := s.Get(context.Background(), b.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			defer body.Close()
			req := httptest.NewRequest("GET", "/x", nil)
			for k, v := range h {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			attach.Serve(rec, req, a, body)
			return rec.Result()
		}
		res := get(nil)
		got, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || string(got) != tc.body {
			t.Fatalf("%s: %d %q", tc.name, res.StatusCode, got)
		}
		for k, want := range map[string]string{
			"Content-Disposition":     tc.disposition,
			"Content-Type":            b.Type,
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			"Cache-Control":           "private, no-cache",
		} {
			if res.Header.Get(k) != want {
				t.Errorf("%s: %s=%q, want %q", tc.name, k, res.Header.Get(k), want)
			}
		}
		if res := get(map[string]string{"If-None-Match": `"` + b.SHA256 + `"`}); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s: revalidation answered %d, want 304", tc.name, res.StatusCode)
		}
		if res := get(map[string]string{"Range": "bytes=1-2"}); res.StatusCode != http.StatusPartialContent {
			t.Errorf("%s: a range answered %d, want 206", tc.name, res.StatusCode)
		} else if got, _ := io.ReadAll(res.Body); string(got) != tc.body[1:3] {
			t.Errorf("%s: range 1-2 = %q", tc.name, got)
		}
	}
}
