package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// Three Strikes and asking a colleague on the ticket page, the person's
// strike history and the page where supervisors edit what strikes send.

// ticketStrikes is what the ticket page shows of Three Strikes (staff).
type ticketStrikes struct {
	List []*rapport.Strike
	// NextStep is the step the next strike takes (0 after three) and
	// NextText exactly what it sends the requester.
	NextStep int
	NextText string
	// NextProblem says why the next strike's text cannot be filled in
	// (a variable with no value, such as the viewer's phone number): it
	// is shown instead of the text, and nothing can be sent until fixed.
	NextProblem string
	byEvent     map[int64]*rapport.Strike
	// Handover is the latest handover note to the viewer, while the
	// ticket is theirs: they read it first.
	Handover *rapport.Event
	// Refused is why a strike was refused when the timeline has no form
	// to show it beside (a message that cannot take a strike).
	Refused string
}

// strikeAction is what the timeline shows beside one requester message.
type strikeAction struct {
	Event  *rapport.Event
	Strike *rapport.Strike // the strike on it, nil when none
	Page   *ticketPage
}

// StrikeAction returns what the timeline shows beside e for strikes: nil
// unless staff view a message the requester wrote.
func (p *ticketPage) StrikeAction(e *rapport.Event) *strikeAction {
	t := p.Ticket
	if !p.Staff || e.Internal || e.Actor == nil || t.Requester == nil || e.Actor.ID != t.Requester.ID {
		return nil
	}
	switch e.Type {
	case rapport.EventCreated, rapport.EventMessage, rapport.EventReopened:
	default:
		return nil
	}
	return &strikeAction{Event: e, Strike: p.Strikes.byEvent[e.ID], Page: p}
}

// FormFor reports whether form was sent back about the thing with id.
func (f ticketForm) FormFor(form, key string, id int64) bool {
	return f.Name == form && f.Values[key] == strconv.FormatInt(id, 10)
}

// loadStrikes fills in p.Strikes (staff).
func (u *UI) loadStrikes(ctx context.Context, p *ticketPage) error {
	id := p.Ticket.ID
	list, err := u.desk.TicketStrikes(ctx, id)
	if err != nil {
		return err
	}
	s := ticketStrikes{List: list, byEvent: map[int64]*rapport.Strike{}}
	for _, x := range list {
		s.byEvent[x.EventID] = x
	}
	s.NextStep, s.NextText, err = u.desk.NextStrike(ctx, id)
	if rapport.ErrorCode(err) == rapport.ECONFLICT {
		s.NextProblem = rapport.ErrorMessage(err)
	} else if err != nil {
		return err
	}
	if a := p.Ticket.Assignee; a != nil && a.ID == p.Me.ID {
		for _, e := range p.Events {
			if e.Type == rapport.EventHandover && e.Data["to_id"] == strconv.FormatInt(p.Me.ID, 10) {
				s.Handover = e
			}
		}
	}
	p.Strikes = s
	if f := p.Form; f.Name == "strike" {
		shown := false
		for _, e := range p.Events {
			if a := p.StrikeAction(e); a != nil && a.Strike == nil && s.NextStep > 0 && f.FormFor("strike", "event_id", e.ID) {
				shown = true
			}
		}
		if !shown {
			p.Strikes.Refused = f.Error
			for _, field := range []string{"note", "event_id"} { // the message's problem first
				if m, ok := f.Errors[field]; ok {
					p.Strikes.Refused = m
				}
			}
		}
	}
	return nil
}

// only lets through the people who, by can, see the form h serves; the
// others (a crafted request) get an error page saying why, since the page
// they would be sent back to has no form to show the error beside.
func only(can func(*rapport.User) bool, why string, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !can(rapport.UserFromContext(r.Context())) {
			return rapport.Errorf(rapport.EFORBIDDEN, "%s", why)
		}
		return h(w, r)
	}
}

var (
	isStaff      = (*rapport.User).IsStaff
	canSupervise = (*rapport.User).CanSupervise
)

// strike serves POST /tickets/{id}/strikes: mark a requester's message
// (event_id) as discourteous, with an optional note.
func (u *UI) strike() handlerFunc {
	return only(isStaff, "Only help desk staff can mark a message as discourteous.", u.ticketAction("strike", []string{"event_id", "note", "step"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			ev, err := strconv.ParseInt(v["event_id"], 10, 64)
			if err != nil {
				return "", "", rapport.Invalid("event_id", "Choose one of the requester's messages.")
			}
			step, _ := strconv.Atoi(v["step"]) // the step whose text the form showed
			s, t, err := u.desk.StrikeAsShown(ctx, id, ev, v["note"], step)
			if err != nil {
				return "", "", err
			}
			switch s.Step {
			case 1:
				return "", "Strike 1 of 3 recorded. The boundary statement is sent, and the supervisors are told.", nil
			case 2:
				return "", "Strike 2 of 3 recorded. The reminder is sent, and the supervisors are told.", nil
			}
			return "", fmt.Sprintf("Strike 3 of 3 recorded. The conversation is ended politely and ticket %d is closed; the supervisors are told. %s can still ask for help at any time.",
				t.ID, t.Requester.Name), nil
		}))
}

// withdrawStrike serves POST /tickets/{id}/strikes/withdraw (strike_id,
// reason): supervisors and admins.
func (u *UI) withdrawStrike() handlerFunc {
	return only(canSupervise, "Only supervisors and administrators can withdraw a strike.", u.ticketAction("withdraw", []string{"strike_id", "reason"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			sid, err := strconv.ParseInt(v["strike_id"], 10, 64)
			if err != nil {
				return "", "", rapport.Errorf(rapport.ENOTFOUND, "There is no such strike.")
			}
			s, t, err := u.desk.WithdrawStrike(ctx, id, sid, v["reason"])
			if err != nil {
				return "", "", err
			}
			flash := fmt.Sprintf("Strike %d is withdrawn; the ticket now has %d.", s.Step, t.Strikes)
			if t.Status == rapport.StatusClosed {
				flash += " The ticket stays closed: reopen it, with a reason the requester reads, if the conversation should go on."
			}
			return "", flash, nil
		}))
}

// invite serves POST /tickets/{id}/invite (colleague, message).
func (u *UI) invite() handlerFunc {
	return only(isStaff, "Only help desk staff can ask a colleague to join a ticket.", u.ticketAction("invite", []string{"colleague", "message"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			ev, err := u.desk.Invite(ctx, id, v["colleague"], v["message"])
			if err != nil {
				return "", "", err
			}
			return "", ev.Data["colleague"] + " is asked to join. They get a mail and a notice on their screen.", nil
		}))
}

// handover serves POST /tickets/{id}/handover (colleague, note).
func (u *UI) handover() handlerFunc {
	return only(isStaff, "Only help desk staff can hand a ticket over.", u.ticketAction("handover", []string{"colleague", "note"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			t, err := u.desk.Handover(ctx, id, v["colleague"], v["note"])
			if err != nil {
				return "", "", err
			}
			return "", "Handed over to " + t.Assignee.Name + ", with your note.", nil
		}))
}

// strikeTextsPage lists what each strike sends; supervisors edit them.
type strikeTextsPage struct {
	Texts []*rapport.StrikeText
	Edit  bool
	Vars  []rapport.TemplateVar
	// Step is the text sent back with a mistake, Body what was typed and
	// Error why.
	Step        int
	Body, Error string
}

// strikeTexts serves GET /strike-texts.
func (u *UI) strikeTexts(w http.ResponseWriter, r *http.Request) error {
	return u.renderStrikeTexts(w, r, http.StatusOK, &strikeTextsPage{})
}

func (u *UI) renderStrikeTexts(w http.ResponseWriter, r *http.Request, status int, p *strikeTextsPage) error {
	texts, err := u.desk.StrikeTexts(r.Context())
	if err != nil {
		return err
	}
	p.Texts, p.Edit, p.Vars = texts, rapport.UserFromContext(r.Context()).CanSupervise(), rapport.TemplateVars
	u.render(w, r, status, "strike_texts", "What strikes send", p)
	return nil
}

// setStrikeText serves POST /strike-texts/{step}.
func (u *UI) setStrikeText(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	step, err := strconv.Atoi(r.PathValue("step"))
	if err != nil {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no such strike.")
	}
	body := r.PostFormValue("body")
	_, err = u.desk.SetStrikeText(r.Context(), step, body)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		msg := rapport.ErrorMessage(err)
		if fs := rapport.ErrorFields(err); len(fs) > 0 {
			msg = fs[0].Message
		}
		return u.renderStrikeTexts(w, r, http.StatusUnprocessableEntity, &strikeTextsPage{Step: step, Body: body, Error: msg})
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/strike-texts", fmt.Sprintf("The text of strike %d is saved. The next strike %d sends it.", step, step))
	return nil
}

// colleagueField is the data of the "colleague-select" partial.
type colleagueField struct {
	Page            *ticketPage
	Form, ID, Label string
}

// Colleague returns the data of the colleague choice in form, whose
// select has id.
func (p *ticketPage) Colleague(form, id string) colleagueField {
	label := "Colleague to ask"
	if form == "handover" {
		label = "Hand over to"
	}
	return colleagueField{Page: p, Form: form, ID: id, Label: label}
}
