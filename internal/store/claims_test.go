package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestFindClaims: the latest pickups of one rank since a time, newest
// first, at most the limit; tickets never picked up, or put back in the
// queue, are not pickups.
func TestFindClaims(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		ann := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		want := map[int][]rapport.Claim{}
		for i := range 12 {
			impact := rapport.Impact{Outage: i%4 == 0}
			tk := mustTicket(t, db, pat, impact)
			if i == 11 {
				break // left in the queue
			}
			at := base.Add(time.Duration(i) * 10 * time.Minute)
			err := db.Update(ctx, func(tx rapport.Tx) error {
				tk, err := tx.LockTicket(ctx, tk.ID)
				if err != nil {
					return err
				}
				if _, err := tk.Claim(ann, at); err != nil {
					return err
				}
				if i == 10 { // released: back in the queue, no longer a pickup
					if _, err := tk.Assign(ann, nil, at); err != nil {
						return err
					}
				}
				return tx.UpdateTicket(ctx, tk)
			})
			if err != nil {
				t.Fatal(err)
			}
			if i < 10 {
				r := impact.Priority().Rank()
				want[r] = append([]rapport.Claim{{Rank: r, CreatedAt: tk.CreatedAt, ClaimedAt: at}}, want[r]...)
			}
		}
		for _, tc := range []struct {
			rank  int
			since time.Time
			limit int
			want  []rapport.Claim
		}{
			{1, base, 100, want[1]},
			{0, base, 100, want[0]},
			{1, base, 3, want[1][:3]},
			{1, base.Add(45 * time.Minute), 100, want[1][:4]}, // 50, 60, 70 and 90 minutes
			{0, base.Add(time.Hour), 100, want[0][:1]},        // 80 minutes
			{1, base.Add(2 * time.Hour), 100, nil},
		} {
			got, err := db.FindClaims(ctx, tc.rank, tc.since, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("FindClaims(%d, %v, %d) (-want +got):\n%s", tc.rank, tc.since, tc.limit, diff)
			}
		}
	})
}

// BenchmarkFindClaims: the expected wait's history read, a full window of
// pickups of one priority. It is one range of the index tickets_claimed,
// so a large database costs no more than this one.
func BenchmarkFindClaims(b *testing.B) {
	eachDialect(b, func(b *testing.B, db *store.DB) {
		pat := benchUser(b, db, "pat@example.com", rapport.RoleRequester)
		ann := benchUser(b, db, "ann@example.com", rapport.RoleAgent)
		now := rapport.Now()
		err := db.Update(ctx, func(tx rapport.Tx) error {
			for i := range 2 * rapport.WaitHistoryClaims {
				tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Channel: rapport.ChannelAPI}, pat, nil, now.Add(-time.Hour))
				if err != nil {
					return err
				}
				if err := tx.CreateTicket(ctx, tk); err != nil {
					return err
				}
				if _, err := tk.Claim(ann, now.Add(time.Duration(i-2*rapport.WaitHistoryClaims)*time.Second)); err != nil {
					return err
				}
				if err := tx.UpdateTicket(ctx, tk); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			cs, err := db.FindClaims(ctx, 1, now.Add(-rapport.WaitWindow), rapport.WaitHistoryClaims)
			if err != nil || len(cs) != rapport.WaitHistoryClaims {
				b.Fatalf("FindClaims: %d claims, %v", len(cs), err)
			}
		}
	})
}
