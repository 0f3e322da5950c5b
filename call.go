package rapport

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Call directions and outcomes, for LogCall.
const (
	CallOutbound = "outbound" // staff called the requester
	CallInbound  = "inbound"  // the requester called the help desk

	CallAnswered = "answered"
	CallNoAnswer = "no_answer" // nobody picked up; perhaps a voicemail was left
)

// MaxCallMinutes bounds a call's length as logged: half a day is a typo.
const MaxCallMinutes = 720

// CallLog is a phone call as staff log it on a ticket.
type CallLog struct {
	Direction string // CallOutbound (the default) or CallInbound
	Outcome   string // CallAnswered (the default) or CallNoAnswer
	Minutes   int    // how long it took; 0 when not said
	Summary   string // what was said and agreed; required when answered
	// Internal keeps the record among staff; otherwise the requester
	// reads it on the timeline (and by mail): a written record of what
	// was agreed on the phone.
	Internal bool
}

// LogCall records a phone call between staff (actor) and the ticket's
// requester (person, with their profile) as a message or internal note.
// The body says who called whom, on which number, when in the person's
// own time, for how long, and the summary; Data keeps the same facts for
// programs (call, outcome, phone, minutes).
func (t *Ticket) LogCall(actor, person *User, in CallLog, now time.Time) (*Event, error) {
	if !actor.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can log phone calls.")
	}
	var p Problems
	switch in.Direction = strings.TrimSpace(in.Direction); in.Direction {
	case "":
		in.Direction = CallOutbound
	case CallOutbound, CallInbound:
	default:
		p.Add("direction", "Say who called: outbound (you called them) or inbound (they called).")
	}
	switch in.Outcome = strings.TrimSpace(in.Outcome); in.Outcome {
	case "":
		in.Outcome = CallAnswered
	case CallAnswered, CallNoAnswer:
	default:
		p.Add("outcome", "The outcome must be answered or no_answer.")
	}
	if in.Outcome == CallNoAnswer && in.Direction == CallInbound {
		p.Add("outcome", "A call they made to us was answered by someone; log it as answered.")
	}
	if in.Minutes < 0 || in.Minutes > MaxCallMinutes {
		p.Add("minutes", "The length of the call must be from 0 to %d minutes.", MaxCallMinutes)
	}
	in.Summary = CleanText(&p, "summary", "The summary", in.Summary, in.Outcome == CallAnswered, MaxBodyLen-500)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if person == nil {
		person = &User{}
		if t.Requester != nil {
			person.ID, person.Email, person.Name = t.Requester.ID, t.Requester.Email, t.Requester.Name
		}
	}
	ev, err := t.AddMessage(actor, callBody(actor, person, in, now), in.Internal, now)
	if err != nil {
		return nil, err
	}
	ev.Data = map[string]string{"call": in.Direction, "outcome": in.Outcome}
	if person.Phone != "" {
		ev.Data["phone"] = person.Phone
	}
	if in.Minutes > 0 {
		ev.Data["minutes"] = strconv.Itoa(in.Minutes)
	}
	return ev, nil
}

// callBody writes the call's record in plain words:
// "Phone call: Jane Doe called Bob Smith on +44 20 7946 0958 at 16:40
// their time (Europe/London), about 5 minutes." then the summary.
func callBody(actor, person *User, in CallLog, now time.Time) string {
	name := person.Name
	if person.PreferredName != "" && person.PreferredName != person.Name {
		name += " (" + person.PreferredName + ")"
	}
	if name == "" {
		name = "the requester"
	}
	var b strings.Builder
	b.WriteString("Phone call: ")
	if in.Direction == CallInbound {
		fmt.Fprintf(&b, "%s called %s", name, actor.Name)
	} else {
		fmt.Fprintf(&b, "%s called %s", actor.Name, name)
		if person.Phone != "" {
			b.WriteString(" on " + person.Phone)
		}
	}
	if person.TimeZone != "" {
		fmt.Fprintf(&b, " at %s their time (%s)", now.In(person.Location(nil)).Format("15:04"), person.TimeZone)
	}
	switch {
	case in.Outcome == CallNoAnswer:
		b.WriteString(": no answer.")
	case in.Minutes == 1:
		b.WriteString(", about 1 minute.")
	case in.Minutes > 1:
		fmt.Fprintf(&b, ", about %d minutes.", in.Minutes)
	default:
		b.WriteString(".")
	}
	if in.Summary != "" {
		b.WriteString("\n\n" + in.Summary)
	}
	return b.String()
}
