package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// Follow-through pages (issue 9): the check-in question on the ticket
// page, the pages the one-click links of a check-in mail open (no sign-in:
// the signed link is the key), the staff's check-in controls and kudos.
//
// Mail scanners open every link in a mail, so no GET here changes
// anything: a link opens a page with the answer chosen and one button,
// and only its POST (a plain form, without JavaScript) answers.

// ticketFollow is the ticket page's follow-through part.
type ticketFollow struct {
	// Open is the check-in waiting for the requester's answer.
	Open *rapport.Checkin
	// Checkins are all of the ticket's (staff).
	Checkins []*rapport.Checkin
	// Default is the site's check-in delay in words ("3 days").
	Default string
}

func (u *UI) loadFollow(ctx context.Context, p *ticketPage) error {
	cs, err := u.desk.Checkins(ctx, p.Ticket.ID)
	if err != nil {
		return err
	}
	p.Follow.Default = days(u.desk.FollowUpAfter)
	for _, c := range cs {
		if c.Open() {
			p.Follow.Open = c
		}
	}
	if p.Staff {
		p.Follow.Checkins = cs
	}
	return nil
}

// answerCheckin serves POST /tickets/{id}/checkin/answer: the requester
// answers the check-in on their ticket page.
func (u *UI) answerCheckin() handlerFunc {
	return u.ticketAction("checkin", []string{"checkin", "answer", "words"}, map[string]string{"reason": "words"},
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			cid, _ := strconv.ParseInt(v["checkin"], 10, 64)
			answer := rapport.CheckinAnswer(v["answer"])
			t, err := u.desk.AnswerCheckin(ctx, cid, answer, v["words"])
			if err != nil {
				return "", "", err
			}
			if t.ID != id {
				return fmt.Sprintf("/tickets/%d", t.ID), checkinDone(answer, t, id), nil
			}
			return "", checkinDone(answer, t, id), nil
		})
}

func checkinDone(answer rapport.CheckinAnswer, t *rapport.Ticket, asked int64) string {
	switch {
	case answer == rapport.CheckinFixed:
		return "Thank you! We are glad everything works. The request is closed; you can still reopen it if the problem comes back."
	case t.ID != asked:
		return fmt.Sprintf("Thank you for telling us. Ticket %d was resolved too long ago to reopen, so this new request, ticket %d, continues it. We will be in touch.", asked, t.ID)
	}
	return "Thank you for telling us. Your request is open again and back with the help desk; we will be in touch."
}

// setCheckin serves POST /tickets/{id}/checkin: staff change or cancel a
// resolved ticket's check-in.
func (u *UI) setCheckin() handlerFunc {
	return u.ticketAction("checkin-set", []string{"after"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			c, err := u.desk.SetCheckin(ctx, id, v["after"])
			if err != nil || c == nil {
				return "", "No check-in will be sent for this ticket.", err
			}
			return "", "The check-in is scheduled.", nil
		})
}

// thankOnTicket serves POST /tickets/{id}/kudos: the requester thanks the
// person working on their ticket; staff thank a colleague about it.
func (u *UI) thankOnTicket() handlerFunc {
	return u.ticketAction("kudos", []string{"to", "message"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			to, _ := strconv.ParseInt(v["to"], 10, 64)
			k, err := u.desk.GiveKudos(ctx, desk.KudosInput{To: to, TicketID: id, Message: v["message"]})
			if err != nil {
				return "", "", err
			}
			return "", "Your thanks are on their way to " + k.To.Name + ".", nil
		})
}

// kudosForm is the "Say thanks" form of a person's page after a mistake.
type kudosForm struct {
	Message, Error string
}

// thankPerson serves POST /people/{id}/kudos: staff thank a colleague.
func (u *UI) thankPerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	msg := r.PostFormValue("message")
	k, err := u.desk.GiveKudos(r.Context(), desk.KudosInput{To: id, Message: msg})
	switch rapport.ErrorCode(err) {
	case "":
		u.redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"#kudos-heading", "Your thanks are on their way to "+k.To.Name+".")
		return nil
	case rapport.EINVALID:
		why := rapport.ErrorMessage(err)
		for _, fe := range rapport.ErrorFields(err) {
			why = fe.Message // one field at a time: the message or whom
		}
		return u.renderPersonWith(w, r, http.StatusUnprocessableEntity, nil, &kudosForm{Message: msg, Error: why})
	}
	return err
}

// linkPage is a page a check-in mail's link opens.
type linkPage struct {
	Token   string
	Ticket  *rapport.Ticket
	Checkin *rapport.Checkin
	Survey  *rapport.Survey
	// Answer and Score are preselected from the link; Words and Comment
	// are what was typed, kept after a mistake.
	Answer, Words, Comment string
	Score                  int
	Error                  string
	Errors                 formErrors
	// Done is the thank-you after an answer; Complaint says it was a
	// score of 1 or 2, whose thanks say what happens next.
	Done      string
	Complaint bool
}

// Scores are the survey's choices, in words a screen reader reads whole.
func (linkPage) Scores() []struct {
	N     int
	Label string
} {
	return []struct {
		N     int
		Label string
	}{{1, "1: very poor"}, {2, "2: poor"}, {3, "3: all right"}, {4, "4: good"}, {5, "5: very good"}}
}

// linkFailed answers a broken or expired link with a kind page of its
// own (404 or 410), never an error page meant for a signed-in person.
func (u *UI) linkFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	expired, bad := desk.LinkErr(err)
	switch {
	case expired:
		u.render(w, r, http.StatusGone, "followup_link", "This link has expired", &linkPage{Error: rapport.ErrorMessage(err)})
	case bad:
		u.render(w, r, http.StatusNotFound, "followup_link", "This link does not work", &linkPage{Error: rapport.ErrorMessage(err)})
	default:
		return false
	}
	return true
}

// checkinLink serves GET /checkin/{token}: the question with the answer
// from the link chosen, and one button. It changes nothing.
func (u *UI) checkinLink(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	c, t, err := u.desk.CheckinByLink(r.Context(), token)
	if u.linkFailed(w, r, err) {
		return nil
	} else if err != nil {
		return err
	}
	p := &linkPage{Token: token, Ticket: t, Checkin: c, Answer: r.URL.Query().Get("answer"), Errors: formErrors{}}
	u.render(w, r, http.StatusOK, "checkin_link", "Is everything still working?", p)
	return nil
}

// answerCheckinLink serves POST /checkin/{token}.
func (u *UI) answerCheckinLink(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if err := readForm(w, r); err != nil {
		return err
	}
	answer, words := r.PostFormValue("answer"), r.PostFormValue("words")
	t, err := u.desk.AnswerCheckinByLink(r.Context(), token, rapport.CheckinAnswer(answer), words)
	if u.linkFailed(w, r, err) {
		return nil
	}
	switch rapport.ErrorCode(err) {
	case "":
		c, asked, err := u.desk.CheckinByLink(r.Context(), token)
		if err != nil {
			return err
		}
		p := &linkPage{Token: token, Ticket: t, Checkin: c, Done: checkinDone(rapport.CheckinAnswer(answer), t, asked.ID)}
		u.render(w, r, http.StatusOK, "checkin_link", "Thank you", p)
		return nil
	case rapport.EINVALID, rapport.ECONFLICT:
		c, t, lerr := u.desk.CheckinByLink(r.Context(), token)
		if lerr != nil {
			return lerr
		}
		p := &linkPage{Token: token, Ticket: t, Checkin: c, Answer: answer, Words: words,
			Error: rapport.ErrorMessage(err), Errors: fieldErrors(err)}
		if m, ok := p.Errors["reason"]; ok {
			p.Errors["words"] = m
		}
		u.render(w, r, http.StatusUnprocessableEntity, "checkin_link", "Is everything still working?", p)
		return nil
	}
	return err
}

// surveyLink serves GET /survey/{token}: the survey, with a score from the
// link (or the answer given before) chosen. It changes nothing.
func (u *UI) surveyLink(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	s, t, err := u.desk.SurveyByLink(r.Context(), token)
	if u.linkFailed(w, r, err) {
		return nil
	} else if err != nil {
		return err
	}
	p := &linkPage{Token: token, Ticket: t, Survey: s, Comment: s.Comment, Errors: formErrors{}}
	if s.Score != nil {
		p.Score = *s.Score
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("score")); err == nil && n >= 1 && n <= 5 {
		p.Score = n
	}
	u.render(w, r, http.StatusOK, "survey_link", "How did we do?", p)
	return nil
}

// answerSurveyLink serves POST /survey/{token}.
func (u *UI) answerSurveyLink(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if err := readForm(w, r); err != nil {
		return err
	}
	score, _ := strconv.Atoi(r.PostFormValue("score"))
	comment := r.PostFormValue("comment")
	s, err := u.desk.AnswerSurveyByLink(r.Context(), token, rapport.SurveyAnswer{Score: score, Comment: comment})
	if u.linkFailed(w, r, err) {
		return nil
	}
	switch rapport.ErrorCode(err) {
	case "":
		_, t, err := u.desk.SurveyByLink(r.Context(), token)
		if err != nil {
			return err
		}
		p := &linkPage{Token: token, Ticket: t, Survey: s, Score: score, Complaint: rapport.Complaint(score), Done: "Thank you for your feedback."}
		u.render(w, r, http.StatusOK, "survey_link", "Thank you for your feedback", p)
		return nil
	case rapport.EINVALID, rapport.ECONFLICT:
		s, t, lerr := u.desk.SurveyByLink(r.Context(), token)
		if lerr != nil {
			return lerr
		}
		p := &linkPage{Token: token, Ticket: t, Survey: s, Score: score, Comment: comment,
			Error: rapport.ErrorMessage(err), Errors: fieldErrors(err)}
		u.render(w, r, http.StatusUnprocessableEntity, "survey_link", "How did we do?", p)
		return nil
	}
	return err
}
