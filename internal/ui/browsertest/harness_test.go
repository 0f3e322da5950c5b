package browsertest

import (
	"context"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// chromiumPath is where Debian installs Chromium.
const chromiumPath = "/usr/bin/chromium"

const password = "correct horse battery"

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel = func() {}
	browserErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserCancel()
	os.Exit(code)
}

// missing skips the test with why, or fails it in CI, where every browser
// test must run.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser tests cannot run in CI: %s", why)
	}
	t.Skipf("browser tests skipped: %s", why)
}

// browser returns the shared Chromium, started on first use with a fresh
// profile. The flags keep it from reaching out to the network on its own
// (updates, sync, QUIC): this machine's network refuses such connections.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		missing(t, chromiumPath+" is not installed (apt-get install chromium)")
	}
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rapport-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(dir),
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("metrics-recording-only", true), chromedp.Flag("no-pings", true),
			chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,AutofillServerCommunication"))
		ctx, cancelBrowser := chromedp.NewContext(alloc)
		browserCtx = ctx
		browserCancel = func() { cancelBrowser(); cancelAlloc(); os.RemoveAll(dir) }
		browserErr = chromedp.Do(ctx) // starts the browser
	})
	if browserErr != nil {
		t.Fatalf("start %s: %v", chromiumPath, browserErr)
	}
	return browserCtx
}

// axeSource returns axe-core's script from node_modules (make assets).
func axeSource(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")); err == nil {
			return string(b)
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			missing(t, "node_modules/axe-core is missing: run make assets (npm ci)")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			missing(t, "node_modules/axe-core not found above "+dir)
		}
		dir = parent
	}
}

// site is a Rapport server on 127.0.0.1 over a fresh database, with a
// clock the test can move and live updates (GET /events) on.
type site struct {
	URL  string
	Desk *desk.Desk
	Live *live.Broker
	DB   *store.DB // for state no page makes (dead jobs)

	mu     sync.Mutex
	offset time.Duration
}

func newSite(t *testing.T, dialect string, opts ...server.Option) *site {
	t.Helper()
	db := testdb.Open(t, dialect)
	s := &site{Desk: desk.New(db), DB: db}
	// Attachments (web): files on disk, as serve keeps them by default.
	files, err := attach.Open(context.Background(), filepath.Join(t.TempDir(), "attachments"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	s.Desk.Files = files
	s.Desk.Now = func() time.Time {
		s.mu.Lock()
		defer s.mu.Unlock()
		return time.Now().Add(s.offset)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Live = live.New(log)
	s.Desk.Notifier = s.Live
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Live.Run(ctx); close(done) }()
	srv := httptest.NewServer(server.Handler(s.Desk, db, log, append([]server.Option{server.WithLive(s.Live)}, opts...)...))
	// Open event streams end first: srv.Close waits for every request.
	t.Cleanup(func() { s.Live.Close(); srv.Close(); stop(); <-done })
	s.URL = srv.URL
	return s
}

// advance moves the site's clock forward by d.
func (s *site) advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

func (s *site) addUser(t *testing.T, email, name string, role rapport.Role) *rapport.User {
	t.Helper()
	u, err := s.Desk.AddUserWithPassword(context.Background(), email, name, role, password)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// tab is one browser tab in a browser context of its own (its own
// cookies), like a separate person's browser.
type tab struct {
	t    *testing.T
	ctx  context.Context
	site *site
	axe  string
}

func (s *site) newTab(t *testing.T) *tab {
	t.Helper()
	axe := axeSource(t)
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, site: s, axe: axe}
	tb.viewport(1024, 768, false)
	return tb
}

func (tb *tab) viewport(w, h int64, mobile bool) {
	tb.t.Helper()
	// Scale 1 even for a phone: the layout is the same, and the
	// screenshots stay small.
	scale := 1.0
	if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: w, Height: h, DeviceScaleFactor: scale, Mobile: mobile}); err != nil {
		tb.t.Fatalf("viewport: %v", err)
	}
}

// open loads path on the site and waits for the page.
func (tb *tab) open(path string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(tb.site.URL+path)); err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
}

// path returns the current page's path and query.
func (tb *tab) path() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, tb.site.URL)
}

// find returns the DOM node of the element with role whose accessible
// name is name, as Chromium's accessibility tree (what a screen reader
// reads) has it. A miss lists the names that role has on the page.
func (tb *tab) find(role, name string) cdp.BackendNodeID {
	tb.t.Helper()
	doc, err := chromedp.Call(tb.ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		tb.t.Fatalf("get document: %v", err)
	}
	res, err := chromedp.Call(tb.ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{BackendNodeID: doc.Root.BackendNodeID, Role: role})
	if err != nil {
		tb.t.Fatalf("query accessibility tree: %v", err)
	}
	var names []string
	for _, n := range res.Nodes {
		if n.Ignored || n.Name == nil {
			continue
		}
		var got string
		if err := jsonUnmarshal(n.Name.Value, &got); err != nil {
			continue
		}
		if got == name {
			return n.BackendDOMNodeID
		}
		names = append(names, got)
	}
	tb.t.Fatalf("no %s named %q on %s; the %ss there: %q", role, name, tb.path(), role, names)
	return 0
}

// has reports whether an element with role and name is on the page.
func (tb *tab) has(role, name string) bool {
	tb.t.Helper()
	doc, err := chromedp.Call(tb.ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		tb.t.Fatal(err)
	}
	res, err := chromedp.Call(tb.ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{BackendNodeID: doc.Root.BackendNodeID, Role: role, AccessibleName: name})
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, n := range res.Nodes {
		if !n.Ignored {
			return true
		}
	}
	return false
}

// fill types text into the text box labelled label, replacing what was
// there, as a person typing would.
func (tb *tab) fill(label, text string) {
	tb.t.Helper()
	id := tb.find("textbox", label)
	if _, err := chromedp.Call(tb.ctx, dom.Focus, dom.FocusParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("focus %q: %v", label, err)
	}
	tb.call(id, "function() { this.select && this.select(); }")
	if _, err := chromedp.Call(tb.ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		tb.t.Fatalf("type into %q: %v", label, err)
	}
}

// call runs a JavaScript function with the node as this.
func (tb *tab) call(id cdp.BackendNodeID, fn string) {
	tb.t.Helper()
	obj, err := chromedp.Call(tb.ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: id})
	if err != nil {
		tb.t.Fatalf("resolve node: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{FunctionDeclaration: fn, ObjectID: obj.Object.ObjectID}); err != nil {
		tb.t.Fatalf("call on node: %v", err)
	}
}

// click clicks the middle of the element with role and name with the
// mouse.
func (tb *tab) click(role, name string) {
	tb.t.Helper()
	id := tb.find(role, name)
	if _, err := chromedp.Call(tb.ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("scroll to %s %q: %v", role, name, err)
	}
	quads, err := chromedp.Call(tb.ctx, dom.GetContentQuads, dom.GetContentQuadsParams{BackendNodeID: id})
	if err != nil || len(quads.Quads) == 0 {
		tb.t.Fatalf("%s %q has no box on screen: %v", role, name, err)
	}
	q := quads.Quads[0]
	x, y := (q[0]+q[2]+q[4]+q[6])/4, (q[1]+q[3]+q[5]+q[7])/4
	if err := chromedp.Do(tb.ctx, chromedp.MouseClickXY(math.Round(x), math.Round(y))); err != nil {
		tb.t.Fatalf("click %s %q: %v", role, name, err)
	}
}

// submit clicks the button or link named name and waits for the page it
// leads to.
func (tb *tab) submit(role, name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	loaded := chromedp.Events(ctx, page.LoadEventFired)
	tb.click(role, name)
	for _, err := range loaded {
		if err != nil {
			tb.t.Fatalf("after clicking %s %q, no page loaded: %v", role, name, err)
		}
		break
	}
}

// text returns the page's visible text.
func (tb *tab) text() string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		tb.t.Fatal(err)
	}
	return s
}

// eval runs a JavaScript expression and returns its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// wantText fails unless the page shows every one of want.
func (tb *tab) wantText(want ...string) {
	tb.t.Helper()
	text := tb.text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			tb.t.Fatalf("%s does not show %q; it shows:\n%s", tb.path(), w, text)
		}
	}
}

// keys types keys as key presses into whatever has focus ("\t" is Tab,
// "\r" Enter).
func (tb *tab) keys(keys string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(keys)); err != nil {
		tb.t.Fatalf("type %q: %v", keys, err)
	}
}

// keysAndWait is keys for keys that load another page.
func (tb *tab) keysAndWait(keys string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	loaded := chromedp.Events(ctx, page.LoadEventFired)
	tb.keys(keys)
	for _, err := range loaded {
		if err != nil {
			tb.t.Fatalf("after typing %q, no page loaded: %v", keys, err)
		}
		break
	}
}
