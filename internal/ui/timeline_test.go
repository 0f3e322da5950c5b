package ui_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

var (
	messageRe = regexp.MustCompile(`Message (\d+) (public|internal)`)
	laterRe   = regexp.MustCompile(`<a href="([^"]*)" rel="next">Show later messages</a>`)
	earlierRe = regexp.MustCompile(`<a href="([^"]*)" rel="prev">Show earlier messages</a>`)
)

// TestTimelinePages: a ticket with more events than one page shows is
// walked with "Show later messages" to its end, each message exactly once
// and in order; "Show earlier messages" goes back one page; the requester's
// pages never hold an internal note; a damaged link is a plain 400.
func TestTimelinePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tk := f.ask(t, "Long story", "It keeps happening")
		pat, ann := f.as(t, "pat@example.com"), f.as(t, "ann@example.com")
		const messages = 460
		for i := 1; i <= messages; i++ {
			ctx, internal := pat, i%10 == 0
			if internal {
				ctx = ann
			}
			kind := map[bool]string{false: "public", true: "internal"}[internal]
			if _, err := f.desk.AddMessage(ctx, tk.ID, fmt.Sprintf("Message %d %s", i, kind), internal); err != nil {
				t.Fatal(err)
			}
		}
		for _, who := range []struct {
			email string
			staff bool
		}{{"pat@example.com", false}, {"ann@example.com", true}} {
			c := f.client(t)
			f.signIn(t, c, who.email)
			path := "/tickets/" + itoa(tk.ID)
			var pages []string
			var seen []int
			for {
				body := page(t, f, c, path)
				if len(pages) == 0 && earlierRe.MatchString(body) {
					t.Fatalf("%s: the first page offers earlier messages", who.email)
				}
				if len(pages) > 0 {
					m := earlierRe.FindStringSubmatch(body)
					if m == nil || html.UnescapeString(m[1]) != pages[len(pages)-1]+"#timeline-heading" {
						t.Fatalf("%s: page %d links back to %v, want %q", who.email, len(pages)+1, m, pages[len(pages)-1])
					}
				}
				for _, m := range messageRe.FindAllStringSubmatch(body, -1) {
					if m[2] == "internal" && !who.staff {
						t.Fatalf("the requester's timeline shows internal note %s", m[1])
					}
					var n int
					fmt.Sscan(m[1], &n)
					seen = append(seen, n)
				}
				pages = append(pages, path)
				m := laterRe.FindStringSubmatch(body)
				if m == nil {
					break
				}
				path = html.UnescapeString(m[1])
				if !strings.HasSuffix(path, "#timeline-heading") {
					t.Fatalf("later link %q does not open at the timeline", path)
				}
				path = strings.TrimSuffix(path, "#timeline-heading")
			}
			if len(pages) < 3 {
				t.Fatalf("%s: %d pages for %d messages, want at least 3", who.email, len(pages), messages)
			}
			want := 0
			for i := 1; i <= messages; i++ {
				if who.staff || i%10 != 0 {
					if want >= len(seen) || seen[want] != i {
						t.Fatalf("%s: message %d out of place; seen %v", who.email, i, seen)
					}
					want++
				}
			}
			if want != len(seen) {
				t.Fatalf("%s: %d messages shown, want %d", who.email, len(seen), want)
			}
			// Back from the last page is the page before it, as it was.
			last := page(t, f, c, pages[len(pages)-1])
			back := html.UnescapeString(earlierRe.FindStringSubmatch(last)[1])
			if got, want := messageRe.FindAllString(page(t, f, c, strings.TrimSuffix(back, "#timeline-heading")), -1),
				messageRe.FindAllString(page(t, f, c, pages[len(pages)-2]), -1); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s: back from the last page shows %v, want %v", who.email, got, want)
			}
			if res, _ := f.do(t, c, "GET", "/tickets/"+itoa(tk.ID)+"?after=broken", nil, nil); res.StatusCode != 400 {
				t.Fatalf("damaged timeline link: Status=%v, want 400", res.StatusCode)
			}
		}
	})
}
