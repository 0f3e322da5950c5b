package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// TestAdminRetriesDeadJob: an administrator finds "Background jobs" in the
// menu, reads why a job failed and retries it; it leaves the list. Agents
// get neither the link nor the page.
func TestAdminRetriesDeadJob(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "root@example.com", "Rosa Admin", rapport.RoleAdmin)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	ctx := context.Background()
	now := rapport.Now()
	j := &rapport.Job{Kind: "notice", Payload: []byte(`{}`), MaxAttempts: 1, CreatedAt: now}
	err := s.DB.Update(ctx, func(tx rapport.Tx) error {
		if err := tx.EnqueueJob(ctx, j); err != nil {
			return err
		}
		if _, err := tx.ClaimJobs(ctx, rapport.JobClaim{Kinds: []string{"notice"}, Now: now, Lease: "l", LeaseUntil: now.Add(time.Minute), Limit: 1}); err != nil {
			return err
		}
		return tx.FailJob(ctx, j.ID, "l", "535 5.7.8 Authentication credentials invalid", nil, now)
	})
	if err != nil {
		t.Fatal(err)
	}

	adm := s.newTab(t)
	adm.signIn("root@example.com", password)
	adm.submit("link", "Background jobs")
	adm.wantText("Jobs that failed every attempt", "notice", "535 5.7.8 Authentication credentials invalid")
	adm.checkA11y()
	adm.submit("button", "Retry job 1")
	adm.wantText("Job 1 (notice) will run again now", "No job has failed")
	adm.checkA11y()
	if got, err := s.DB.FindJob(ctx, j.ID); err != nil || got.State != rapport.JobReady {
		t.Fatalf("after retry the job is %+v, %v", got, err)
	}

	ann := s.newTab(t)
	ann.signIn("ann@example.com", password)
	if ann.has("link", "Background jobs") {
		t.Fatal("an agent sees the Background jobs link")
	}
	ann.open("/jobs")
	ann.wantText("Only administrators can see background jobs")
}
