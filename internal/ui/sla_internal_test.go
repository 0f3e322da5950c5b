package ui

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

func TestSLACell(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name  string
		p     rapport.SLAProgress
		text  string
		class string
	}{
		{"plenty left", rapport.SLAProgress{Target: 8 * time.Hour, Remaining: 2*time.Hour + 10*time.Minute}, "2h 10m left", "sla-ok"},
		{"last quarter", rapport.SLAProgress{Target: time.Hour, Remaining: 15 * time.Minute}, "15m left", "sla-warn"},
		{"seconds round up", rapport.SLAProgress{Target: time.Hour, Remaining: 20 * time.Second}, "1m left", "sla-warn"},
		{"whole hours", rapport.SLAProgress{Target: 40 * time.Hour, Remaining: 40 * time.Hour}, "40h left", "sla-ok"},
		{"over", rapport.SLAProgress{Target: time.Hour, Remaining: -15 * time.Minute, Breached: true}, "over by 15m", "sla-over"},
		{"over rounds down", rapport.SLAProgress{Target: time.Hour, Remaining: -15*time.Minute - 20*time.Second, Breached: true}, "over by 15m", "sla-over"},
		{"missed", rapport.SLAProgress{Target: time.Hour, Remaining: -90 * time.Minute, Breached: true, Met: &no}, "missed, over by 1h 30m", "sla-over"},
		{"paused", rapport.SLAProgress{Target: time.Hour, Remaining: 30 * time.Minute, Paused: true}, "paused, 30m left", "sla-paused"},
		{"met", rapport.SLAProgress{Target: time.Hour, Remaining: 30 * time.Minute, Met: &yes}, "met", "sla-met"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cell("first response", tc.p)
			if c.Text != tc.text || c.Class != tc.class {
				t.Fatalf("cell = %q %q, want %q %q", c.Text, c.Class, tc.text, tc.class)
			}
		})
	}
	st := &rapport.SLAStatus{FirstResponse: rapport.SLAProgress{Met: &yes}, Resolution: rapport.SLAProgress{Target: time.Hour, Remaining: time.Hour}}
	if got := slaNext(st); got == nil || got.Label != "resolution" {
		t.Fatalf("slaNext after the first response = %+v, want the resolution", got)
	}
	st.Resolution.Met = &yes
	if got := slaNext(st); got != nil {
		t.Fatalf("slaNext when both are met = %+v, want nil", got)
	}
}
