package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// killJob stores a job and runs it out of attempts, as a runner would.
func killJob(t *testing.T, db *store.DB, kind, why string) int64 {
	t.Helper()
	ctx := context.Background()
	now := rapport.Now()
	j := &rapport.Job{Kind: kind, Payload: []byte(`{}`), MaxAttempts: 1, CreatedAt: now}
	err := db.Update(ctx, func(tx rapport.Tx) error {
		if err := tx.EnqueueJob(ctx, j); err != nil {
			return err
		}
		if _, err := tx.ClaimJobs(ctx, rapport.JobClaim{Kinds: []string{kind}, Now: now, Lease: "l", LeaseUntil: now.Add(time.Minute), Limit: 1}); err != nil {
			return err
		}
		return tx.FailJob(ctx, j.ID, "l", why, nil, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	return j.ID
}

// TestDeadJobs: admins list dead jobs and retry them; nobody else can.
func TestDeadJobs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		dead := killJob(t, db, "notice", "535 5.7.8 Authentication credentials invalid")
		if err := db.Update(ctx, func(tx rapport.Tx) error {
			return tx.EnqueueJob(ctx, &rapport.Job{Kind: "notice", Payload: []byte(`{}`), RunAt: rapport.Now().Add(time.Hour)})
		}); err != nil {
			t.Fatal(err)
		}
		out := e.must(200, e.admin, "GET", "/api/v1/jobs?state=dead", "")
		jobs := out["jobs"].([]any)
		if len(jobs) != 1 {
			t.Fatalf("dead jobs %v", jobs)
		}
		j := jobs[0].(map[string]any)
		if j["id"] != float64(dead) || j["state"] != "dead" || j["attempts"] != float64(1) || !strings.Contains(j["last_error"].(string), "535") {
			t.Fatalf("dead job %v", j)
		}
		if _, ok := j["payload"]; ok {
			t.Error("the payload is shown; it may hold people's words")
		}
		if all := e.must(200, e.admin, "GET", "/api/v1/jobs", "")["jobs"].([]any); len(all) != 2 {
			t.Fatalf("all jobs: %d, want 2", len(all))
		}
		e.must(400, e.admin, "GET", "/api/v1/jobs?state=buried", "")
		e.must(403, e.agent, "GET", "/api/v1/jobs?state=dead", "")
		e.must(403, e.pat, "GET", "/api/v1/jobs?state=dead", "")
		e.must(403, e.agent, "POST", fmt.Sprintf("/api/v1/jobs/%d/retry", dead), "")

		retried := e.must(200, e.admin, "POST", fmt.Sprintf("/api/v1/jobs/%d/retry", dead), "")
		if retried["state"] != "ready" || retried["attempts"] != float64(0) {
			t.Fatalf("retried %v", retried)
		}
		if left := e.must(200, e.admin, "GET", "/api/v1/jobs?state=dead", "")["jobs"].([]any); len(left) != 0 {
			t.Fatalf("still dead: %v", left)
		}
		// Not dead (any more): nothing to retry.
		e.must(404, e.admin, "POST", fmt.Sprintf("/api/v1/jobs/%d/retry", dead), "")
		e.must(404, e.admin, "POST", "/api/v1/jobs/nope/retry", "")
	})
}

// TestJobsPages: the job list pages by cursor through the Link header.
func TestJobsPages(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db)
	for i := range 5 {
		killJob(t, db, fmt.Sprintf("kind-%d", i), "no")
	}
	seen := 0
	path := "/api/v1/jobs?state=dead&limit=2"
	for path != "" {
		out := e.must(200, e.admin, "GET", path, "")
		seen += len(out["jobs"].([]any))
		path, _ = out["next"].(string)
	}
	if seen != 5 {
		t.Fatalf("paged through %d jobs, want 5", seen)
	}
}
