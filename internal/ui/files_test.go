package ui_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// testMaxFile is the UI tests' attachment size limit.
const testMaxFile = 64 << 10

// upload posts a multipart form: fields, then files (name → content).
func (f *fixture) upload(t *testing.T, c *http.Client, path string, fields [][2]string, files [][2]string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range fields {
		mw.WriteField(kv[0], kv[1])
	}
	for _, nf := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, nf[0]))
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		io.WriteString(w, nf[1])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var fileLinkRe = regexp.MustCompile(`<a href="(/attachments/\d+)">([^<]*)</a> <span class="meta">([^<]*)</span>`)

// links returns the ticket page's file links as "name (size) url".
func links(body string) []string {
	var out []string
	for _, m := range fileLinkRe.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[2])+" ("+m[3]+") "+m[1])
	}
	return out
}

// TestFilesOnTicketPages: files sent with a request, a reply and a note
// show on the timeline as download links with sizes, names escaped; the
// requester never sees or fetches the note's file; a file over the limit
// is a plain error beside the file field and every typed word comes back.
func TestFilesOnTicketPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		pat, ann, other := f.client(t), f.client(t), f.client(t)
		f.signIn(t, pat, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")
		if _, err := f.desk.AddUserWithPassword(f.as(t, "ann@example.com"), "sam@example.com", "Sam", "requester", password); err != nil {
			t.Fatal(err)
		}
		f.signIn(t, other, "sam@example.com")

		if body := page(t, f, pat, "/requests/new"); !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `<input type="file" id="request-files" name="files" multiple`) || !strings.Contains(body, "64 KB each at most") {
			t.Fatalf("Ask for help has no file field:\n%s", body)
		}
		res, _ := f.upload(t, pat, "/requests", [][2]string{{"subject", "Broken screen"}, {"description", "See the photo"}},
			[][2]string{{`<img src=x onerror=alert(1)>.png`, "not really a png"}})
		if res.StatusCode != 303 {
			t.Fatalf("Ask for help with a file: %d", res.StatusCode)
		}
		ticket := res.Header.Get("Location")
		res, _ = f.upload(t, pat, ticket+"/reply", [][2]string{{"body", "And the log"}}, [][2]string{{"log.txt", strings.Repeat("x", 2048)}})
		if res.StatusCode != 303 {
			t.Fatalf("reply with a file: %d", res.StatusCode)
		}
		res, _ = f.upload(t, ann, ticket+"/reply", [][2]string{{"body", "Vendor notes"}, {"internal", "yes"}, {"action", "send"}}, [][2]string{{"vendor.txt", "secret"}})
		if res.StatusCode != 303 {
			t.Fatalf("note with a file: %d", res.StatusCode)
		}

		staff := links(page(t, f, ann, ticket))
		if len(staff) != 3 || !strings.HasPrefix(staff[0], "<img src=x onerror=alert(1)>.png (16 bytes) /attachments/") ||
			!strings.HasPrefix(staff[1], "log.txt (2 KB) ") || !strings.HasPrefix(staff[2], "vendor.txt (6 bytes) ") {
			t.Fatalf("staff page files: %q", staff)
		}
		if body := page(t, f, ann, ticket); strings.Contains(body, "<img src=x") {
			t.Fatalf("a file name is markup on the page")
		}
		mine := links(page(t, f, pat, ticket))
		if len(mine) != 2 {
			t.Fatalf("the requester's page lists %q, want two files (not the note's)", mine)
		}
		url := func(s string) string { return s[strings.LastIndex(s, " ")+1:] }
		for _, tc := range []struct {
			who  *http.Client
			url  string
			want int
		}{
			{pat, url(staff[1]), 200}, {ann, url(staff[1]), 200}, {other, url(staff[1]), 404},
			{pat, url(staff[2]), 404}, {ann, url(staff[2]), 200}, {f.client(t), url(staff[1]), 303},
		} {
			res, body := f.do(t, tc.who, "GET", tc.url, nil, nil)
			if res.StatusCode != tc.want {
				t.Errorf("GET %s: %d, want %d", tc.url, res.StatusCode, tc.want)
			}
			if tc.want == 200 && (res.Header.Get("Content-Disposition") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Security-Policy"), "sandbox")) {
				t.Errorf("GET %s: headers %v", tc.url, res.Header)
			}
			if tc.want == 200 && tc.url == url(staff[1]) && body != strings.Repeat("x", 2048) {
				t.Errorf("GET %s: wrong bytes", tc.url)
			}
		}

		// Too large: the words come back, the error is beside the field.
		res, body := f.upload(t, pat, ticket+"/reply", [][2]string{{"body", "Here is the full dump"}}, [][2]string{{"dump.bin", strings.Repeat("y", testMaxFile+1)}})
		if res.StatusCode != 422 || !strings.Contains(body, ">Here is the full dump</textarea>") ||
			!strings.Contains(body, `<p class="field-error" id="reply-files-error">The file &#34;dump.bin&#34; is larger than 64 KB`) ||
			!strings.Contains(body, "please choose them again") {
			t.Fatalf("too large a file: %d\n%s", res.StatusCode, body)
		}
		res, body = f.upload(t, pat, "/requests", [][2]string{{"subject", "Second"}, {"description", "Words I typed"}}, [][2]string{{"big.bin", strings.Repeat("y", testMaxFile+1)}})
		if res.StatusCode != 422 || !strings.Contains(body, ">Words I typed</textarea>") || !strings.Contains(body, `id="request-files-error"`) {
			t.Fatalf("too large a file with a request: %d\n%s", res.StatusCode, body)
		}
		if got := links(page(t, f, pat, ticket)); len(got) != 2 {
			t.Fatalf("after the refusal the page lists %q", got)
		}
	})
}
