package desk

import (
	"context"

	"github.com/rapportdesk/rapport"
)

// Report returns the supervisor reports over the days from to to (dates
// like 2026-11-01; an empty to is today, an empty from the 30 days up to
// to): supervisors and administrators only.
func (d *Desk) Report(ctx context.Context, from, to string) (*rapport.Report, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanSupervise() {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can see the reports.")
	}
	r, err := rapport.ParseReportRange(from, to, d.now())
	if err != nil {
		return nil, err
	}
	return d.store.FindReport(ctx, r)
}
