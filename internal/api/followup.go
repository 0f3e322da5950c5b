package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// Check-ins, satisfaction surveys and kudos (issue 9).

type checkinJSON struct {
	ID          int64      `json:"id"`
	TicketID    int64      `json:"ticket_id"`
	State       string     `json:"state"`
	DueAt       time.Time  `json:"due_at"`
	SentAt      *time.Time `json:"sent_at"`
	Answer      *string    `json:"answer"`
	AnsweredAt  *time.Time `json:"answered_at"`
	CancelledAt *time.Time `json:"cancelled_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

func toCheckin(c *rapport.Checkin) *checkinJSON {
	if c == nil {
		return nil
	}
	out := &checkinJSON{ID: c.ID, TicketID: c.TicketID, State: c.State(), DueAt: c.DueAt, SentAt: c.SentAt,
		AnsweredAt: c.AnsweredAt, CancelledAt: c.CancelledAt, CreatedAt: c.CreatedAt}
	if c.Answer != "" {
		a := string(c.Answer)
		out.Answer = &a
	}
	return out
}

type surveyJSON struct {
	ID         int64      `json:"id"`
	TicketID   int64      `json:"ticket_id"`
	Requester  *userJSON  `json:"requester"`
	Agent      *userJSON  `json:"agent"`
	Score      *int       `json:"score"`
	Comment    string     `json:"comment"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AnsweredAt *time.Time `json:"answered_at"`
}

func toSurvey(s *rapport.Survey) *surveyJSON {
	return &surveyJSON{ID: s.ID, TicketID: s.TicketID, Requester: toRef(s.Requester), Agent: toRef(s.Agent), Score: s.Score,
		Comment: s.Comment, CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt, AnsweredAt: s.AnsweredAt}
}

type kudosJSON struct {
	ID        int64     `json:"id"`
	From      *userJSON `json:"from"`
	To        *userJSON `json:"to"`
	TicketID  *int64    `json:"ticket_id"`
	Message   string    `json:"message"`
	CreatedAt time.Time `json:"created_at"`
}

func toKudos(k *rapport.Kudos) *kudosJSON {
	return &kudosJSON{ID: k.ID, From: toRef(k.From), To: toRef(k.To), TicketID: k.TicketID, Message: k.Message, CreatedAt: k.CreatedAt}
}

// ticketCheckins serves GET /api/v1/tickets/{id}/checkins.
func (h *Handler) ticketCheckins(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cs, err := h.desk.Checkins(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]*checkinJSON, len(cs))
	for i, c := range cs {
		out[i] = toCheckin(c)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"checkins": out})
}

// setCheckin serves PUT /api/v1/tickets/{id}/checkin (staff): {"after":
// "48h"|"5d"|"none"|""}; answers the check-in now scheduled, or null.
func (h *Handler) setCheckin(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		After string `json:"after"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	c, err := h.desk.SetCheckin(r.Context(), id, in.After)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"checkin": toCheckin(c)})
}

// answerCheckin serves POST /api/v1/checkins/{id}/answer (the requester):
// {"answer":"fixed"|"back","words"}; answers the ticket being worked on
// (a follow-up, past the reopen window).
func (h *Handler) answerCheckin(w http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r, "check-in")
	if err != nil {
		return err
	}
	var in struct {
		Answer string `json:"answer"`
		Words  string `json:"words"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, err := h.desk.AnswerCheckin(r.Context(), id, rapport.CheckinAnswer(in.Answer), in.Words)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toTicket(r, t))
}

// ticketSurveys serves GET /api/v1/tickets/{id}/surveys.
func (h *Handler) ticketSurveys(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ss, err := h.desk.Surveys(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]*surveyJSON, len(ss))
	for i, s := range ss {
		out[i] = toSurvey(s)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"surveys": out})
}

// answerSurvey serves POST /api/v1/surveys/{id}/answer (the requester):
// {"score":1-5,"comment"}. The answer may be changed until it expires.
func (h *Handler) answerSurvey(w http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r, "survey")
	if err != nil {
		return err
	}
	var in struct {
		Score   int    `json:"score"`
		Comment string `json:"comment"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	s, err := h.desk.AnswerSurvey(r.Context(), id, rapport.SurveyAnswer{Score: in.Score, Comment: in.Comment})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toSurvey(s))
}

// giveKudos serves POST /api/v1/kudos: {"to"?, "ticket_id"?, "message"}.
func (h *Handler) giveKudos(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		To       int64  `json:"to"`
		TicketID int64  `json:"ticket_id"`
		Message  string `json:"message"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	k, err := h.desk.GiveKudos(r.Context(), desk.KudosInput{To: in.To, TicketID: in.TicketID, Message: in.Message})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, toKudos(k))
}

// userKudos serves GET /api/v1/users/{id}/kudos?limit=: newest first.
func (h *Handler) userKudos(w http.ResponseWriter, r *http.Request) error {
	id, err := itemID(r, "user")
	if err != nil {
		return err
	}
	var p rapport.Problems
	limit := queryInt(r, &p, "limit", 50, 1, 500)
	if err := p.Err(); err != nil {
		return err
	}
	ks, err := h.desk.Kudos(r.Context(), id, limit)
	if err != nil {
		return err
	}
	out := make([]*kudosJSON, len(ks))
	for i, k := range ks {
		out[i] = toKudos(k)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"kudos": out})
}

// itemID reads the {id} path segment of a thing other than a ticket.
func itemID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no %s %q: numbers are whole numbers like 42.", what, r.PathValue("id"))
	}
	return id, nil
}
