package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkReportOnDB runs every supervisor report (FindReport) on the
// database named by RAPPORT_BENCH_DB (a seeded SQLite path or postgres://
// URL; skipped when unset) over the widest range, a month and a week, all
// ending today:
//
//	RAPPORT_BENCH_DB=/tmp/big.db go test -run '^$' -bench ReportOnDB ./internal/store
func BenchmarkReportOnDB(b *testing.B) {
	db := testdb.Seeded(b)
	now := rapport.Now()
	for _, tc := range []struct {
		name string
		days int
	}{{"year", rapport.MaxReportDays}, {"month", 30}, {"week", 7}} {
		b.Run(tc.name, func(b *testing.B) {
			r, err := rapport.ParseReportRange(rapport.FormatDay(now.AddDate(0, 0, 1-tc.days)), "", now, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				if _, err := db.FindReport(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestReportOnDBEqualsBruteForce checks, on the seeded database named by
// RAPPORT_BENCH_DB (skipped when unset), that the widest report equals the
// brute-force count of every ticket, survey, kudos and strike.
func TestReportOnDBEqualsBruteForce(t *testing.T) {
	db := testdb.Seeded(t)
	now := rapport.Now()
	r, err := rapport.ParseReportRange(rapport.FormatDay(now.AddDate(0, 0, 1-rapport.MaxReportDays)), "", now, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.FindReport(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	want, err := store.ReportByBruteForce(ctx, db, r)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, sameZone); diff != "" {
		t.Fatalf("report %s differs from the brute-force count (-want +got):\n%s", r, diff)
	}
	t.Logf("%s: %d tickets created, equal to the brute-force count", r, got.Created)
}
