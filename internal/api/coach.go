package api

import (
	"net/http"

	"github.com/rapportdesk/rapport/internal/coach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// coachJSON is the tone coach's answer.
type coachJSON struct {
	ReadingGrade float64       `json:"reading_grade"`
	Findings     []findingJSON `json:"findings"`
}

// findingJSON is one suggestion; start and end count characters (Unicode
// code points), end exclusive.
type findingJSON struct {
	Kind       string `json:"kind"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
}

// ToCoachJSON is the API's form of a coach report; the web UI answers the
// same shape.
func ToCoachJSON(rep coach.Report) any {
	out := coachJSON{ReadingGrade: rep.ReadingGrade, Findings: []findingJSON{}}
	for _, f := range rep.Findings {
		out.Findings = append(out.Findings, findingJSON{Kind: f.Kind, Start: f.Start, End: f.End, Message: f.Message, Suggestion: f.Suggestion})
	}
	return out
}

// coachDraft serves POST /api/v1/coach: the tone coach's suggestions on a
// draft reply (staff). It never stores the draft.
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
	return web.JSON(w, http.StatusOK, ToCoachJSON(rep))
}
