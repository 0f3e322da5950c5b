package api

import (
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// auditJSON is one read of private data by staff.
type auditJSON struct {
	ID    int64     `json:"id"`
	Staff *userJSON `json:"staff"`
	User  *userJSON `json:"user"`
	What  string    `json:"what"`
	Ref   string    `json:"ref"`
	Route string    `json:"route"`
	At    time.Time `json:"at"`
}

// audit serves GET /api/v1/audit?user=&staff=&limit=&cursor=
// (supervisors and admins): the audit log, newest first, by whose data
// and by who read it (each an account number or an email address).
func (h *Handler) audit(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := web.Page(r)
	if err != nil {
		return err
	}
	f := rapport.AuditFilter{After: cursor, Limit: limit}
	q := r.URL.Query()
	if f.UserID, err = h.desk.AuditPerson(r.Context(), "user", q.Get("user")); err != nil {
		return err
	}
	if f.StaffID, err = h.desk.AuditPerson(r.Context(), "staff", q.Get("staff")); err != nil {
		return err
	}
	es, next, err := h.desk.Audit(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]*auditJSON, len(es))
	for i, e := range es {
		out[i] = &auditJSON{ID: e.ID, Staff: toRef(e.Staff), User: toRef(e.User), What: string(e.What), Ref: e.Ref, Route: string(e.Route), At: e.At}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"entries": out, "next": nullable(web.SetNext(w, r, next))})
}
