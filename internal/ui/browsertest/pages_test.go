package browsertest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// budget is what a page may transfer on a first visit, all assets
// included, compressed.
const budget = 150 << 10

// TestPagesOnDesktopAndPhone loads each page on a wide screen and a
// phone, checks it with axe-core, measures its cold-load transfer against
// the budget, and saves screenshots when RAPPORT_SCREENSHOTS is set.
func TestPagesOnDesktopAndPhone(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	sam := s.addUser(t, "sam@example.com", "Sam Roe", rapport.RoleRequester)
	ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	ask(t, s, sam, "Laptop will not start after the update", rapport.Impact{BlocksWork: true})
	drive := ask(t, s, pat, "Shared drive is read-only", rapport.Impact{})
	// Pat's home shows one request being worked on and one waiting.
	if _, err := s.Desk.Assign(rapport.NewContextWithUser(context.Background(), ann), drive.ID, "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	mine := ask(t, s, pat, "Cannot print from my laptop", rapport.Impact{})
	ask(t, s, sam, "Card payments fail at the front desk", rapport.Impact{CostsMoney: true})
	ask(t, s, sam, "New starter needs an account", rapport.Impact{})

	checkPages(t, s, []shot{
		{"", "/login", "login"},
		{"pat@example.com", "/", "requester-home"},
		{"pat@example.com", "/requests/new", "ask-for-help"},
		{"pat@example.com", "/tickets/" + itoa(mine.ID), "requester-ticket"},
		{"ann@example.com", "/", "agent-queue"},
	})
}

// shot is a page to check: who signs in ("" for nobody), where, and the
// screenshot's name.
type shot struct{ who, path, name string }

// checkPages loads each page on a wide screen and on a phone as its person,
// checks it with axe-core, that it does not scroll sideways on the phone,
// and its cold-load transfer against the budget, saves its screenshots
// (when RAPPORT_SCREENSHOTS is set), and logs the transfer figures.
func checkPages(t *testing.T, s *site, shots []shot) {
	t.Helper()
	var report []string
	for _, sh := range shots {
		for _, phone := range []bool{false, true} {
			tb := s.newTab(t)
			if sh.who != "" {
				tb.signIn(sh.who, password)
			}
			name := sh.name
			if phone {
				tb.viewport(390, 844, true)
				name += "-phone"
			}
			total, parts := tb.transfer(sh.path)
			if got := tb.path(); got != sh.path {
				t.Fatalf("%s as %q lands on %q", sh.path, sh.who, got)
			}
			if !phone {
				var urls []string
				for u, n := range parts {
					urls = append(urls, fmt.Sprintf("%s %d B", u, n))
				}
				sort.Strings(urls)
				report = append(report, fmt.Sprintf("%-18s %6.1f KB (%s)", sh.name, float64(total)/1024, strings.Join(urls, ", ")))
				if total > budget {
					t.Errorf("%s as %q transfers %d bytes on a cold load, over the budget of %d", sh.path, sh.who, total, budget)
				}
				if len(parts) < 2 {
					t.Errorf("%s: measured %v, want the page and its assets", sh.path, parts)
				}
			}
			if phone && eval[bool](tb, `document.documentElement.scrollWidth > window.innerWidth`) {
				t.Errorf("%s on a phone is wider than the screen: it scrolls sideways", sh.path)
			}
			tb.checkA11y()
			tb.screenshot(name)
		}
	}
	t.Logf("cold-load transfer, compressed, headers included:\n  %s", strings.Join(report, "\n  "))
}
