package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
)

// runReports times the supervisor report (store.FindReport, every figure
// of GET /api/v1/reports/summary) on a seeded database, over the widest
// range a report allows (rapport.MaxReportDays up to today) unless told
// otherwise, in the days of -time-zone, and prints the machine's load average beside the figures.
func runReports(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	dsn := fs.String("db", "", "seeded database: a SQLite path or a postgres:// URL (required)")
	from := fs.String("from", "", "first day, like 2026-01-01 (default: the widest range up to -to)")
	to := fs.String("to", "", "last day (default: today in -time-zone)")
	zone := fs.String("time-zone", "UTC", "the site's time zone the report days are in; a new one rebuilds the counts first (timed)")
	runs := fs.Int("runs", 10, "how many times to run the report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || *runs < 1 {
		return fmt.Errorf("reports needs -db and -runs of at least 1")
	}
	now := rapport.Now()
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return fmt.Errorf("-time-zone: %w", err)
	}
	if *from == "" {
		end := now
		if *to != "" {
			t, err := time.Parse("2006-01-02", *to)
			if err != nil {
				return fmt.Errorf("-to must be a date like 2026-11-23")
			}
			end = t
		}
		*from = rapport.FormatDay(end.AddDate(0, 0, 1-rapport.MaxReportDays))
	}
	r, err := rapport.ParseReportRange(*from, *to, now, loc)
	if err != nil {
		return fmt.Errorf("%s: %v", rapport.ErrorMessage(err), rapport.ErrorFields(err))
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if changed, err := db.SetReportZone(ctx, loc); err != nil {
		return err
	} else if changed {
		fmt.Fprintf(out, "report days moved to %s: counts rebuilt in %s\n", loc, time.Since(start).Round(time.Millisecond))
	}
	var times []time.Duration
	var rep *rapport.Report
	for i := 0; i < *runs; i++ {
		start := time.Now()
		if rep, err = db.FindReport(ctx, r); err != nil {
			return err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	fmt.Fprintf(out, "report %s (%d days): %d tickets created, backlog %d at the end, %d surveys answered, %d kudos, %d strikes\n",
		r, r.Days(), rep.Created, rep.Backlog[len(rep.Backlog)-1].Critical+rep.Backlog[len(rep.Backlog)-1].Normal,
		rep.CSAT.Answered(), rep.Kudos, rep.Strikes[0]+rep.Strikes[1]+rep.Strikes[2])
	fmt.Fprintf(out, "FindReport over %d runs: min %s, median %s, max %s (load average %s)\n",
		len(times), times[0].Round(time.Microsecond), times[len(times)/2].Round(time.Microsecond),
		times[len(times)-1].Round(time.Microsecond), loadAverage())
	return nil
}

// loadAverage is the 1, 5 and 15 minute load average, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
