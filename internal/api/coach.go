package api

import (
	"net/http"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// coachDraft serves POST /api/v1/coach: the tone coach's reading grade and
// findings on a draft reply (staff; see coach.Report for the JSON). The
// draft is never stored.
func (h *Handler) coachDraft(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Text     string `json:"text"`
		TicketID *int64 `json:"ticket_id"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	rep, err := h.desk.Coach(r.Context(), desk.CoachDraft{Text: in.Text, TicketID: in.TicketID})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, rep)
}
