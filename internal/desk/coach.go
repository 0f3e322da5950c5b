package desk

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/coach"
)

// MaxCoachText is the longest draft the tone coach reads, in characters:
// the longest message a ticket takes.
const MaxCoachText = rapport.MaxBodyLen

// CoachDraft is a draft reply for the tone coach.
type CoachDraft struct {
	Text string
	// TicketID, when set, is the ticket the reply is for: the coach then
	// also checks that it greets the requester by the name they go by.
	TicketID *int64
}

// Coach reads a member of staff's draft reply and returns the tone
// coach's suggestions. It only suggests: sending a reply never depends on
// it.
func (d *Desk) Coach(ctx context.Context, in CoachDraft) (coach.Report, error) {
	if _, err := staff(ctx, "use the tone coach"); err != nil {
		return coach.Report{}, err
	}
	var p rapport.Problems
	text := in.Text
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		p.Add("text", "Write some of the reply first: the coach needs words to look at.")
	case n > MaxCoachText:
		p.Add("text", "The reply is too long for the coach: %d characters, the limit is %d.", n, MaxCoachText)
	case !utf8.ValidString(text):
		p.Add("text", "The reply has bytes that are not text (not valid UTF-8).")
	}
	if in.TicketID != nil && *in.TicketID <= 0 {
		p.Add("ticket_id", "ticket_id must be a ticket number like 42.")
	}
	if err := p.Err(); err != nil {
		return coach.Report{}, err
	}
	var opt coach.Options
	if in.TicketID != nil {
		t, err := d.store.FindTicketByID(ctx, *in.TicketID)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return coach.Report{}, notFound(*in.TicketID)
		} else if err != nil {
			return coach.Report{}, err
		}
		if t.Requester != nil {
			u, err := d.store.FindUserByID(ctx, t.Requester.ID)
			if err != nil {
				return coach.Report{}, err
			}
			opt.Name = u.GreetingName()
		}
	}
	return coach.Check(text, opt), nil
}
