package ui_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestMoodOnPages: staff see the mood in the queue and on the ticket, with
// the suggested opening; the requester's page has none of it.
func TestMoodOnPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tk := f.ask(t, "VPN drops", "This is still broken and it dropped again. I can't work.")
		path := fmt.Sprintf("/tickets/%d", tk.ID)
		pat, ann := f.client(t), f.client(t)
		f.signIn(t, pat, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")

		queue := page(t, f, ann, "/")
		for _, want := range []string{`<th scope="col">Mood</th>`, `<span class="mood mood-frustrated"><span class="mood-mark" aria-hidden="true">!</span> Frustrated</span>`} {
			if !strings.Contains(queue, want) {
				t.Errorf("the queue lacks %q:\n%s", want, queue)
			}
		}
		staff := page(t, f, ann, path)
		for _, want := range []string{"<dt>Mood</dt>", "says &#39;still&#39; and &#39;again&#39;", "You might open with:",
			"I can imagine this is really frustrating", ">Insert acknowledgement</button>", "/mood."} {
			if !strings.Contains(staff, want) {
				t.Errorf("the staff page lacks %q", want)
			}
		}
		mine := page(t, f, pat, path)
		for _, hidden := range []string{"Mood", "Frustrated", "&#39;still&#39;", "You might open with", "Insert acknowledgement", "/mood."} {
			if strings.Contains(mine, hidden) {
				t.Errorf("the requester's page shows %q", hidden)
			}
		}
	})
}
