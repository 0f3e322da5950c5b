package rapport

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Three Strikes, with kindness [A3]: staff mark a requester's message as
// discourteous. The first strike sends a boundary statement, the second
// repeats it and says what happens next time, the third ends the
// conversation politely, says how to get help again, and closes the
// ticket. Strikes count per ticket and never lock anyone out: a new,
// respectful request is served as usual. A supervisor may withdraw a
// strike with a reason.

// MaxStrikes is how many strikes a ticket can carry; the last one ends
// the conversation.
const MaxStrikes = 3

// MaxStrikeTextLen bounds the texts a strike sends.
const MaxStrikeTextLen = 5_000

// The timeline events of Three Strikes and of asking a colleague.
const (
	EventStrike          EventType = "strike"           // public: the boundary statement sent to the requester
	EventStruck          EventType = "struck"           // internal: which message, and the agent's note
	EventStrikeWithdrawn EventType = "strike_withdrawn" // internal: a supervisor withdrew a strike, and why
	EventInvited         EventType = "invited"          // internal: a colleague was asked to join
	EventHandover        EventType = "handover"         // internal: the handover note for the new assignee
)

// Strike is one requester message marked as discourteous.
type Strike struct {
	ID       int64
	TicketID int64
	// EventID is the requester's message; one strike per message.
	EventID   int64
	Requester *UserRef
	// Step is which of the three it was when given (1, 2 or 3): what was
	// sent depends on it.
	Step      int
	Note      string // the agent's note, internal; may be empty
	By        *UserRef
	CreatedAt time.Time

	// Withdrawn: when, by which supervisor and why; nil when it stands.
	WithdrawnAt    *time.Time
	WithdrawnBy    *UserRef
	WithdrawReason string

	// TicketSubject names the ticket in a person's history (reads only).
	TicketSubject string
	// Message is what the struck message said (reads only).
	Message string
}

// Withdrawn reports whether a supervisor withdrew s.
func (s *Strike) Withdrawn() bool { return s.WithdrawnAt != nil }

// CanSupervise reports whether u is a supervisor or an administrator:
// they withdraw strikes and edit what strikes send.
func (u *User) CanSupervise() bool {
	return u != nil && (u.Role == RoleSupervisor || u.Role == RoleAdmin)
}

// StrikeText is what strike Step sends to the requester. Supervisors edit
// it; it uses the variables of response templates ({{requester.preferred_name}},
// {{ticket.number}}, {{agent.phone}}..., see TemplateVars), filled in for the
// ticket and the member of staff giving the strike.
type StrikeText struct {
	Step      int
	Body      string
	UpdatedAt time.Time
	UpdatedBy *UserRef // nil for the text Rapport ships
}

// Render fills s in from c (the ticket, its requester and the member of
// staff giving the strike). It fails whole: a variable with no value (an
// agent with no phone number) is ECONFLICT saying what to do, never a
// blank in a boundary statement.
func (s *StrikeText) Render(c TemplateContext) (string, error) {
	if c.Ticket == nil || c.Agent == nil {
		return "", fmt.Errorf("render strike text %d: ticket and agent are required", s.Step)
	}
	parts, bad := parseTemplateText(s.Body)
	if bad != "" {
		// Stored before a variable was withdrawn: say so, never guess.
		return "", Errorf(ECONFLICT, "The text of strike %d cannot be sent as it is: it %s A supervisor can correct it on the Strike texts page.", s.Step, bad)
	}
	var f filler
	out := f.fill(parts, &c)
	if len(f.missing) > 0 {
		return "", Errorf(ECONFLICT, "The text of strike %d uses %s, but %s. Nothing was sent.", s.Step, joinAnd(f.missing), strings.Join(f.why, "; and "))
	}
	return out, nil
}

// oldPlaceholder is a variable written with single braces, {name} or
// {ticket.number}: the way strike texts were written before they shared
// the templates' variables. Sent as is it would reach the requester as
// braces, so it is refused with the way to write it.
var oldPlaceholder = regexp.MustCompile(`\{\s*[a-z][a-z0-9_.]*\s*\}`)

// NewStrikeText validates a supervisor's new text for step.
func NewStrikeText(by *User, step int, body string, now time.Time) (*StrikeText, error) {
	if !by.CanSupervise() {
		return nil, Errorf(EFORBIDDEN, "Only supervisors and administrators can change what strikes send.")
	}
	if step < 1 || step > MaxStrikes {
		return nil, Errorf(ENOTFOUND, "There is no strike %d: strikes go from 1 to %d.", step, MaxStrikes)
	}
	var p Problems
	body = CleanText(&p, "body", "The text", body, true, MaxStrikeTextLen)
	if body != "" {
		if parts, bad := parseTemplateText(body); bad != "" {
			p.Add("body", "The text %s", bad)
		} else {
			for _, part := range parts {
				if m := oldPlaceholder.FindString(part.text); m != "" {
					p.Add("body", "The text has %s with single braces, which would reach the requester as written. "+
						"Variables take two braces on each side, like {{requester.preferred_name}} for the name they are greeted by. Known variables: %s.", m, knownVars())
					break
				}
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &StrikeText{Step: step, Body: body, UpdatedAt: now, UpdatedBy: by.Ref()}, nil
}

// discourteous reports whether msg is a message the requester of t wrote,
// the only kind that can be struck; the error says why not.
func (t *Ticket) discourteous(msg *Event) error {
	if msg == nil || msg.TicketID != t.ID {
		return Invalid("event_id", "Ticket %d has no such message. Choose one of the requester's messages on its timeline.", t.ID)
	}
	if msg.Internal || t.Requester == nil || msg.Actor == nil || msg.Actor.ID != t.Requester.ID {
		return Invalid("event_id", "Only a message the requester wrote can be marked as discourteous; this one is by %s.", actorName(msg.Actor))
	}
	switch msg.Type {
	case EventCreated, EventMessage, EventReopened:
		return nil
	}
	return Invalid("event_id", "Only a message the requester wrote can be marked as discourteous, not a step such as %q.", string(msg.Type))
}

func actorName(r *UserRef) string {
	if r == nil {
		return "Rapport itself"
	}
	return r.Name
}

// Strike marks msg, a message from t's requester, as discourteous. text is
// what the next step sends (see StrikeText), filled in for requester (the
// account of t's requester, with their profile) and by. It returns the strike and the timeline events in
// order: the boundary statement (public), the agent's record (internal)
// and, with the third strike, the closing. A fourth strike is refused.
// The caller checks that msg has no strike yet.
func (t *Ticket) Strike(by *User, msg *Event, note string, text *StrikeText, requester *User, now time.Time) (*Strike, []*Event, error) {
	if !by.IsStaff() {
		return nil, nil, Errorf(EFORBIDDEN, "Only help desk staff can mark a message as discourteous.")
	}
	var p Problems
	note = CleanText(&p, "note", "The note", note, false, MaxReasonLen)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if err := t.discourteous(msg); err != nil {
		return nil, nil, err
	}
	if t.Strikes >= MaxStrikes {
		return nil, nil, Errorf(ECONFLICT, "Ticket %d already has %d strikes, and the conversation on it was ended. "+
			"There is no fourth strike: if this goes on, please talk to a supervisor about what to do next.", t.ID, MaxStrikes)
	}
	step := t.Strikes + 1
	if text == nil || text.Step != step {
		return nil, nil, Errorf(EINTERNAL, "strike %d needs its text", step)
	}
	body, err := text.Render(TemplateContext{Ticket: t, Requester: requester, Agent: by})
	if err != nil {
		return nil, nil, err
	}
	s := &Strike{TicketID: t.ID, EventID: msg.ID, Requester: t.Requester, Step: step, Note: note, By: by.Ref(), CreatedAt: now}
	data := map[string]string{"step": strconv.Itoa(step), "event_id": strconv.FormatInt(msg.ID, 10)}
	evs := []*Event{
		{Type: EventStrike, Actor: by.Ref(), Body: body, CreatedAt: now, Data: data},
		{Type: EventStruck, Actor: by.Ref(), Body: note, Internal: true, CreatedAt: now, Data: data},
	}
	t.Strikes = step
	t.UpdatedAt = now
	if step == MaxStrikes && t.Status != StatusClosed {
		t.Status, t.Hold = StatusClosed, nil
		t.ClosedAt = &now
		evs = append(evs, &Event{Type: EventClosed, Actor: by.Ref(), CreatedAt: now,
			Data: map[string]string{"reason": "strikes"}})
	}
	return s, evs, nil
}

// WithdrawStrike withdraws s, a strike on t, with the supervisor's reason:
// the count goes down and the next strike takes its place. A ticket the
// third strike closed stays closed: the requester was told the
// conversation ended, and reopening it silently would tell them nothing;
// a supervisor who wants it back reopens it, with a reason they can read.
func (t *Ticket) WithdrawStrike(by *User, s *Strike, reason string, now time.Time) (*Event, error) {
	if !by.CanSupervise() {
		return nil, Errorf(EFORBIDDEN, "Only supervisors and administrators can withdraw a strike.")
	}
	var p Problems
	reason = CleanText(&p, "reason", "The reason", reason, true, MaxReasonLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if s.TicketID != t.ID {
		return nil, Errorf(ENOTFOUND, "Ticket %d has no strike %d.", t.ID, s.ID)
	}
	if s.Withdrawn() {
		return nil, Errorf(ECONFLICT, "Strike %d was already withdrawn.", s.ID)
	}
	s.WithdrawnAt, s.WithdrawnBy, s.WithdrawReason = &now, by.Ref(), reason
	if t.Strikes > 0 {
		t.Strikes--
	}
	t.UpdatedAt = now
	return &Event{Type: EventStrikeWithdrawn, Actor: by.Ref(), Body: reason, Internal: true, CreatedAt: now,
		Data: map[string]string{"step": strconv.Itoa(s.Step), "strike_id": strconv.FormatInt(s.ID, 10),
			"event_id": strconv.FormatInt(s.EventID, 10)}}, nil
}

// colleague checks that c can be asked to help by by: an enabled
// member of staff other than by. field names the input.
func colleague(by, c *User, field string) error {
	switch {
	case c.ID == by.ID:
		return Invalid(field, "That is you. Choose a colleague to ask.")
	case !c.IsStaff():
		return Invalid(field, "%s is not a member of the help desk staff, so they cannot be asked to help with a ticket.", c.Name)
	case c.DisabledAt != nil:
		return Invalid(field, "%s's account is disabled, so they cannot be asked to help.", c.Name)
	}
	return nil
}

// Invite asks colleague c to join t, with an optional message, so that
// nobody handles a difficult conversation alone. The ticket does not
// change hands; the invitation is an internal timeline event.
func (t *Ticket) Invite(by, c *User, message string, now time.Time) (*Event, error) {
	if !by.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can ask a colleague to join a ticket.")
	}
	var p Problems
	message = CleanText(&p, "message", "The message", message, false, MaxReasonLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := colleague(by, c, "colleague"); err != nil {
		return nil, err
	}
	return &Event{Type: EventInvited, Actor: by.Ref(), Body: message, Internal: true, CreatedAt: now,
		Data: map[string]string{"colleague": c.Name, "colleague_id": strconv.FormatInt(c.ID, 10)}}, nil
}

// Handover gives t to colleague c with a handover note, internal, that
// the new assignee reads first. It returns the assignment (public: the
// requester sees who has it now) and the note.
func (t *Ticket) Handover(by, c *User, note string, now time.Time) (assigned, handover *Event, err error) {
	if !by.IsStaff() {
		return nil, nil, Errorf(EFORBIDDEN, "Only help desk staff can hand a ticket over.")
	}
	var p Problems
	note = CleanText(&p, "note", "The handover note", note, true, MaxReasonLen)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if err := colleague(by, c, "colleague"); err != nil {
		return nil, nil, err
	}
	if t.Assignee != nil && t.Assignee.ID == c.ID {
		return nil, nil, Invalid("colleague", "%s already has ticket %d.", c.Name, t.ID)
	}
	from := t.Assignee
	if assigned, err = t.Assign(by, c, now); err != nil {
		return nil, nil, err
	}
	data := map[string]string{"to": c.Name, "to_id": strconv.FormatInt(c.ID, 10)}
	if from != nil {
		data["from"] = from.Name
	}
	return assigned, &Event{Type: EventHandover, Actor: by.Ref(), Body: note, Internal: true, CreatedAt: now, Data: data}, nil
}
