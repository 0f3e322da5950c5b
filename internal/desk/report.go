package desk

import (
	"context"
	"time"

	"github.com/rapportdesk/rapport"
)

// Report returns the supervisor reports over the days from to to (dates
// like 2026-11-01; an empty to is today, an empty from the 30 days up to
// to), days of the site's zone (Location): supervisors and administrators
// only.
func (d *Desk) Report(ctx context.Context, from, to string) (*rapport.Report, error) {
	return d.report(ctx, from, to, false)
}

// FullReport is Report listing every survey comment and every agent's
// kudos (rapport.Report.Full), for the CSV export.
func (d *Desk) FullReport(ctx context.Context, from, to string) (*rapport.Report, error) {
	return d.report(ctx, from, to, true)
}

// SetupReports makes the report days the site zone's (Location), and
// reports whether the counts were rebuilt for it (a new zone).
func (d *Desk) SetupReports(ctx context.Context) (bool, error) {
	return d.store.SetReportZone(ctx, d.location())
}

func (d *Desk) location() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

func (d *Desk) report(ctx context.Context, from, to string, full bool) (*rapport.Report, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanSupervise() {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can see the reports.")
	}
	r, err := rapport.ParseReportRange(from, to, d.now(), d.location())
	if err != nil {
		return nil, err
	}
	if full {
		return d.store.FindFullReport(ctx, r)
	}
	return d.store.FindReport(ctx, r)
}
