package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/jobs"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkJobs measures the runner's throughput: b.N jobs queued (one
// write each, as a ticket change would), claimed, handled and finished
// by one runner with the default four workers.
func BenchmarkJobs(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := testdb.Open(b, dialect)
			ctx := context.Background()
			var done atomic.Int64
			r := jobs.New(db)
			r.Poll = time.Millisecond
			jobs.Handle(r, noteKind, func(context.Context, *rapport.Job, note) error { done.Add(1); return nil })
			b.ResetTimer()
			for i := range b.N {
				if err := db.Update(ctx, func(tx rapport.Tx) error {
					_, err := noteKind.Enqueue(ctx, tx, note{i}, time.Time{})
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			rctx, cancel := context.WithCancel(ctx)
			stopped := make(chan struct{})
			go func() { r.Run(rctx); close(stopped) }()
			for done.Load() < int64(b.N) {
				time.Sleep(time.Millisecond)
			}
			cancel()
			<-stopped
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}
