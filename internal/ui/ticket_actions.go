package ui

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// The ticket page's forms. Each reads its fields, calls one desk use case
// and, on success, redirects back to the ticket (or the ticket now being
// worked on) with a flash message. A mistake the person can fix re-renders
// the page with what they typed and the error beside its field.

// ticketAction runs do for the form named form posted to a ticket.
// fields are the form's inputs to keep on a mistake; rename maps the
// domain's field names to the form's (the domain says "body", the reply
// box is "body" too, but a resolution's text is typed into it as well).
func (u *UI) ticketAction(form string, fields []string, rename map[string]string,
	do func(ctx context.Context, id int64, v map[string]string, files []desk.File) (target, flash string, err error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var target, flash string
		id, err := ticketID(r)
		if err != nil {
			return err
		}
		files, done, err := u.readForm(w, r, 1<<20)
		defer done()
		v := map[string]string{}
		for _, f := range fields {
			v[f] = r.PostFormValue(f)
		}
		if err == nil {
			target, flash, err = do(r.Context(), id, v, files)
		}
		switch rapport.ErrorCode(err) {
		case "":
			if target == "" {
				target = fmt.Sprintf("/tickets/%d", id)
			}
			u.redirect(w, r, target, flash)
			return nil
		case rapport.EINVALID, rapport.ECONFLICT, rapport.EFORBIDDEN:
			f := ticketForm{Name: form, Values: v, Error: rapport.ErrorMessage(err), Errors: fieldErrors(err)}
			for from, to := range rename {
				if m, ok := f.Errors[from]; ok {
					f.Errors[to] = m
				}
			}
			p, perr := u.ticketPage(r, id, f)
			if perr != nil {
				return perr
			}
			u.render(w, r, http.StatusUnprocessableEntity, "ticket", p.Ticket.Subject, p)
			return nil
		}
		return err
	}
}

// reply serves POST /tickets/{id}/reply: Send adds a reply (or, for staff
// with Internal note ticked, a note); Resolve sends the text as the
// resolution and resolves the ticket.
func (u *UI) reply() handlerFunc {
	return u.ticketAction("reply", []string{"body", "internal", "action", "checkin_after"}, map[string]string{"resolution": "body"},
		func(ctx context.Context, id int64, v map[string]string, files []desk.File) (string, string, error) {
			internal := v["internal"] != ""
			if v["action"] == "resolve" {
				if internal {
					return "", "", rapport.Invalid("internal", "A resolution is always shown to the requester. Untick Internal note to resolve, or press Send to keep it as a note.")
				}
				_, err := u.desk.ResolveWith(ctx, id, desk.Resolution{Text: v["body"], Files: files, CheckinAfter: v["checkin_after"]})
				return "", "Resolved. The requester can read your resolution and reopen the ticket if it is not fixed.", err
			}
			_, err := u.desk.AddMessageWithFiles(ctx, id, v["body"], internal, files)
			if internal {
				return "", "Your internal note is saved. Only help desk staff can see it.", err
			}
			return "", "Your reply is sent.", err
		})
}

// reopen serves POST /tickets/{id}/reopen. Past the reopen window the
// desk opens a linked follow-up, whose page opens next.
func (u *UI) reopen() handlerFunc {
	return u.ticketAction("reopen", []string{"reason"}, nil,
		func(ctx context.Context, id int64, v map[string]string, files []desk.File) (string, string, error) {
			t, followUp, err := u.desk.Reopen(ctx, id, v["reason"])
			if err != nil {
				return "", "", err
			}
			if followUp {
				return fmt.Sprintf("/tickets/%d", t.ID), fmt.Sprintf("Ticket %d was resolved too long ago to reopen, so this new request, ticket %d, continues it.", id, t.ID), nil
			}
			return "", "Reopened. It is back with the help desk.", nil
		})
}

// triage serves POST /tickets/{id}/triage: a new priority with the reason
// the requester will read.
func (u *UI) triage() handlerFunc {
	return u.ticketAction("triage", []string{"priority", "reason"}, nil,
		func(ctx context.Context, id int64, v map[string]string, files []desk.File) (string, string, error) {
			_, err := u.desk.Triage(ctx, id, rapport.Priority(v["priority"]), v["reason"])
			return "", "The priority is changed. The requester can read your reason.", err
		})
}

// hold serves POST /tickets/{id}/hold: a reason and, when known, the day
// the wait should end (it returns to work when that day has passed).
func (u *UI) hold() handlerFunc {
	return u.ticketAction("hold", []string{"reason", "until"}, nil,
		func(ctx context.Context, id int64, v map[string]string, files []desk.File) (string, string, error) {
			var until *time.Time
			if v["until"] != "" {
				day, err := time.Parse(time.DateOnly, v["until"])
				if err != nil {
					return "", "", rapport.Invalid("until", "Give the expected date as a day, such as %s.", u.desk.Now().AddDate(0, 0, 7).Format(time.DateOnly))
				}
				end := day.Add(24*time.Hour - time.Second) // "expected by" that day: to its end
				until = &end
			}
			_, err := u.desk.Wait(ctx, id, v["reason"], until)
			return "", "On hold. The requester can read why.", err
		})
}

// assign serves POST /tickets/{id}/assign: to the staff member chosen, or
// back to the queue with release.
func (u *UI) assign() handlerFunc {
	return u.ticketAction("assign", []string{"assignee", "release"}, nil,
		func(ctx context.Context, id int64, v map[string]string, files []desk.File) (string, string, error) {
			if v["release"] != "" {
				_, err := u.desk.Assign(ctx, id, "")
				return "", "Released: it is back in the queue at its place.", err
			}
			if v["assignee"] == "" {
				return "", "", rapport.Invalid("assignee", "Choose who should have it.")
			}
			t, err := u.desk.Assign(ctx, id, v["assignee"])
			if err != nil {
				return "", "", err
			}
			return "", "Assigned to " + t.Assignee.Name + ".", nil
		})
}

// closeTicket serves POST /tickets/{id}/close.
func (u *UI) closeTicket() handlerFunc {
	return u.ticketAction("close", nil, nil,
		func(ctx context.Context, id int64, v map[string]string, files []desk.File) (string, string, error) {
			_, err := u.desk.Close(ctx, id)
			return "", "Closed. The requester can still reopen it.", err
		})
}
