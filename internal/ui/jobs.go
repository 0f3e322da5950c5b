package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
)

// jobsPageSize is how many jobs one page of the list shows.
const jobsPageSize = 50

// jobsPage is the administrators' list of background jobs that ran out of
// attempts (mail the server refused, say), each with a Retry button.
type jobsPage struct {
	Jobs  []*rapport.Job
	Next  string
	Later bool
}

// jobs serves GET /jobs: the dead-job list (administrators).
func (u *UI) jobs(w http.ResponseWriter, r *http.Request) error {
	f := rapport.JobFilter{State: rapport.JobDead, Limit: jobsPageSize}
	if c := r.URL.Query().Get("before"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			return rapport.Errorf(rapport.ENOTFOUND, "There is no page at this address. It may have moved, or the link may be mistyped.")
		}
		f.BeforeID = n
	}
	js, err := u.desk.JobsAsAdmin(r.Context(), f)
	if err != nil {
		return err
	}
	p := jobsPage{Jobs: js, Later: f.BeforeID > 0}
	if len(js) == jobsPageSize {
		p.Next = "/jobs?before=" + strconv.FormatInt(js[len(js)-1].ID, 10)
	}
	u.render(w, r, http.StatusOK, "jobs", "Background jobs", p)
	return nil
}

// retryJob serves POST /jobs/{id}/retry: the job gets fresh attempts now.
func (u *UI) retryJob(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	j, err := u.desk.RetryJobAsAdmin(r.Context(), id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		u.redirect(w, r, "/jobs", fmt.Sprintf("Job %d is no longer in the list: it was retried already.", id))
		return nil
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/jobs", fmt.Sprintf("Job %d (%s) will run again now, with %d fresh attempts.", j.ID, j.Kind, j.MaxAttempts))
	return nil
}
