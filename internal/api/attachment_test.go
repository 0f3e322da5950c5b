package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// testMaxFile is the API tests' attachment size limit.
const testMaxFile = 64 << 10

type part struct {
	field, name, typ, body string // name "" for a text field
}

// multipartBody encodes parts as multipart/form-data with a fixed
// boundary, so that a retry sends the very same bytes.
func multipartBody(parts ...part) (string, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary("rapport-test-boundary")
	for _, p := range parts {
		if p.name == "" {
			mw.WriteField(p.field, p.body)
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.name))
		h.Set("Content-Type", p.typ)
		w, _ := mw.CreatePart(h)
		io.WriteString(w, p.body)
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

// send posts a multipart body and decodes the JSON answer.
func (e *env) send(token, path string, header map[string]string, parts ...part) (int, map[string]any, http.Header) {
	e.t.Helper()
	body, ct := multipartBody(parts...)
	req, _ := http.NewRequest("POST", e.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ct)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("POST %s: answer is not JSON: %q", path, raw)
	}
	return res.StatusCode, out, res.Header
}

// get downloads path with token.
func (e *env) get(token, path string) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func attachments(ev map[string]any) []map[string]any {
	var out []map[string]any
	as, _ := ev["attachments"].([]any)
	for _, a := range as {
		out = append(out, a.(map[string]any))
	}
	return out
}

// TestAttachmentsAPI: a message with files as multipart, kept once under
// an Idempotency-Key; types sniffed from the bytes; downloads with safe
// headers only for people who may see them; mistakes are plain 400s that
// write nothing.
func TestAttachmentsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Screen","body":"It flickers","impact":{}}`)
		path := "/api/v1/tickets/" + id(tk)
		html := `<html><script>fetch("/api/v1/me")</script></html>`
		key := map[string]string{"Idempotency-Key": "upload-1"}
		files := []part{{"body", "", "", "Here are the photo and the log"}, {"file", "C:\\Users\\pat\\photo.png", "image/png", html}, {"file", "log.txt", "text/plain", "line 1\nline 2\n"}}
		status, ev, _ := e.send(e.pat, path+"/messages", key, files...)
		if status != 201 {
			t.Fatalf("POST multipart: %d %v", status, ev)
		}
		as := attachments(ev)
		if len(as) != 2 || as[0]["name"] != "photo.png" || as[0]["type"] != "text/html; charset=utf-8" || jsonNum(as[0]["size"]) != fmt.Sprint(len(html)) ||
			as[1]["name"] != "log.txt" || as[1]["type"] != "text/plain; charset=utf-8" || as[0]["url"] != "/api/v1/attachments/"+id(as[0]) {
			t.Fatalf("attachments %v", as)
		}
		status, again, h := e.send(e.pat, path+"/messages", key, files...)
		if status != 201 || h.Get("Idempotent-Replayed") != "true" || id(again) != id(ev) {
			t.Fatalf("retry: %d %v replayed=%q", status, again, h.Get("Idempotent-Replayed"))
		}

		res, body := e.get(e.pat, as[0]["url"].(string))
		if res.StatusCode != 200 || body != html {
			t.Fatalf("download: %d %q", res.StatusCode, body)
		}
		for k, want := range map[string]string{
			"Content-Disposition":    "attachment; filename=photo.png",
			"Content-Type":           "text/html; charset=utf-8",
			"X-Content-Type-Options": "nosniff",
		} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("%s=%q, want %q", k, got, want)
			}
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox;") {
			t.Errorf("Content-Security-Policy=%q, want a sandbox", csp)
		}
		if res, _ := e.get(e.agent, as[1]["url"].(string)); res.StatusCode != 200 {
			t.Errorf("the agent's download: %d", res.StatusCode)
		}
		if res, _ := e.get(e.sam, as[1]["url"].(string)); res.StatusCode != 404 {
			t.Errorf("another requester's download: %d, want 404", res.StatusCode)
		}
		if res, _ := e.get("", as[1]["url"].(string)); res.StatusCode != 401 {
			t.Errorf("a download without a token: %d, want 401", res.StatusCode)
		}
		for _, bad := range []string{"/api/v1/attachments/0", "/api/v1/attachments/x", "/api/v1/attachments/999999"} {
			if res, _ := e.get(e.agent, bad); res.StatusCode != 404 {
				t.Errorf("GET %s: %d, want 404", bad, res.StatusCode)
			}
		}

		// An internal note's file is staff-only.
		status, note, _ := e.send(e.agent, path+"/messages", nil, part{"body", "", "", "Vendor log"}, part{"internal", "", "", "true"}, part{"file", "vendor.log", "", "secret"})
		if status != 201 || note["internal"] != true || len(attachments(note)) != 1 {
			t.Fatalf("note: %d %v", status, note)
		}
		noteURL := attachments(note)[0]["url"].(string)
		if res, _ := e.get(e.pat, noteURL); res.StatusCode != 404 {
			t.Errorf("the requester downloads a note's file: %d, want 404", res.StatusCode)
		}
		if res, body := e.get(e.agent, noteURL); res.StatusCode != 200 || body != "secret" {
			t.Errorf("the agent downloads the note's file: %d %q", res.StatusCode, body)
		}

		// Mistakes: 400 with the field, nothing written.
		for _, tc := range []struct {
			name  string
			parts []part
			field string
		}{
			{"too large", []part{{"body", "", "", "Big one"}, {"file", "disk.img", "", strings.Repeat("x", testMaxFile+1)}}, "files"},
			{"unknown field", []part{{"body", "", "", "Hi"}, {"subject", "", "", "x"}}, "subject"},
			{"bad internal", []part{{"body", "", "", "Hi"}, {"internal", "", "", "maybe"}}, "internal"},
			{"no body", []part{{"file", "a.txt", "", "a"}}, "body"},
		} {
			status, out, _ := e.send(e.agent, path+"/messages", nil, tc.parts...)
			fields, _ := json.Marshal(out["errors"])
			if status != 400 || !strings.Contains(string(fields), `"field":"`+tc.field+`"`) {
				t.Errorf("%s: %d %v, want 400 on %s", tc.name, status, out, tc.field)
			}
		}
		many := []part{{"body", "", "", "Many"}}
		for i := 0; i < 11; i++ {
			many = append(many, part{"file", fmt.Sprintf("f%d.txt", i), "", "x"})
		}
		if status, out, _ := e.send(e.agent, path+"/messages", nil, many...); status != 400 {
			t.Errorf("11 files: %d %v, want 400", status, out)
		}

		tl := e.must(200, e.pat, "GET", path+"/timeline", "")
		evs := tl["events"].([]any)
		if len(evs) != 2 {
			t.Fatalf("the requester's timeline has %d entries, want the request and one message: %v", len(evs), evs)
		}
		if got := attachments(evs[1].(map[string]any)); len(got) != 2 || got[0]["sha256"] != as[0]["sha256"] {
			t.Fatalf("timeline attachments %v", got)
		}
		if staff := e.must(200, e.agent, "GET", path+"/timeline", "")["events"].([]any); len(staff) != 3 || len(attachments(staff[2].(map[string]any))) != 1 {
			t.Fatalf("staff timeline %v", staff)
		}
	})
}
