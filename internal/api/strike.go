package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// Three Strikes and asking a colleague (issue 8).

// strikeJSON is a strike as staff see it.
type strikeJSON struct {
	ID             int64      `json:"id"`
	TicketID       int64      `json:"ticket_id"`
	TicketSubject  string     `json:"ticket_subject"`
	EventID        int64      `json:"event_id"`
	Message        string     `json:"message"`
	Requester      *userJSON  `json:"requester"`
	Step           int        `json:"step"`
	Note           string     `json:"note"`
	By             *userJSON  `json:"by"`
	CreatedAt      time.Time  `json:"created_at"`
	Withdrawn      bool       `json:"withdrawn"`
	WithdrawnAt    *time.Time `json:"withdrawn_at"`
	WithdrawnBy    *userJSON  `json:"withdrawn_by"`
	WithdrawReason string     `json:"withdraw_reason"`
}

func toStrike(s *rapport.Strike) *strikeJSON {
	return &strikeJSON{ID: s.ID, TicketID: s.TicketID, TicketSubject: s.TicketSubject, EventID: s.EventID, Message: s.Message,
		Requester: toRef(s.Requester), Step: s.Step, Note: s.Note, By: toRef(s.By), CreatedAt: s.CreatedAt,
		Withdrawn: s.Withdrawn(), WithdrawnAt: s.WithdrawnAt, WithdrawnBy: toRef(s.WithdrawnBy), WithdrawReason: s.WithdrawReason}
}

func toStrikes(ss []*rapport.Strike) []*strikeJSON {
	out := make([]*strikeJSON, len(ss))
	for i, s := range ss {
		out[i] = toStrike(s)
	}
	return out
}

// strikeResult answers a strike or a withdrawal: the strike and the
// ticket after it.
type strikeResult struct {
	Strike *strikeJSON `json:"strike"`
	Ticket *ticketJSON `json:"ticket"`
}

// ticketStrikes serves GET /api/v1/tickets/{id}/strikes: the strikes,
// withdrawn ones too, and what the next one would send.
func (h *Handler) ticketStrikes(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ss, err := h.desk.TicketStrikes(r.Context(), id)
	if err != nil {
		return err
	}
	step, text, err := h.desk.NextStrike(r.Context(), id)
	var next any
	switch {
	case rapport.ErrorCode(err) == rapport.ECONFLICT:
		// The text cannot be filled in for this caller: the list still
		// answers, with what to do instead of the text.
		next = map[string]any{"step": step, "text": nil, "problem": rapport.ErrorMessage(err)}
	case err != nil:
		return err
	case step > 0:
		next = map[string]any{"step": step, "text": text}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"strikes": toStrikes(ss), "next": next})
}

// strike serves POST /api/v1/tickets/{id}/strikes {"event_id", "note"?,
// "step"?}. step is the strike the caller means (1 to 3): when another
// strike or a withdrawal moved the ticket meanwhile it is refused (409)
// rather than sending a text nobody read, so two agents striking at
// once cannot both send strike 1 and end up sending strike 2.
func (h *Handler) strike(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		EventID int64  `json:"event_id"`
		Note    string `json:"note"`
		Step    *int   `json:"step"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	step := 0
	if in.Step != nil {
		if *in.Step < 1 || *in.Step > rapport.MaxStrikes {
			return rapport.Invalid("step", "step is the strike you mean, 1 to %d; leave it out to give whichever is next.", rapport.MaxStrikes)
		}
		step = *in.Step
	}
	s, t, err := h.desk.StrikeAsShown(r.Context(), id, in.EventID, in.Note, step)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, strikeResult{Strike: toStrike(s), Ticket: toTicket(r, t)})
}

// withdrawStrike serves DELETE /api/v1/tickets/{id}/strikes/{strike_id}
// and POST .../withdraw, with {"reason"} (DELETE also takes ?reason=).
func (h *Handler) withdrawStrike(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(r.PathValue("strike_id"), 10, 64)
	if err != nil || sid <= 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no strike %q: strike ids are whole numbers like 3.", r.PathValue("strike_id"))
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if q := r.URL.Query().Get("reason"); r.Method == http.MethodDelete && (q != "" || r.ContentLength == 0) {
		in.Reason = q
	} else if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	s, t, err := h.desk.WithdrawStrike(r.Context(), id, sid, in.Reason)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, strikeResult{Strike: toStrike(s), Ticket: toTicket(r, t)})
}

// userStrikes serves GET /api/v1/users/{id}/strikes: a person's history.
func (h *Handler) userStrikes(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	ss, err := h.desk.UserStrikes(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"strikes": toStrikes(ss)})
}

type strikeTextJSON struct {
	Step      int       `json:"step"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy *userJSON `json:"updated_by"`
}

func toStrikeText(t *rapport.StrikeText) *strikeTextJSON {
	return &strikeTextJSON{Step: t.Step, Body: t.Body, UpdatedAt: t.UpdatedAt, UpdatedBy: toRef(t.UpdatedBy)}
}

// strikeTexts serves GET /api/v1/strike-texts (staff).
func (h *Handler) strikeTexts(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.desk.StrikeTexts(r.Context())
	if err != nil {
		return err
	}
	out := make([]*strikeTextJSON, len(ts))
	for i, t := range ts {
		out[i] = toStrikeText(t)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"texts": out})
}

// setStrikeText serves PUT /api/v1/strike-texts/{step} {"body"}
// (supervisors and admins).
func (h *Handler) setStrikeText(w http.ResponseWriter, r *http.Request) error {
	step, err := strconv.Atoi(r.PathValue("step"))
	if err != nil {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no strike %q: strikes go from 1 to %d.", r.PathValue("step"), rapport.MaxStrikes)
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, err := h.desk.SetStrikeText(r.Context(), step, in.Body)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toStrikeText(t))
}

// invite serves POST /api/v1/tickets/{id}/invite {"colleague", "message"?}.
func (h *Handler) invite(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Colleague string `json:"colleague"`
		Message   string `json:"message"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	ev, err := h.desk.Invite(r.Context(), id, in.Colleague, in.Message)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, toEvent(ev))
}

// handover serves POST /api/v1/tickets/{id}/handover {"colleague", "note"}.
func (h *Handler) handover(w http.ResponseWriter, r *http.Request) error {
	type in struct {
		Colleague string `json:"colleague"`
		Note      string `json:"note"`
	}
	return ticketAction(h, w, r, func(id int64, in *in) (*rapport.Ticket, error) {
		return h.desk.Handover(r.Context(), id, in.Colleague, in.Note)
	})
}
