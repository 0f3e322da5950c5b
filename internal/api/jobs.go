package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// jobJSON is a background job as admins see it. The payload is left out:
// it may hold people's words, and the kind says what the job is for.
type jobJSON struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	MaxAttempts int        `json:"max_attempts"`
	RunAt       time.Time  `json:"run_at"`
	LastError   string     `json:"last_error"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LeaseUntil  *time.Time `json:"lease_until"`
}

func toJob(j *rapport.Job) *jobJSON {
	return &jobJSON{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempts: j.Attempts, MaxAttempts: j.MaxAttempts,
		RunAt: j.RunAt, LastError: j.LastError, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt, LeaseUntil: j.LeaseUntil}
}

// listJobs lists background jobs (admins), newest first; ?state=dead for
// the ones that ran out of attempts.
func (h *Handler) listJobs(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := web.Page(r)
	if err != nil {
		return err
	}
	f := rapport.JobFilter{State: rapport.JobState(r.URL.Query().Get("state")), Limit: limit}
	if cursor != "" {
		if f.BeforeID, err = strconv.ParseInt(cursor, 10, 64); err != nil || f.BeforeID <= 0 {
			return rapport.Invalid("cursor", "This cursor is not one Rapport gave out: start from /api/v1/jobs and follow the Link header.")
		}
	}
	jobs, err := h.desk.JobsAsAdmin(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]*jobJSON, len(jobs))
	for i, j := range jobs {
		out[i] = toJob(j)
	}
	var next string
	if len(jobs) == f.Limit && len(jobs) > 0 {
		next = strconv.FormatInt(jobs[len(jobs)-1].ID, 10)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"jobs": out, "next": nullable(web.SetNext(w, r, next))})
}

// retryJob gives a dead job a fresh set of attempts (admins).
func (h *Handler) retryJob(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no job %q: job numbers are whole numbers like 42.", r.PathValue("id"))
	}
	j, err := h.desk.RetryJobAsAdmin(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toJob(j))
}
