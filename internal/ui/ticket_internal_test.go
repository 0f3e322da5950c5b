package ui

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/live"
)

func TestNoticeText(t *testing.T) {
	v := func(name, state string) live.Viewer { return live.Viewer{Name: name, State: state} }
	for _, tc := range []struct {
		vs   []live.Viewer
		want string
	}{
		{nil, ""},
		{[]live.Viewer{v("Ann", live.Viewing)}, "Ann is also looking at this ticket."},
		{[]live.Viewer{v("Ann", live.Replying)}, "Ann is replying."},
		{[]live.Viewer{v("Ann", live.Viewing), v("Bo", live.Replying), v("Cy", live.Viewing)}, "Bo is replying. Ann and Cy are also looking at this ticket."},
		{[]live.Viewer{v("Ann", live.Replying), v("Bo", live.Replying), v("Cy", live.Replying)}, "Ann, Bo and Cy are replying."},
	} {
		if got := noticeText(tc.vs); got != tc.want {
			t.Errorf("noticeText(%v)=%q, want %q", tc.vs, got, tc.want)
		}
	}
}

func TestHoldText(t *testing.T) {
	now := time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) *time.Time {
		t := time.Date(y, m, d, 23, 59, 59, 0, time.UTC)
		return &t
	}
	for _, tc := range []struct {
		h    *rapport.Hold
		want string
	}{
		{nil, ""},
		{&rapport.Hold{Reason: "Waiting for the supplier"}, "Waiting for the supplier"},
		{&rapport.Hold{Reason: "Waiting for the supplier", Until: day(2025, 11, 30)}, "Waiting for the supplier — expected by 30 November"},
		{&rapport.Hold{Reason: "Parts", Until: day(2026, 1, 5)}, "Parts — expected by 5 January 2026"},
	} {
		if got := holdText(tc.h, now); got != tc.want {
			t.Errorf("holdText(%+v)=%q, want %q", tc.h, got, tc.want)
		}
	}
	for d, want := range map[time.Duration]string{30 * 24 * time.Hour: "30 days", 24 * time.Hour: "1 day", 36 * time.Hour: "1 day", 5 * time.Hour: "5 hours", time.Minute: "1 hour"} {
		if got := days(d); got != want {
			t.Errorf("days(%v)=%q, want %q", d, got, want)
		}
	}
}
