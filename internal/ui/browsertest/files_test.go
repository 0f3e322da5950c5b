package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// onePixelPNG is a 1×1 PNG image.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")

// chooseFiles puts files on the file input with id, as the file picker would.
func (tb *tab) chooseFiles(id string, paths ...string) {
	tb.t.Helper()
	doc, err := chromedp.Call(tb.ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		tb.t.Fatalf("get document: %v", err)
	}
	node, err := chromedp.Call(tb.ctx, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: "#" + id})
	if err != nil || node.NodeID == 0 {
		tb.t.Fatalf("no file input #%s on %s: %v", id, tb.path(), err)
	}
	if _, err := chromedp.Call(tb.ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: paths, NodeID: node.NodeID}); err != nil {
		tb.t.Fatalf("choose files for #%s: %v", id, err)
	}
}

// fetchFile fetches url from the tab's page, awaiting the answer, and
// returns fileHeaders' summary.
func (tb *tab) fetchFile(url string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](fileHeaders+"('"+url+"')", chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("fetch %s: %v", url, err)
	}
	return v
}

// fileHeaders fetches url from the page (with its cookies) and returns
// status and the headers that keep a file from acting as the site.
const fileHeaders = `(async (url) => {
	const r = await fetch(url, {credentials: 'same-origin'});
	const h = (k) => r.headers.get(k) || '';
	return [String(r.status), h('content-type'), h('content-disposition'), h('x-content-type-options'), h('content-security-policy').split(';')[0]].join(' | ');
})`

// TestFilesPortalToAgent: the requester attaches a screenshot and an
// HTML page when asking for help, from the portal's form; the agent sees
// both on the timeline and downloads them with safe headers; the image
// opens in the browser but in a sandbox, without the site's cookies;
// another requester cannot fetch either. Both pages pass axe.
func TestFilesPortalToAgent(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			s.addUser(t, "sam@example.com", "Sam Roe", rapport.RoleRequester)
			dir := t.TempDir()
			shot, page := filepath.Join(dir, "screenshot.png"), filepath.Join(dir, "error page.html")
			os.WriteFile(shot, onePixelPNG, 0o600)
			os.WriteFile(page, []byte(`<html><body><script>document.title = document.cookie || "ran"</script>Error 500</body></html>`), 0o600)

			pat := s.newTab(t)
			pat.signIn("pat@example.com", password)
			pat.submit("link", "Ask for help")
			pat.fill("Subject", "Intranet shows an error")
			pat.fill("Description", "The page and a screenshot are attached.")
			pat.chooseFiles("request-files", shot, page)
			pat.submit("button", "Send request")
			pat.wantText("Intranet shows an error", "screenshot.png", "error page.html", "Position in queue")
			pat.checkA11y()
			ticket := pat.path()

			ann := s.newTab(t)
			ann.signIn("ann@example.com", password)
			ann.open(ticket)
			ann.wantText("screenshot.png", "error page.html")
			ann.checkA11y()
			hrefs := eval[[]string](ann, `[...document.querySelectorAll('.files a')].map(a => a.getAttribute('href'))`)
			if len(hrefs) != 2 {
				t.Fatalf("the agent's page links %d files, want 2", len(hrefs))
			}
			for i, want := range []string{
				"200 | image/png | inline; filename=screenshot.png | nosniff | sandbox",
				`200 | text/html; charset=utf-8 | attachment; filename="error page.html" | nosniff | sandbox`,
			} {
				if got := ann.fetchFile(hrefs[i]); got != want {
					t.Errorf("the agent fetching %s: %s, want %s", hrefs[i], got, want)
				}
			}
			// The image opens in place, in a sandbox: no access to the
			// site's cookies or storage, so nothing in a file acts as the site.
			ann.open(hrefs[0])
			if got := eval[string](ann, `(() => { try { return document.cookie === undefined ? 'none' : 'readable'; } catch (e) { return 'blocked'; } })()`); got != "blocked" {
				t.Errorf("the opened image's page can read cookies: %s", got)
			}

			sam := s.newTab(t)
			sam.signIn("sam@example.com", password)
			sam.open("/")
			for _, h := range hrefs {
				if got := sam.fetchFile(h); !strings.HasPrefix(got, "404 | text/html") {
					t.Errorf("another requester fetching %s: %s, want the 404 page", h, got)
				}
			}
		})
	}
}
