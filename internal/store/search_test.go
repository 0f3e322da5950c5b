package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// ticketWith stores a ticket from u with subject and body, then the events.
func ticketWith(t *testing.T, db *store.DB, u *rapport.User, subject, body string, evs ...*rapport.Event) *rapport.Ticket {
	t.Helper()
	tk, created, err := rapport.NewTicket(rapport.TicketInput{Subject: subject, Body: body, Channel: rapport.ChannelAPI}, u, nil, rapport.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx rapport.Tx) error {
		if err := tx.CreateTicket(ctx, tk); err != nil {
			return err
		}
		for _, e := range append([]*rapport.Event{created}, evs...) {
			e.TicketID = tk.ID
			if e.CreatedAt.IsZero() {
				e.CreatedAt = rapport.Now()
			}
			if err := tx.AddEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func message(body string) *rapport.Event {
	return &rapport.Event{Type: rapport.EventMessage, Body: body}
}

func note(body string) *rapport.Event {
	return &rapport.Event{Type: rapport.EventNote, Body: body, Internal: true}
}

func ticketIDs(ts []*rapport.Ticket) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		sam := mustUser(t, db, "sam@example.com", rapport.RoleRequester)
		pw := ticketWith(t, db, pat, "Cannot reset my password", "The VPN says no.")
		cafe := ticketWith(t, db, pat, "Printer jam", "The café printer on floor 2 eats paper.")
		slow := ticketWith(t, db, sam, "Laptop slow", "Fans are loud.", message("I tried restarting the router"), note("zebra crossing secret"))
		mail := ticketWith(t, db, pat, "Outlook crashes", "Every morning.", note("reset the password of the service account"))
		flicker := ticketWith(t, db, pat, "Monitor flickers", "Since Monday.", message("still flickering after the password change"))

		staff := rapport.TicketFilter{SearchNotes: true}
		asPat := rapport.TicketFilter{RequesterID: &pat.ID}
		asSam := rapport.TicketFilter{RequesterID: &sam.ID}
		folds := store.FoldsAccents(ctx, db)
		for _, tc := range []struct {
			name string
			f    rapport.TicketFilter
			q    string
			want []int64
		}{
			// Ranked: subject, then description, then conversation; newest first within each.
			{"subject, message and note", staff, "password", []int64{pw.ID, flicker.ID, mail.ID}},
			{"prefix", staff, "pass", []int64{pw.ID, flicker.ID, mail.ID}},
			{"prefix of every word", staff, "pass rese", []int64{pw.ID, mail.ID}},
			{"body", staff, "vpn", []int64{pw.ID}},
			{"message", staff, "router", []int64{slow.ID}},
			{"note for staff", staff, "zebra", []int64{slow.ID}},
			{"words are ANDed", staff, "printer paper", []int64{cafe.ID}},
			{"no ticket has both", staff, "printer zebra", nil},
			{"accent folded", staff, "cafe", []int64{cafe.ID}},
			{"accent in query", staff, "CAFÉ", []int64{cafe.ID}},
			{"phrase", staff, `"printer on floor"`, []int64{cafe.ID}},
			{"phrase out of order", staff, `"floor printer"`, nil},
			{"operators are words", staff, `password OR zebra NOT (`, nil},
			{"stray quote", staff, `pass"word`, nil},
			{"column syntax is a word", staff, `subject:jam`, nil},
			{"the owner column is not searched", staff, fmt.Sprint("r", pat.ID), nil},
			{"punctuation around words", staff, `(printer)!! "jam`, []int64{cafe.ID}},
			// A requester sees only their own, and never through a note.
			{"requester: own tickets, no notes", asPat, "password", []int64{pw.ID, flicker.ID}},
			{"requester: not others' tickets", asSam, "password", nil},
			{"requester: not a note on their own", asSam, "zebra", nil},
			{"requester: own message", asSam, "router", []int64{slow.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if strings.HasPrefix(tc.name, "accent") && !folds {
					t.Skip("PostgreSQL without the unaccent extension does not fold accents")
				}
				f := tc.f
				f.Query = tc.q
				got, next, err := db.FindTickets(ctx, f)
				if err != nil {
					t.Fatalf("FindTickets(%q)=%v", tc.q, err)
				}
				if !slices.Equal(ticketIDs(got), tc.want) || next != "" {
					t.Fatalf("FindTickets(%q)=%v next %q, want %v", tc.q, ticketIDs(got), next, tc.want)
				}
			})
		}

		// Queries with nothing to search for are plain field errors.
		for _, q := range []string{`"`, `!!! ***`, fmt.Sprintf("%0600d", 1), "a b c d e f g h i j k l m n o p q"} {
			if _, _, err := db.FindTickets(ctx, rapport.TicketFilter{Query: q}); rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("FindTickets(%.20q)=%v, want EINVALID", q, err)
			}
		}

		// A changed subject is searchable at once; the old one is gone.
		err := db.Update(ctx, func(tx rapport.Tx) error {
			tk, err := tx.LockTicket(ctx, cafe.ID)
			if err != nil {
				return err
			}
			tk.Subject = "Toner smudges"
			return tx.UpdateTicket(ctx, tk)
		})
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]int64{"toner": {cafe.ID}, "jam": nil, "floor": {cafe.ID}} {
			got, _, err := db.FindTickets(ctx, rapport.TicketFilter{Query: q})
			if err != nil || !slices.Equal(ticketIDs(got), want) {
				t.Fatalf("after rename, FindTickets(%q)=%v %v, want %v", q, ticketIDs(got), err, want)
			}
		}
		// Search combines with the other filters and sorts.
		got, _, err := db.FindTickets(ctx, rapport.TicketFilter{Query: "password", SearchNotes: true, Sort: rapport.SortOldest})
		if want := []int64{pw.ID, mail.ID, flicker.ID}; err != nil || !slices.Equal(ticketIDs(got), want) {
			t.Fatalf("oldest search=%v %v, want %v", ticketIDs(got), err, want)
		}
		if _, _, err := db.FindTickets(ctx, rapport.TicketFilter{Sort: rapport.SortRelevance}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("relevance without q: %v, want EINVALID", err)
		}
	})
}

// TestTicketPaging walks 120 tickets in pages of 50 under every order while
// new tickets arrive between pages: every ticket exactly once, in order.
func TestTicketPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		base := rapport.Truncate(time.Now().Add(-time.Hour))
		add := func(i int, at time.Time) *rapport.Ticket {
			tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: fmt.Sprintf("Wifi drops %d", i), Body: "b", Channel: rapport.ChannelAPI}, pat, nil, at)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateTicket(ctx, tk) }); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		want := map[int64]bool{}
		for i := range 120 {
			// Pairs share a creation time, and every third ticket is
			// touched later, so ties and a second order are exercised.
			tk := add(i, base.Add(time.Duration(i/2)*time.Second))
			if i%3 == 0 {
				err := db.Update(ctx, func(tx rapport.Tx) error {
					tk.UpdatedAt = base.Add(time.Duration(500-i/6) * time.Second)
					return tx.UpdateTicket(ctx, tk)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			want[tk.ID] = true
		}
		after := base.Add(-time.Minute)
		for _, tc := range []struct {
			name string
			f    rapport.TicketFilter
		}{
			{"newest", rapport.TicketFilter{}},
			{"oldest", rapport.TicketFilter{Sort: rapport.SortOldest}},
			{"updated", rapport.TicketFilter{Sort: rapport.SortUpdated}},
			{"relevance", rapport.TicketFilter{Query: "wifi"}},
			{"newest by creation time", rapport.TicketFilter{CreatedAfter: &after}},
			{"oldest by creation time", rapport.TicketFilter{CreatedAfter: &after, Sort: rapport.SortOldest}},
			{"search by update", rapport.TicketFilter{Query: "wifi", Sort: rapport.SortUpdated}},
			{"one requester's search", rapport.TicketFilter{Query: "wifi", RequesterID: &pat.ID}},
			{"statuses merged", rapport.TicketFilter{Statuses: []rapport.Status{rapport.StatusResolved, rapport.StatusNew}}},
			{"statuses merged by update", rapport.TicketFilter{Statuses: []rapport.Status{rapport.StatusResolved, rapport.StatusNew}, Sort: rapport.SortUpdated}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				f.Limit = 50
				var seen []*rapport.Ticket
				for pages := 1; ; pages++ {
					page, next, err := db.FindTickets(ctx, f)
					if err != nil {
						t.Fatalf("page %d: %v", pages, err)
					}
					seen = append(seen, page...)
					if next == "" {
						break
					}
					if len(page) != 50 || pages > 5 {
						t.Fatalf("page %d has %d tickets and a next page", pages, len(page))
					}
					// Tickets arrive between pages: now, after every one of the 120.
					add(1000+pages, rapport.Truncate(time.Now()))
					f.After = next
				}
				got := map[int64]bool{}
				for i, tk := range seen {
					if got[tk.ID] {
						t.Fatalf("ticket %d listed twice", tk.ID)
					}
					got[tk.ID] = true
					if i > 0 && !inOrder(f, seen[i-1], tk) {
						t.Fatalf("tickets %d then %d: out of %s order", seen[i-1].ID, tk.ID, tc.name)
					}
				}
				for id := range want {
					if !got[id] {
						t.Fatalf("ticket %d never listed (%d listed)", id, len(seen))
					}
				}
			})
		}

		// A damaged, edited or foreign cursor is a plain field error.
		_, next, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 10})
		if err != nil || next == "" {
			t.Fatalf("first page: %v %q", err, next)
		}
		edited := []byte(next)
		edited[3] ^= 1
		for name, f := range map[string]rapport.TicketFilter{
			"garbage":       {After: "not a cursor!"},
			"edited":        {After: string(edited)},
			"cut":           {After: next[:len(next)-2]},
			"another order": {After: next, Sort: rapport.SortOldest},
			"another list":  {After: next, Query: "wifi"},
		} {
			if _, _, err := db.FindTickets(ctx, f); rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("%s cursor: %v, want EINVALID", name, err)
			}
		}
	})
}

// inOrder reports whether a may come before b in f's order.
func inOrder(f rapport.TicketFilter, a, b *rapport.Ticket) bool {
	switch {
	case f.Sort == rapport.SortOldest && f.CreatedAfter != nil:
		return a.CreatedAt.Before(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID
	case f.Sort == rapport.SortOldest:
		return a.ID < b.ID
	case f.Sort == rapport.SortUpdated:
		return a.UpdatedAt.After(b.UpdatedAt) || a.UpdatedAt.Equal(b.UpdatedAt) && a.ID > b.ID
	case f.CreatedAfter != nil:
		return a.CreatedAt.After(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID
	}
	return a.ID > b.ID
}
