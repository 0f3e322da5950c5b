package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestCheckinsSurveysKudos: round trips of the follow-through rows, the
// due check-in taken in order and only while neither sent nor cancelled,
// and cancelling only what was not sent.
func TestCheckinsSurveysKudos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		ann := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		tk := mustTicket(t, db, pat, rapport.Impact{})
		other := mustTicket(t, db, pat, rapport.Impact{})
		at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		update := func(fn func(tx rapport.Tx) error) {
			t.Helper()
			if err := db.Update(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		late := &rapport.Checkin{TicketID: tk.ID, AgentID: &ann.ID, DueAt: at.Add(time.Hour), CreatedAt: at}
		early := &rapport.Checkin{TicketID: other.ID, DueAt: at, CreatedAt: at}
		update(func(tx rapport.Tx) error {
			if err := tx.CreateCheckin(ctx, late); err != nil {
				return err
			}
			return tx.CreateCheckin(ctx, early)
		})
		got, err := db.FindCheckin(ctx, late.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(late, got); diff != "" {
			t.Fatalf("check-in round trip (-want +got):\n%s", diff)
		}
		var due []*rapport.Checkin
		for _, now := range []time.Time{at.Add(-time.Second), at, at.Add(2 * time.Hour), at.Add(3 * time.Hour)} {
			update(func(tx rapport.Tx) error {
				c, err := tx.LockDueCheckin(ctx, now)
				if rapport.ErrorCode(err) == rapport.ENOTFOUND {
					return nil
				} else if err != nil {
					return err
				}
				c.SentAt = &now
				due = append(due, c)
				return tx.UpdateCheckin(ctx, c)
			})
		}
		if len(due) != 2 || due[0].ID != early.ID || due[1].ID != late.ID {
			t.Fatalf("due check-ins %+v, want the early one then the late one", due)
		}
		pending := &rapport.Checkin{TicketID: tk.ID, DueAt: at.Add(24 * time.Hour), CreatedAt: at}
		update(func(tx rapport.Tx) error { return tx.CreateCheckin(ctx, pending) })
		var n int
		update(func(tx rapport.Tx) error { n, err = tx.CancelCheckins(ctx, tk.ID, at); return err })
		cs, err := db.FindCheckins(ctx, tk.ID)
		if err != nil || n != 1 || len(cs) != 2 || cs[0].State() != "sent" || cs[1].State() != "cancelled" {
			t.Fatalf("after cancel: n=%d %+v %v", n, cs, err)
		}

		s := &rapport.Survey{TicketID: tk.ID, Requester: pat.Ref(), Agent: ann.Ref(), CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
		update(func(tx rapport.Tx) error { return tx.CreateSurvey(ctx, s) })
		update(func(tx rapport.Tx) error {
			locked, err := tx.LockSurvey(ctx, s.ID)
			if err != nil {
				return err
			}
			if err := locked.Answer(rapport.SurveyAnswer{Score: 4, Comment: "Quick, thanks"}, at); err != nil {
				return err
			}
			*s = *locked
			return tx.AnswerSurvey(ctx, locked)
		})
		ss, err := db.FindSurveys(ctx, tk.ID)
		if err != nil || len(ss) != 1 {
			t.Fatalf("surveys %v %v", ss, err)
		}
		if diff := cmp.Diff(s, ss[0]); diff != "" {
			t.Fatalf("survey round trip (-want +got):\n%s", diff)
		}

		k := &rapport.Kudos{From: pat.Ref(), To: ann.Ref(), TicketID: &tk.ID, Message: "Thank you!", CreatedAt: at}
		update(func(tx rapport.Tx) error { return tx.CreateKudos(ctx, k) })
		ks, err := db.FindKudos(ctx, ann.ID, 10)
		if err != nil || len(ks) != 1 {
			t.Fatalf("kudos %v %v", ks, err)
		}
		if diff := cmp.Diff(k, ks[0]); diff != "" {
			t.Fatalf("kudos round trip (-want +got):\n%s", diff)
		}
		self := &rapport.Kudos{From: ann.Ref(), To: ann.Ref(), Message: "Me", CreatedAt: at}
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateKudos(ctx, self) }); err == nil {
			t.Fatal("the database took kudos to oneself")
		}
	})
}
