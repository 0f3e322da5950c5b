package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

type impactJSON struct {
	Outage     bool `json:"outage"`
	CostsMoney bool `json:"costs_money"`
	BlocksWork bool `json:"blocks_work"`
}

// ticketJSON is a ticket as the API shows it.
type ticketJSON struct {
	ID              int64      `json:"id"`
	Subject         string     `json:"subject"`
	Body            string     `json:"body"`
	Status          string     `json:"status"`
	Priority        string     `json:"priority"`
	Impact          impactJSON `json:"impact"`
	Channel         string     `json:"channel"`
	Requester       *userJSON  `json:"requester"`
	Assignee        *userJSON  `json:"assignee"`
	LoggedBy        *userJSON  `json:"logged_by"`
	QueuePosition   *int       `json:"queue_position"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	ClaimedAt       *time.Time `json:"claimed_at"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	ResolvedAt      *time.Time `json:"resolved_at"`
	ClosedAt        *time.Time `json:"closed_at"`
	Resolution      string     `json:"resolution"`
	ReopenCount     int        `json:"reopen_count"`
	FollowUpOf      *int64     `json:"follow_up_of"`
	Hold            *holdJSON  `json:"hold"`
	ExpectedWait    *waitJSON  `json:"expected_wait"`
	// Staff only: how the requester's latest message reads, why, and the
	// strikes on the ticket. Absent for the requester.
	Mood       *string `json:"mood,omitempty"`
	MoodReason *string `json:"mood_reason,omitempty"`
	Strikes    *int    `json:"strikes,omitempty"`
	// Staff only: where the ticket stands against its service levels;
	// absent when it has no SLA clock.
	SLA *slaJSON `json:"sla,omitempty"`
}

// waitJSON is a queued ticket's expected wait: a range in minutes with its
// words, or (both minutes null) the reason there is no estimate in text.
// high_minutes alone is null when the wait may be longer than four weeks.
type waitJSON struct {
	LowMinutes  *int   `json:"low_minutes"`
	HighMinutes *int   `json:"high_minutes"`
	Text        string `json:"text"`
}

func toWait(w *rapport.WaitEstimate) *waitJSON {
	if w == nil {
		return nil
	}
	out := &waitJSON{Text: w.String()}
	if w.Known() {
		lo := int(w.Low / time.Minute)
		out.LowMinutes = &lo
		if w.High > 0 {
			hi := int(w.High / time.Minute)
			out.HighMinutes = &hi
		}
	}
	return out
}

// holdJSON is why a held ticket waits and until when (null when unknown).
type holdJSON struct {
	Reason string     `json:"reason"`
	Until  *time.Time `json:"until"`
}

// toTicket is t as r's user may see it.
func toTicket(r *http.Request, t *rapport.Ticket) *ticketJSON {
	out := &ticketJSON{
		ID: t.ID, Subject: t.Subject, Body: t.Body, Status: string(t.Status), Priority: string(t.Priority),
		Impact:    impactJSON{Outage: t.Impact.Outage, CostsMoney: t.Impact.CostsMoney, BlocksWork: t.Impact.BlocksWork},
		Channel:   string(t.Channel),
		Requester: toRef(t.Requester), Assignee: toRef(t.Assignee), LoggedBy: toRef(t.LoggedBy),
		QueuePosition: t.QueuePosition,
		CreatedAt:     t.CreatedAt, UpdatedAt: t.UpdatedAt,
		ClaimedAt: t.ClaimedAt, FirstResponseAt: t.FirstResponseAt, ResolvedAt: t.ResolvedAt, ClosedAt: t.ClosedAt,
		Resolution: t.Resolution, ReopenCount: t.ReopenCount, FollowUpOf: t.FollowUpOf,
		Hold: toHold(t.Hold), ExpectedWait: toWait(t.ExpectedWait),
	}
	if rapport.UserFromContext(r.Context()).IsStaff() {
		mood, strikes := string(t.Mood), t.Strikes
		out.Mood, out.MoodReason, out.Strikes = &mood, &t.MoodReason, &strikes
		out.SLA = toSLA(t.SLA)
	}
	return out
}

func toHold(h *rapport.Hold) *holdJSON {
	if h == nil {
		return nil
	}
	return &holdJSON{Reason: h.Reason, Until: h.Until}
}

func toTickets(r *http.Request, ts []*rapport.Ticket) map[string]any {
	out := make([]*ticketJSON, len(ts))
	for i, t := range ts {
		out[i] = toTicket(r, t)
	}
	return map[string]any{"tickets": out}
}

// nullable is s, or JSON null when empty.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type eventJSON struct {
	ID        int64             `json:"id"`
	TicketID  int64             `json:"ticket_id"`
	Type      string            `json:"type"`
	Actor     *userJSON         `json:"actor"`
	Body      string            `json:"body"`
	Internal  bool              `json:"internal"`
	Data      map[string]string `json:"data,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	// Attachments (web).
	Attachments []*attachmentJSON `json:"attachments,omitempty"`
}

func toEvent(e *rapport.Event) *eventJSON {
	out := &eventJSON{ID: e.ID, TicketID: e.TicketID, Type: string(e.Type), Actor: toRef(e.Actor),
		Body: e.Body, Internal: e.Internal, Data: e.Data, CreatedAt: e.CreatedAt}
	for _, a := range e.Attachments {
		out.Attachments = append(out.Attachments, toAttachment(a))
	}
	return out
}

func (h *Handler) createTicket(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Subject       string     `json:"subject"`
		Body          string     `json:"body"`
		Impact        impactJSON `json:"impact"`
		Requester     string     `json:"requester"`
		RequesterName string     `json:"requester_name"`
		Channel       string     `json:"channel"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, err := h.desk.CreateTicket(r.Context(), desk.NewTicket{
		TicketInput: rapport.TicketInput{
			Subject: in.Subject, Body: in.Body, Channel: rapport.Channel(in.Channel),
			Impact: rapport.Impact{Outage: in.Impact.Outage, CostsMoney: in.Impact.CostsMoney, BlocksWork: in.Impact.BlocksWork},
		},
		RequesterEmail: in.Requester, RequesterName: in.RequesterName,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/tickets/"+strconv.FormatInt(t.ID, 10))
	return web.JSON(w, http.StatusCreated, toTicket(r, t))
}

func (h *Handler) getTicket(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := h.desk.Ticket(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toTicket(r, t))
}

func (h *Handler) timeline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	limit, cursor, err := web.Page(r)
	if err != nil {
		return err
	}
	evs, next, err := h.desk.Timeline(r.Context(), id, cursor, limit)
	if err != nil {
		return err
	}
	out := make([]*eventJSON, len(evs))
	for i, e := range evs {
		out[i] = toEvent(e)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"events": out, "next": nullable(web.SetNext(w, r, next))})
}

func (h *Handler) addMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if web.IsMultipart(r) {
		return h.addMessageWithFiles(w, r, id)
	}
	var in struct {
		Body     string `json:"body"`
		Internal bool   `json:"internal"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	ev, err := h.desk.AddMessage(r.Context(), id, in.Body, in.Internal)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, toEvent(ev))
}

// ticketAction handles the POST /tickets/{id}/<verb> routes whose body is one
// JSON object and whose answer is the changed ticket.
func ticketAction[In any](h *Handler, w http.ResponseWriter, r *http.Request, fn func(id int64, in *In) (*rapport.Ticket, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in In
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, err := fn(id, &in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toTicket(r, t))
}

type reasonIn struct {
	Reason string `json:"reason"`
}

func (h *Handler) resolve(w http.ResponseWriter, r *http.Request) error {
	type in struct {
		Resolution string `json:"resolution"`
		// CheckinAfter: see desk.Resolution (issue 9).
		CheckinAfter string `json:"checkin_after"`
	}
	return ticketAction(h, w, r, func(id int64, in *in) (*rapport.Ticket, error) {
		return h.desk.ResolveWith(r.Context(), id, desk.Resolution{Text: in.Resolution, CheckinAfter: in.CheckinAfter})
	})
}

func (h *Handler) close(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := h.desk.Close(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toTicket(r, t))
}

func (h *Handler) triage(w http.ResponseWriter, r *http.Request) error {
	type in struct {
		Priority string `json:"priority"`
		Reason   string `json:"reason"`
	}
	return ticketAction(h, w, r, func(id int64, in *in) (*rapport.Ticket, error) {
		return h.desk.Triage(r.Context(), id, rapport.Priority(in.Priority), in.Reason)
	})
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request) error {
	type in struct {
		// Raw, to tell a missing key (a mistake) from null (back to the queue).
		Assignee json.RawMessage `json:"assignee"`
	}
	return ticketAction(h, w, r, func(id int64, in *in) (*rapport.Ticket, error) {
		var email string
		switch {
		case len(in.Assignee) == 0:
			return nil, rapport.Invalid("assignee", "Say who should have the ticket (an email address), or null to put it back in the queue.")
		case string(in.Assignee) != "null":
			if err := json.Unmarshal(in.Assignee, &email); err != nil {
				return nil, rapport.Invalid("assignee", "This must be an email address or null.")
			}
			if email == "" {
				return nil, rapport.Invalid("assignee", "Say who should have the ticket (an email address), or null to put it back in the queue.")
			}
		}
		return h.desk.Assign(r.Context(), id, email)
	})
}

func (h *Handler) wait(w http.ResponseWriter, r *http.Request) error {
	type in struct {
		Reason string     `json:"reason"`
		Until  *time.Time `json:"until"`
	}
	return ticketAction(h, w, r, func(id int64, in *in) (*rapport.Ticket, error) {
		return h.desk.Wait(r.Context(), id, in.Reason, in.Until)
	})
}

func (h *Handler) reopen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in reasonIn
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, followUp, err := h.desk.Reopen(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	if followUp {
		w.Header().Set("Location", "/api/v1/tickets/"+strconv.FormatInt(t.ID, 10))
		return web.JSON(w, http.StatusCreated, toTicket(r, t))
	}
	return web.JSON(w, http.StatusOK, toTicket(r, t))
}

func (h *Handler) claimNext(w http.ResponseWriter, r *http.Request) error {
	t, err := h.desk.ClaimNext(r.Context())
	if err != nil {
		return err
	}
	if t == nil {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return web.JSON(w, http.StatusOK, toTicket(r, t))
}
