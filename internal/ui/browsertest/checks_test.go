package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func jsonUnmarshal(v []byte, out any) error { return json.Unmarshal(v, out) }

// violation is one axe-core rule a page breaks, with the elements.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkA11y runs axe-core on the page and fails on every serious or
// critical violation, listing each with the elements it found.
func (tb *tab) checkA11y() {
	tb.t.Helper()
	if !eval[bool](tb, "typeof window.axe === 'object'") {
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](tb.axe+";undefined")); err != nil {
			tb.t.Fatalf("load axe-core: %v", err)
		}
	}
	vs, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ['violations']}).then(r =>
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("run axe-core: %v", err)
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s", n)
		}
	}
	tb.t.Fatalf("axe-core finds %d serious or critical problem(s) on %s:%s", len(vs), tb.path(), b.String())
}

// screenshot saves the page as DIR/name.png when RAPPORT_SCREENSHOTS=DIR.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	dir := os.Getenv("RAPPORT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// transfer loads path with the browser's cache off, as a first visit
// would, and returns the bytes that crossed the network for it and
// everything it loaded (headers included, bodies as sent: compressed),
// by URL.
func (tb *tab) transfer(path string) (int, map[string]int) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		tb.t.Fatal(err)
	}
	var mu sync.Mutex
	urls := map[network.RequestID]string{}
	sizes := map[string]int{}
	ctx, cancel := context.WithCancel(tb.ctx)
	defer cancel()
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventResponseReceived:
			urls[e.RequestID] = strings.TrimPrefix(e.Response.URL, tb.site.URL)
		case *network.EventLoadingFinished:
			sizes[urls[e.RequestID]] += int(e.EncodedDataLength)
		}
	}); err != nil {
		tb.t.Fatal(err)
	}
	tb.open(path)
	// Scripts marked defer have run by the load event; give the last
	// loadingFinished events a moment to arrive.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		done := len(sizes) > 0 && len(sizes) == len(urls)
		mu.Unlock()
		if done {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	total := 0
	out := map[string]int{}
	for u, n := range sizes {
		total += n
		out[u] = n
	}
	return total, out
}
