package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkAuthenticate: the cost of turning a bearer token into its user,
// paid by every API request, on each database.
func BenchmarkAuthenticate(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := desk.New(testdb.Open(b, dialect))
			ctx := context.Background()
			if _, err := d.AddUser(ctx, "pat@example.com", "Pat", rapport.RoleRequester); err != nil {
				b.Fatal(err)
			}
			secret, err := d.CreateToken(ctx, "pat@example.com", "")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := d.Authenticate(ctx, secret); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkAuditedRead: what auditing adds to a staff read of private
// data. "unaudited" reads the account alone (desk.User); "audited" is
// desk.Person, the same read plus its durable audit entry (on SQLite,
// through the group-commit writer). Serial and 16 readers at once, where
// SQLite shares commits.
func BenchmarkAuditedRead(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := desk.New(testdb.Open(b, dialect))
			ctx := context.Background()
			pat, err := d.AddUser(ctx, "pat@example.com", "Pat", rapport.RoleRequester)
			if err != nil {
				b.Fatal(err)
			}
			ann, err := d.AddUser(ctx, "ann@example.com", "Ann", rapport.RoleAgent)
			if err != nil {
				b.Fatal(err)
			}
			as := rapport.NewContextWithRoute(rapport.NewContextWithUser(ctx, ann), rapport.RouteAPI)
			for _, bc := range []struct {
				name string
				read func() error
			}{
				{"unaudited", func() error { _, err := d.User(as, pat.ID); return err }},
				{"audited", func() error { _, err := d.Person(as, pat.ID); return err }},
			} {
				b.Run(bc.name+"/serial", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := bc.read(); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run(bc.name+"/parallel16", func(b *testing.B) {
					b.ReportAllocs()
					b.SetParallelism(8) // 8 × GOMAXPROCS(2) = 16 readers
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := bc.read(); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
			}
		})
	}
}

// BenchmarkCatchUpSLAsOnDB measures the check-slas pass that gives old
// open tickets their clocks and moves them to changed policies, on the
// database named by RAPPORT_BENCH_DB (a seeded SQLite path or postgres://
// URL; skipped when unset). The seed writes no clocks, like an upgrade:
// the first passes back-fill (logged; they change the database), and the
// benchmark times the pass every minute pays once caught up, which reads
// only tickets newer than the last it saw.
//
//	RAPPORT_BENCH_DB=/tmp/big.db go test -run '^$' -bench CatchUpSLAsOnDB ./internal/desk
func BenchmarkCatchUpSLAsOnDB(b *testing.B) {
	ctx := context.Background()
	db := testdb.Seeded(b)
	d := desk.New(db)
	if err := d.SetupSLA(ctx, "UTC"); err != nil {
		b.Fatal(err)
	}
	for {
		start := time.Now()
		n, err := d.CatchUpSLAs(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("a catch-up pass: %d clocks back-filled or moved in %v", n, time.Since(start))
		if n == 0 {
			break
		}
	}
	for b.Loop() {
		if n, err := d.CatchUpSLAs(ctx); err != nil || n != 0 {
			b.Fatalf("CatchUpSLAs = %d, %v; want nothing left", n, err)
		}
	}
}
