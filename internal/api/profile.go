package api

import (
	"net/http"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// profileJSON is a profile change: an absent field stays as it is, ""
// clears it.
type profileJSON struct {
	PreferredName    *string `json:"preferred_name"`
	Pronunciation    *string `json:"pronunciation"`
	Phone            *string `json:"phone"`
	PreferredChannel *string `json:"preferred_channel"`
	TimeZone         *string `json:"time_zone"`
	Language         *string `json:"language"`
	Notes            *string `json:"notes"`
}

func (p profileJSON) update() rapport.ProfileUpdate {
	return rapport.ProfileUpdate{PreferredName: p.PreferredName, Pronunciation: p.Pronunciation, Phone: p.Phone,
		PreferredChannel: p.PreferredChannel, TimeZone: p.TimeZone, Language: p.Language, Notes: p.Notes}
}

// updateMe changes the caller's own profile; notes are for staff.
func (h *Handler) updateMe(w http.ResponseWriter, r *http.Request) error {
	var in profileJSON
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	u, err := h.desk.UpdateMyProfile(r.Context(), in.update())
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toUser(r, u))
}

// getUser shows one person to staff, profile and notes included. Their
// ticket history is GET /api/v1/tickets?requester={id}.
func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := h.desk.Person(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toUser(r, u))
}

// logCall records a phone call with the ticket's requester (staff).
func (h *Handler) logCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Direction string `json:"direction"`
		Outcome   string `json:"outcome"`
		Minutes   int    `json:"minutes"`
		Summary   string `json:"summary"`
		Internal  bool   `json:"internal"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	ev, err := h.desk.LogCall(r.Context(), id, rapport.CallLog{Direction: in.Direction, Outcome: in.Outcome,
		Minutes: in.Minutes, Summary: in.Summary, Internal: in.Internal})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, toEvent(ev))
}
