package report

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

func TestCSVFiles(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	rep := &rapport.Report{
		Range: rapport.ReportRange{From: day("2026-11-01"), To: day("2026-11-02")},
		Times: []rapport.DurationStat{
			{Measure: rapport.MeasureFirstResponse, Priority: rapport.PriorityCritical, Count: 3, Median: 90 * time.Second, P90: 2 * time.Hour},
			{Measure: rapport.MeasureFirstResponse, Priority: rapport.PriorityNormal},
		},
		SLA: []rapport.SLAStat{
			{Target: rapport.SLAFirstResponse, Priority: rapport.PriorityCritical, Met: 2, Breached: 1},
			{Target: rapport.SLAResolution, Priority: rapport.PriorityNormal},
		},
		Backlog: []rapport.BacklogDay{{Day: day("2026-11-01"), Critical: 1, Normal: 4}, {Day: day("2026-11-02"), Normal: 3}},
		Reopens: []rapport.ReopenBin{{Count: 0, Tickets: 7}, {Count: 2, Tickets: 1}},
		CSAT:    rapport.CSATStat{Scores: [5]int{1, 0, 0, 2, 5}},
		Comments: []rapport.SurveyComment{
			{TicketID: 42, Score: 1, Comment: "=HYPERLINK(\"http://evil\")", AnsweredAt: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)},
			{TicketID: 7, Score: 5, Comment: "Great, \"quick\" help,\nthanks", AnsweredAt: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)},
			{TicketID: 8, Score: 4, Comment: "-1 for the wait, +1 for the fix", AnsweredAt: time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC)},
		},
		KudosTop:  []rapport.AgentCount{{Agent: rapport.UserRef{ID: 3, Name: "@nn", Email: "ann@example.com"}, Count: 4}},
		Strikes:   [3]int{4, 1, 0},
		Withdrawn: [3]int{1, 0, 0},
		Channels:  []rapport.ChannelCount{{Channel: rapport.ChannelEmail, Tickets: 5}, {Channel: rapport.ChannelPhone, Tickets: 2}},
	}
	tests := []struct{ name, want string }{
		{"times.csv", "measure,priority,tickets,median_seconds,p90_seconds\nfirst_response,critical,3,90,7200\nfirst_response,normal,0,,\n"},
		{"sla.csv", "target,priority,met,breached,attainment_percent\nfirst_response,critical,2,1,66.7\nresolution,normal,0,0,\n"},
		{"backlog.csv", "day,critical,normal,total\n2026-11-01,1,4,5\n2026-11-02,0,3,3\n"},
		{"reopens.csv", "times_reopened,tickets\n0,7\n2,1\n"},
		{"csat.csv", "score,answers\n1,1\n2,0\n3,0\n4,2\n5,5\n"},
		{"comments.csv", "answered_at,ticket_id,score,comment\n" +
			"2026-11-02T09:30:00Z,42,1,\"'=HYPERLINK(\"\"http://evil\"\")\"\n" +
			"2026-11-01T08:00:00Z,7,5,\"Great, \"\"quick\"\" help,\nthanks\"\n" +
			"2026-11-01T07:00:00Z,8,4,\"'-1 for the wait, +1 for the fix\"\n"},
		{"kudos.csv", "agent_id,agent_name,agent_email,kudos\n3,'@nn,ann@example.com,4\n"},
		{"strikes.csv", "step,given,withdrawn\n1,4,1\n2,1,0\n3,0,0\n"},
		{"channels.csv", "channel,tickets\nemail,5\nphone,2\n"},
	}
	if len(tests) != len(Files) {
		t.Fatalf("%d files tested, %d exist", len(tests), len(Files))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Find(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := f.Write(&b, rep); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Fatalf("%s =\n%s\nwant\n%s", tc.name, b.String(), tc.want)
			}
		})
	}
	if f, _ := Find("times.csv"); f.FileName(rep.Range) != "rapport-times-2026-11-01-to-2026-11-02.csv" {
		t.Fatalf("FileName = %q", f.FileName(rep.Range))
	}
	if _, err := Find("../etc/passwd"); rapport.ErrorCode(err) != rapport.ENOTFOUND || !strings.Contains(rapport.ErrorMessage(err), "times.csv") {
		t.Fatalf("Find of an unknown file: %v", err)
	}
}
