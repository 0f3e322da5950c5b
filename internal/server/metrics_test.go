package server_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// metricValue returns the value of the sample whose name and labels begin
// with prefix, or -1.
func metricValue(t *testing.T, text, prefix string) float64 {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err != nil {
				t.Fatalf("sample %q: %v", line, err)
			}
			return v
		}
	}
	return -1
}

// TestMetrics: latency by route and status class, the queue by priority
// (counted when scraped), SQLite batch sizes and pool statistics.
func TestMetrics(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		m := server.NewMetrics(db, "")
		db.OnBatch = m.ObserveBatch
		f := newFixture(t, db, server.WithMetrics(m))
		for _, critical := range []bool{true, true, false} {
			body := `{"subject":"Help","body":"Please","impact":{"outage":` + strconv.FormatBool(critical) + `}}`
			if res, b := f.do(t, "POST", "/api/v1/tickets", f.token, "", body); res.StatusCode != 201 {
				t.Fatalf("create: %d %s", res.StatusCode, b)
			}
		}
		f.do(t, "GET", "/api/v1/tickets/424242", f.token, "", "")
		res, text := f.do(t, "GET", "/metrics", "", "", "")
		if res.StatusCode != 200 {
			t.Fatalf("GET /metrics from loopback: Status=%v, want 200", res.StatusCode)
		}
		for _, tc := range []struct {
			prefix string
			want   float64 // -2: any value present
		}{
			{`rapport_http_request_duration_seconds_count{route="POST /api/v1/tickets",status="2xx"}`, 3},
			{`rapport_http_request_duration_seconds_count{route="GET /api/v1/tickets/{id}",status="4xx"}`, 1},
			{`rapport_queue_length{priority="critical"}`, 2},
			{`rapport_queue_length{priority="normal"}`, 1},
			{`go_sql_max_open_connections{db_name=`, -2},
			{`go_goroutines`, -2},
		} {
			got := metricValue(t, text, tc.prefix)
			if tc.want == -2 && got < 0 || tc.want != -2 && got != tc.want {
				t.Fatalf("%s = %v, want %v", tc.prefix, got, tc.want)
			}
		}
		batches := metricValue(t, text, "rapport_sqlite_write_batch_size_count")
		if db.Dialect() == "sqlite" && batches < 3 || db.Dialect() == "postgres" && batches != 0 {
			t.Fatalf("rapport_sqlite_write_batch_size_count=%v on %s", batches, db.Dialect())
		}
	})
}

// TestMetricsAccess: loopback only without a token; with one, everyone
// must send it.
func TestMetricsAccess(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	for _, tc := range []struct {
		name, token, remote, auth string
		want                      int
	}{
		{"loopback", "", "127.0.0.1:5555", "", 200},
		{"loopback v6", "", "[::1]:5555", "", 200},
		{"elsewhere", "", "192.0.2.7:5555", "", 403},
		{"token missing", "s3cret", "192.0.2.7:5555", "", 401},
		{"token wrong", "s3cret", "127.0.0.1:5555", "Bearer nope", 401},
		{"token right", "s3cret", "192.0.2.7:5555", "Bearer s3cret", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := server.Handler(nil, db, discardLog, server.WithMetrics(server.NewMetrics(db, tc.token)))
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.RemoteAddr = tc.remote
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("Status=%v, want %v", rec.Code, tc.want)
			}
			if tc.want != 200 && !regexp.MustCompile(`"request_id":"\w+"`).MatchString(rec.Body.String()) {
				t.Fatalf("refusal %s lacks a request_id", rec.Body)
			}
		})
	}
	// Without WithMetrics there is no /metrics at all.
	rec := httptest.NewRecorder()
	server.Handler(nil, db, discardLog).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("Status=%v without metrics, want 404", rec.Code)
	}
}
