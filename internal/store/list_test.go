package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func TestTicketFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		sam := mustUser(t, db, "sam@example.com", rapport.RoleRequester)
		ann := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
		add := func(u *rapport.User, crit bool, ch rapport.Channel, d int, change func(*rapport.Ticket)) int64 {
			tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Channel: ch, Impact: rapport.Impact{Outage: crit}}, u, nil, day(d))
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(ctx, func(tx rapport.Tx) error {
				if err := tx.CreateTicket(ctx, tk); err != nil {
					return err
				}
				if change == nil {
					return nil
				}
				change(tk)
				return tx.UpdateTicket(ctx, tk)
			})
			if err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		claim := func(tk *rapport.Ticket) { tk.Claim(ann, tk.CreatedAt) }
		resolve := func(tk *rapport.Ticket) { tk.Claim(ann, tk.CreatedAt); tk.Resolve(ann, "done", tk.CreatedAt) }
		t1 := add(pat, false, rapport.ChannelAPI, 1, nil)
		t2 := add(pat, true, rapport.ChannelPhone, 2, claim)
		t3 := add(sam, false, rapport.ChannelEmail, 3, resolve)
		t4 := add(sam, true, rapport.ChannelAPI, 4, nil)
		d2, d4 := day(2), day(4)
		for _, tc := range []struct {
			name string
			f    rapport.TicketFilter
			want []int64
		}{
			{"all, newest first", rapport.TicketFilter{}, []int64{t4, t3, t2, t1}},
			{"one status", rapport.TicketFilter{Statuses: []rapport.Status{rapport.StatusNew}}, []int64{t4, t1}},
			{"statuses", rapport.TicketFilter{Statuses: []rapport.Status{rapport.StatusOpen, rapport.StatusResolved}}, []int64{t3, t2}},
			{"priority", rapport.TicketFilter{Priority: rapport.PriorityCritical}, []int64{t4, t2}},
			{"assignee", rapport.TicketFilter{AssigneeID: &ann.ID}, []int64{t3, t2}},
			{"unassigned", rapport.TicketFilter{Unassigned: true}, []int64{t4, t1}},
			{"requester", rapport.TicketFilter{RequesterID: &sam.ID}, []int64{t4, t3}},
			{"channel", rapport.TicketFilter{Channel: rapport.ChannelAPI}, []int64{t4, t1}},
			{"created after (inclusive)", rapport.TicketFilter{CreatedAfter: &d2}, []int64{t4, t3, t2}},
			{"created before (exclusive)", rapport.TicketFilter{CreatedBefore: &d4}, []int64{t3, t2, t1}},
			{"created range", rapport.TicketFilter{CreatedAfter: &d2, CreatedBefore: &d4}, []int64{t3, t2}},
			{"combined", rapport.TicketFilter{RequesterID: &pat.ID, Priority: rapport.PriorityNormal, Channel: rapport.ChannelAPI}, []int64{t1}},
			{"oldest", rapport.TicketFilter{Sort: rapport.SortOldest, Unassigned: true}, []int64{t1, t4}},
			{"nothing matches", rapport.TicketFilter{RequesterID: &sam.ID, Channel: rapport.ChannelPhone}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, _, err := db.FindTickets(ctx, tc.f)
				if err != nil || !slices.Equal(ticketIDs(got), tc.want) {
					t.Fatalf("FindTickets=%v %v, want %v", ticketIDs(got), err, tc.want)
				}
				for _, tk := range got {
					if (tk.QueuePosition != nil) != tk.Queued() {
						t.Fatalf("ticket %d: queue position %v, queued %v", tk.ID, tk.QueuePosition, tk.Queued())
					}
				}
			})
		}
		if _, _, err := db.FindTickets(ctx, rapport.TicketFilter{Sort: "sideways"}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("bad sort: %v, want EINVALID", err)
		}
	})
}

func TestTimelinePaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		var evs []*rapport.Event
		for i := range 130 {
			if i%13 == 0 {
				evs = append(evs, note(fmt.Sprint("note ", i)))
			} else {
				evs = append(evs, message(fmt.Sprint("reply ", i)))
			}
		}
		tk := ticketWith(t, db, pat, "Long story", "b", evs...)
		for _, tc := range []struct {
			internal bool
			want     int // events: the created one, then the replies (and notes)
		}{{true, 131}, {false, 121}} {
			f := rapport.EventFilter{TicketID: tk.ID, IncludeInternal: tc.internal, Limit: 50}
			var got []*rapport.Event
			for {
				page, next, err := db.FindEvents(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page...)
				if next == "" {
					break
				}
				f.After = next
			}
			for i, e := range got {
				if e.Internal && !tc.internal || i > 0 && got[i-1].ID >= e.ID {
					t.Fatalf("event %d (%v, internal %v) out of place", e.ID, e.Type, e.Internal)
				}
			}
			if len(got) != tc.want {
				t.Fatalf("internal=%v: %d events, want %d", tc.internal, len(got), tc.want)
			}
		}
		if _, _, err := db.FindEvents(ctx, rapport.EventFilter{TicketID: tk.ID, After: "x"}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("bad cursor: %v, want EINVALID", err)
		}
	})
}

func TestUserList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for i := range 7 {
			mustUser(t, db, fmt.Sprintf("user%d@example.com", i), rapport.RoleRequester)
		}
		ann := mustUser(t, db, "ann.ortiz@example.com", rapport.RoleAgent)
		u, _ := rapport.NewUser("x@corp.example", "Annika Berg", rapport.RoleAdmin, rapport.Now())
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		emails := func(us []*rapport.User) []string {
			var out []string
			for _, u := range us {
				out = append(out, u.Email)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    rapport.UserFilter
			want []string
		}{
			{"role", rapport.UserFilter{Role: rapport.RoleAgent}, []string{ann.Email}},
			{"email prefix, any case", rapport.UserFilter{Query: "ANN"}, []string{ann.Email, u.Email}},
			{"name prefix", rapport.UserFilter{Query: "annika"}, []string{u.Email}},
			{"no match", rapport.UserFilter{Query: "zed"}, nil},
			{"prefix and role", rapport.UserFilter{Query: "user", Role: rapport.RoleAgent}, nil},
		} {
			got, _, err := db.FindUsers(ctx, tc.f)
			if err != nil || !slices.Equal(emails(got), tc.want) {
				t.Fatalf("%s: FindUsers=%v %v, want %v", tc.name, emails(got), err, tc.want)
			}
		}
		f := rapport.UserFilter{Query: "user", Limit: 3}
		var all []string
		for {
			page, next, err := db.FindUsers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, emails(page)...)
			if next == "" {
				break
			}
			f.After = next
		}
		if len(all) != 7 || all[0] != "user0@example.com" || all[6] != "user6@example.com" {
			t.Fatalf("paged users=%v, want user0..user6", all)
		}
	})
}
