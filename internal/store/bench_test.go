package store_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// eachDialect runs a benchmark per configured dialect.
func eachDialect(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	for _, d := range testdb.Dialects() {
		b.Run(d, func(b *testing.B) { fn(b, testdb.Open(b, d)) })
	}
}

func benchUser(b *testing.B, db *store.DB, email string, role rapport.Role) *rapport.User {
	u, _ := rapport.NewUser(email, "Bench", role, rapport.Now())
	if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
		b.Fatal(err)
	}
	return u
}

func createTicket(db *store.DB, u *rapport.User) error {
	return db.Update(ctx, func(tx rapport.Tx) error {
		tk, ev, err := rapport.NewTicket(rapport.TicketInput{Subject: "Printer", Body: "Paper jam on floor 2", Channel: rapport.ChannelAPI}, u, nil, rapport.Now())
		if err != nil {
			return err
		}
		if err := tx.CreateTicket(ctx, tk); err != nil {
			return err
		}
		ev.TicketID = tk.ID
		return tx.AddEvent(ctx, ev)
	})
}

// BenchmarkCreateTicket: one ticket and its first event per transaction, as
// the API does; parallel callers share commits on SQLite. The site is in a
// zone with DST, so the report triggers read a real table of offsets.
func BenchmarkCreateTicket(b *testing.B) {
	eachDialect(b, func(b *testing.B, db *store.DB) {
		loc, err := time.LoadLocation("America/Los_Angeles")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.SetReportZone(ctx, loc); err != nil {
			b.Fatal(err)
		}
		u := benchUser(b, db, "pat@example.com", rapport.RoleRequester)
		for _, par := range []int{1, 16} {
			b.Run(fmt.Sprintf("callers=%d", par), func(b *testing.B) {
				b.SetParallelism(par)
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := createTicket(db, u); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	})
}

// BenchmarkClaimNext: agents taking tickets from a full queue.
func BenchmarkClaimNext(b *testing.B) {
	eachDialect(b, func(b *testing.B, db *store.DB) {
		u := benchUser(b, db, "pat@example.com", rapport.RoleRequester)
		agent := benchUser(b, db, "ann@example.com", rapport.RoleAgent)
		for i := 0; i < b.N; i++ {
			if err := createTicket(db, u); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		b.ReportAllocs()
		var claimed atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				err := db.Update(ctx, func(tx rapport.Tx) error {
					tk, err := tx.LockNextQueued(ctx)
					if err != nil {
						return err
					}
					if _, err := tk.Claim(agent, rapport.Now()); err != nil {
						return err
					}
					return tx.UpdateTicket(ctx, tk)
				})
				if err != nil {
					b.Error(err)
					return
				}
				claimed.Add(1)
			}
		})
	})
}

// BenchmarkFindTicket: a requester checking their ticket and its place.
func BenchmarkFindTicket(b *testing.B) {
	eachDialect(b, func(b *testing.B, db *store.DB) {
		u := benchUser(b, db, "pat@example.com", rapport.RoleRequester)
		for i := 0; i < 1000; i++ {
			if err := createTicket(db, u); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := db.FindTicketByID(ctx, 500); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
