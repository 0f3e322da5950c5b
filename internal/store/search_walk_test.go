package store_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestSearchWalk pages through searches of random tickets spread over
// many blocks of ids, in every order and with filters, and compares every
// walk with the answer worked out here from the texts: the same tickets,
// each once, in the documented order (search.go). It walks with no time
// to spare (one round of the walk per page, so pages stop early and go on
// from where they stopped), and with all the time needed (rounds of many
// blocks, and PostgreSQL's collect from the index).
func TestSearchWalk(t *testing.T) {
	const block = 8
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		sam := mustUser(t, db, "sam@example.com", rapport.RoleRequester)
		r := rand.New(rand.NewPCG(7, 11))
		vocab := []string{"alpha", "alphabet", "beta", "gamma", "delta", "delta", "beta"}
		// Each part starts and ends with a word never searched, so that no
		// phrase runs from one part (or message) into the next.
		text := func() string {
			words := []string{"xq"}
			for range r.IntN(4) {
				words = append(words, vocab[r.IntN(len(vocab))])
			}
			return strings.Join(append(words, "xq"), " ")
		}
		type doc struct {
			tk                             *rapport.Ticket
			subject, body, messages, notes string
		}
		var docs []doc
		var nextID int64
		for i := range 70 {
			if i%9 == 4 {
				// A run of ids with no searchable ticket: empty blocks.
				nextID += 3 * block
				if err := store.JumpTicketIDs(ctx, db, nextID, pat.ID); err != nil {
					t.Fatal(err)
				}
			}
			d := doc{subject: text(), body: text()}
			var evs []*rapport.Event
			for range r.IntN(3) {
				m := text()
				evs = append(evs, message(m))
				d.messages += " " + m
			}
			if r.IntN(3) == 0 {
				d.notes = text()
				evs = append(evs, note(d.notes))
			}
			who := pat
			if r.IntN(3) == 0 {
				who = sam
			}
			channel := rapport.ChannelAPI
			if r.IntN(2) == 0 {
				channel = rapport.ChannelPhone
			}
			tk, created, err := rapport.NewTicket(rapport.TicketInput{Subject: d.subject, Body: d.body, Channel: channel}, who, nil, rapport.Now())
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(ctx, func(tx rapport.Tx) error {
				if err := tx.CreateTicket(ctx, tk); err != nil {
					return err
				}
				for _, e := range append([]*rapport.Event{created}, evs...) {
					e.TicketID, e.CreatedAt = tk.ID, rapport.Now()
					if err := tx.AddEvent(ctx, e); err != nil {
						return err
					}
				}
				if r.IntN(4) == 0 {
					// A later change, so that sort=updated differs from id order.
					tk.UpdatedAt = tk.UpdatedAt.Add(time.Duration(r.IntN(100)) * time.Second)
					return tx.UpdateTicket(ctx, tk)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.FindTicketByID(ctx, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			d.tk, nextID = got, got.ID
			docs = append(docs, d)
		}

		// matches reports whether every term is in one of parts: a bare
		// word as a prefix of a word, "quoted words" side by side.
		matches := func(q string, parts ...string) bool {
			for i, chunk := range strings.Split(q, `"`) {
				var terms [][]string
				if i%2 == 1 {
					terms = append(terms, strings.Fields(chunk))
				} else {
					for _, w := range strings.Fields(chunk) {
						terms = append(terms, []string{w + "*"})
					}
				}
				for _, term := range terms {
					found := false
					for _, p := range parts {
						words := strings.Fields(p)
						for at := 0; at+len(term) <= len(words) && !found; at++ {
							found = true
							for k, w := range term {
								if pre, ok := strings.CutSuffix(w, "*"); ok {
									found = found && strings.HasPrefix(words[at+k], pre)
								} else {
									found = found && words[at+k] == w
								}
							}
						}
					}
					if !found {
						return false
					}
				}
			}
			return true
		}
		want := func(f rapport.TicketFilter) []int64 {
			type hit struct {
				tk   *rapport.Ticket
				tier int
			}
			var hits []hit
			for _, d := range docs {
				if f.RequesterID != nil && d.tk.Requester.ID != *f.RequesterID || f.Channel != "" && d.tk.Channel != f.Channel {
					continue
				}
				all := []string{d.subject, d.body, d.messages}
				if f.SearchNotes {
					all = append(all, d.notes)
				}
				switch {
				case matches(f.Query, d.subject):
					hits = append(hits, hit{d.tk, 0})
				case matches(f.Query, d.subject, d.body):
					hits = append(hits, hit{d.tk, 1})
				case matches(f.Query, all...):
					hits = append(hits, hit{d.tk, 2})
				}
			}
			slices.SortFunc(hits, func(a, b hit) int {
				ba, bb := a.tk.ID/block, b.tk.ID/block
				switch f.Sort {
				case rapport.SortOldest:
					return cmp.Compare(a.tk.ID, b.tk.ID)
				case rapport.SortNewest:
					return cmp.Compare(b.tk.ID, a.tk.ID)
				case rapport.SortUpdated:
					return cmp.Or(cmp.Compare(bb, ba), b.tk.UpdatedAt.Compare(a.tk.UpdatedAt), cmp.Compare(b.tk.ID, a.tk.ID))
				}
				return cmp.Or(cmp.Compare(bb, ba), cmp.Compare(a.tier, b.tier), cmp.Compare(b.tk.ID, a.tk.ID))
			})
			var ids []int64
			for _, h := range hits {
				ids = append(ids, h.tk.ID)
			}
			return ids
		}

		queries := []string{"alpha", "alphabet", "al", "beta gamma", `"beta gamma"`, `"delta beta" al`, "zzz", "delta"}
		var short int
		for _, budget := range []time.Duration{0, time.Hour} {
			restore := store.SetSearchWalk(block, budget)
			for _, q := range queries {
				for _, sort := range []rapport.TicketSort{"", rapport.SortNewest, rapport.SortOldest, rapport.SortUpdated} {
					for name, f := range map[string]rapport.TicketFilter{
						"staff":     {SearchNotes: true},
						"requester": {RequesterID: &pat.ID},
						"channel":   {SearchNotes: true, Channel: rapport.ChannelPhone},
					} {
						f.Query, f.Sort, f.Limit = q, sort, 3
						wantIDs := want(f)
						var got []int64
						for pages := 0; ; pages++ {
							page, next, err := db.FindTickets(ctx, f)
							if err != nil {
								t.Fatalf("%s %q sort %q: %v", name, q, sort, err)
							}
							got = append(got, ticketIDs(page)...)
							if next == "" {
								break
							}
							if len(page) < f.Limit {
								short++
							}
							if pages > 400 {
								t.Fatalf("%s %q sort %q: no end after %d pages", name, q, sort, pages)
							}
							f.After = next
						}
						if !slices.Equal(got, wantIDs) {
							t.Fatalf("budget %v, %s %q sort %q:\n got %v\nwant %v", budget, name, q, sort, got, wantIDs)
						}
					}
				}
			}
			restore()
		}
		if short == 0 {
			t.Fatal("no page stopped early: the walk's stopping points went untested")
		}
	})
}

// TestSearchLongWords checks that a bare word longer than the longest
// prefix matches by its first 10 letters, the same on both databases.
func TestSearchLongWords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		one := ticketWith(t, db, pat, "Outlook attachment fails", "Every time.")
		two := ticketWith(t, db, pat, "Printer keeps disconnecting", "Since Monday.")
		for q, want := range map[string][]int64{
			"attachments":     {one.ID},
			"attachment":      {one.ID},
			"disconnecting":   {two.ID},
			"disconnectivity": {two.ID}, // "disconnect" and on
			"disconnection":   {two.ID},
			"disconnects":     {two.ID},
			"disconnecx":      nil, // 10 letters: a prefix as typed
		} {
			got, _, err := db.FindTickets(ctx, rapport.TicketFilter{Query: q})
			if err != nil || !slices.Equal(ticketIDs(got), want) {
				t.Errorf("FindTickets(%q)=%v %v, want %v", q, ticketIDs(got), err, want)
			}
		}
	})
}
