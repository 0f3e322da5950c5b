package sla_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/sla"
)

// BenchmarkStatus is the cost a queue page pays per ticket: a clock that
// paused and restarted four times over a week, read at an instant.
func BenchmarkStatus(b *testing.B) {
	tk := &rapport.Ticket{ID: 1, Status: rapport.StatusNew, CreatedAt: at(23, "09:00")}
	c := sla.Start(tk, &rapport.SLAPolicy{Priority: rapport.PriorityNormal, CalendarID: 1,
		FirstResponse: 8 * time.Hour, Resolution: 40 * time.Hour, WarnPercent: 75})
	for i := range 4 {
		start := at(23+i, "10:00")
		tk.Status = rapport.StatusWaiting
		if err := sla.Sync(c, office, tk, start); err != nil {
			b.Fatal(err)
		}
		tk.Status = rapport.StatusOpen
		if err := sla.Sync(c, office, tk, start.Add(3*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	now := at(27, "16:00")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sla.Status(c, office, tk, now); err != nil {
			b.Fatal(err)
		}
	}
}
