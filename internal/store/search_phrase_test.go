package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPhrasePages pages through searches whose matches are dense
// among the newest tickets, sparse, or only old, in one block and with no
// time to walk further than one round per page, so that the walk's rounds,
// PostgreSQL's try from the index and the cursors where a page stopped
// are all taken; the pages must be the same as the plain reference order
// on both databases.
func TestPhrasePages(t *testing.T) {
	defer store.SetSearchWalk(4096, 0)()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		var subj, body, msg, sky []int64 // tickets with the phrase in each part, or both words apart; oldest first
		for i := range 24 {
			s, b := fmt.Sprint("Ticket ", i), "Nothing to see."
			var evs []*rapport.Event
			switch {
			case i%7 == 0:
				s = "The blue screen again"
			case i%5 == 0:
				b = "A blue screen at boot."
			case i == 3:
				evs = append(evs, message("now a blue screen"))
			case i%4 == 1:
				s = "Blue sky, screen dark" // both words, not side by side
			}
			tk := ticketWith(t, db, pat, s, b, evs...)
			switch {
			case i%7 == 0:
				subj = append(subj, tk.ID)
			case i%5 == 0:
				body = append(body, tk.ID)
			case i == 3:
				msg = append(msg, tk.ID)
			case i%4 == 1:
				sky = append(sky, tk.ID)
			}
		}
		newest := func(ids ...[]int64) []int64 {
			var out []int64
			for _, part := range ids {
				p := slices.Clone(part)
				slices.Reverse(p)
				out = append(out, p...)
			}
			return out
		}
		all := append(append(slices.Clone(subj), body...), msg...)
		slices.Sort(all)
		for _, tc := range []struct {
			name string
			f    rapport.TicketFilter
			want []int64
		}{
			{"relevance", rapport.TicketFilter{Query: `"blue screen"`, SearchNotes: true}, newest(subj, body, msg)},
			{"newest", rapport.TicketFilter{Query: `"blue screen"`, Sort: rapport.SortNewest}, newest(all)},
			{"oldest", rapport.TicketFilter{Query: `"blue screen"`, Sort: rapport.SortOldest}, all},
			{"rare", rapport.TicketFilter{Query: `"now a blue"`}, msg},
			{"words", rapport.TicketFilter{Query: "blue screen", Sort: rapport.SortNewest}, newest(slices.Sorted(slices.Values(append(slices.Clone(all), sky...))))},
			{"no such word", rapport.TicketFilter{Query: "zebra"}, nil},
			{"requester's phrase", rapport.TicketFilter{Query: `"blue screen"`, RequesterID: &pat.ID}, newest(subj, body, msg)},
		} {
			for _, limit := range []int{1, 2, 5, 50} {
				f := tc.f
				f.Limit = limit
				var got []int64
				for {
					page, next, err := db.FindTickets(ctx, f)
					if err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
					got = append(got, ticketIDs(page)...)
					if next == "" {
						break
					}
					f.After = next
				}
				if !slices.Equal(got, tc.want) {
					t.Fatalf("%s, pages of %d: %v, want %v", tc.name, limit, got, tc.want)
				}
			}
		}
	})
}
