package api

import (
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// events serves GET /api/v1/events: the changes the caller may see, as
// server-sent events (see live.Broker.ServeEvents).
func (h *Handler) events(w http.ResponseWriter, r *http.Request) error {
	if err := h.liveOn(); err != nil {
		return err
	}
	return h.Live.ServeEvents(w, r, rapport.UserFromContext(r.Context()))
}

// presenceJSON lists the other staff on a ticket now.
type presenceJSON struct {
	Viewers []viewerJSON `json:"viewers"`
}

type viewerJSON struct {
	User  *userJSON `json:"user"`
	State string    `json:"state"`
	Since time.Time `json:"since"`
}

// presence serves GET /api/v1/tickets/{id}/presence (staff).
func (h *Handler) presence(w http.ResponseWriter, r *http.Request) error {
	id, err := h.presenceTicket(r)
	if err != nil {
		return err
	}
	return h.writePresence(w, r, id)
}

// present serves POST /api/v1/tickets/{id}/presence: a heartbeat from a
// member of staff viewing or replying to the ticket. It answers who else is
// there, as GET does.
func (h *Handler) present(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		State string `json:"state"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	id, err := h.presenceTicket(r)
	if err != nil {
		return err
	}
	if err := h.Live.Present(r.Context(), id, rapport.UserFromContext(r.Context()), in.State); err != nil {
		return err
	}
	return h.writePresence(w, r, id)
}

// leave serves DELETE /api/v1/tickets/{id}/presence: the caller left.
func (h *Handler) leave(w http.ResponseWriter, r *http.Request) error {
	id, err := h.presenceTicket(r)
	if err != nil {
		return err
	}
	if err := h.Live.Leave(r.Context(), id, rapport.UserFromContext(r.Context())); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// presenceTicket reads the ticket id of a presence request and checks that
// the ticket is there for the caller to see.
func (h *Handler) presenceTicket(r *http.Request) (int64, error) {
	if err := h.liveOn(); err != nil {
		return 0, err
	}
	id, err := pathID(r)
	if err != nil {
		return 0, err
	}
	if _, err := h.desk.Ticket(r.Context(), id); err != nil {
		return 0, err
	}
	return id, nil
}

func (h *Handler) writePresence(w http.ResponseWriter, r *http.Request, id int64) error {
	vs, err := h.Live.Presence(id, rapport.UserFromContext(r.Context()))
	if err != nil {
		return err
	}
	out := presenceJSON{Viewers: make([]viewerJSON, len(vs))}
	for i, v := range vs {
		out.Viewers[i] = viewerJSON{User: &userJSON{ID: v.UserID, Email: v.Email, Name: v.Name}, State: v.State, Since: v.Since}
	}
	return web.JSON(w, http.StatusOK, out)
}

func (h *Handler) liveOn() error {
	if h.Live == nil {
		return rapport.Errorf(rapport.ENOTFOUND, "Live updates are not turned on on this server.")
	}
	return nil
}
