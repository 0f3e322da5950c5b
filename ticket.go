package rapport

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a ticket stands.
type Status string

// The statuses a ticket moves through.
const (
	StatusNew      Status = "new"      // waiting in the queue for someone to pick it up
	StatusOpen     Status = "open"     // someone is working on it
	StatusWaiting  Status = "waiting"  // waiting on the requester or a third party
	StatusResolved Status = "resolved" // fixed; the requester may still reopen it
	StatusClosed   Status = "closed"   // done; reopening is still possible
)

// Active reports whether work on the ticket is still under way.
func (s Status) Active() bool { return s == StatusNew || s == StatusOpen || s == StatusWaiting }

// Priority is the outcome of triage. There are only two on purpose: like an
// emergency room, critical tickets go first and everything else is served
// strictly in order of arrival.
type Priority string

// The priorities.
const (
	PriorityCritical Priority = "critical"
	PriorityNormal   Priority = "normal"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return p == PriorityCritical || p == PriorityNormal }

// Rank orders priorities in the queue: lower is served first.
func (p Priority) Rank() int {
	if p == PriorityCritical {
		return 0
	}
	return 1
}

// Impact holds the requester's answers to the three triage questions.
type Impact struct {
	Outage     bool // Is a system down for everyone?
	CostsMoney bool // Is this costing money right now?
	BlocksWork bool // Are you completely unable to work?
}

// Priority returns the priority the answers call for: any "yes" is critical.
func (i Impact) Priority() Priority {
	if i.Outage || i.CostsMoney || i.BlocksWork {
		return PriorityCritical
	}
	return PriorityNormal
}

// Channel is how a request reached the help desk.
type Channel string

// The channels.
const (
	ChannelPortal Channel = "portal"
	ChannelEmail  Channel = "email"
	ChannelPhone  Channel = "phone"
	ChannelWalkUp Channel = "walk_up"
	ChannelChat   Channel = "chat"
	ChannelAPI    Channel = "api"
)

// Channels lists every channel.
var Channels = []Channel{ChannelPortal, ChannelEmail, ChannelPhone, ChannelWalkUp, ChannelChat, ChannelAPI}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if c == x {
			return true
		}
	}
	return false
}

// Mood is how a requester's latest message reads: the agent sees it in the
// queue and on the ticket, with a suggested acknowledgement, never the
// requester.
type Mood string

// The moods, from best to worst.
const (
	MoodCalm       Mood = "calm"
	MoodFrustrated Mood = "frustrated"
	MoodAngry      Mood = "angry"
)

// Valid reports whether m is a known mood.
func (m Mood) Valid() bool { return m == MoodCalm || m == MoodFrustrated || m == MoodAngry }

// Ticket is one request for help.
type Ticket struct {
	ID        int64
	Subject   string
	Body      string
	Status    Status
	Priority  Priority
	Impact    Impact
	Channel   Channel
	Requester *UserRef
	Assignee  *UserRef
	// LoggedBy is the member of staff who logged the request on the
	// requester's behalf (a phone call, a walk-up); nil when they asked
	// themselves.
	LoggedBy *UserRef

	CreatedAt       time.Time
	UpdatedAt       time.Time
	ClaimedAt       *time.Time
	FirstResponseAt *time.Time
	ResolvedAt      *time.Time
	ClosedAt        *time.Time
	Resolution      string
	ReopenCount     int
	// FollowUpOf links a follow-up to the ticket it continues, when that one
	// could no longer be reopened.
	FollowUpOf *int64

	// Hold says why a ticket waits (status waiting) and until when; nil
	// otherwise.
	Hold *Hold

	// Mood is how the requester's latest message reads, and MoodReason
	// why (the cues found); staff only.
	Mood       Mood
	MoodReason string
	// Strikes counts the requester's messages on this ticket that staff
	// marked discourteous and that were not withdrawn; staff only.
	Strikes int

	// QueuePosition is 1 for the next ticket to be picked up; nil when the
	// ticket is not waiting in the queue. Stores fill it in on reads.
	QueuePosition *int
	// SLA is where the ticket stands against its service-level targets;
	// staff only, nil when it has no clock. The desk fills it in on reads.
	SLA *SLAStatus
	// ExpectedWait is how long the ticket should wait to be picked up,
	// while it has a queue position; nil otherwise. The desk fills it in
	// on reads (see EstimateWait).
	ExpectedWait *WaitEstimate
}

// Hold is why a ticket is waiting on the requester or a third party.
type Hold struct {
	Reason string
	// Until is when the wait should end ("the supplier says end of the
	// month"); nil when nobody knows. When it passes the ticket goes back
	// to work by itself (see ReturnFromHold).
	Until *time.Time
}

// Queued reports whether t waits in the serving queue: new or open, not on
// hold and nobody has it. A held ticket is out of the queue until the
// requester replies or its expected date passes; it then comes back at the
// place its arrival gives it.
func (t *Ticket) Queued() bool {
	return t.Assignee == nil && (t.Status == StatusNew || t.Status == StatusOpen)
}

// QueueCursor is a place in serving order: after the ticket with this
// priority rank and id. The zero value is before the first ticket.
type QueueCursor struct {
	Rank int
	ID   int64
}

// Cursor returns t's place in serving order.
func (t *Ticket) Cursor() QueueCursor { return QueueCursor{Rank: t.Priority.Rank(), ID: t.ID} }

// CanView reports whether u may see t. Requesters see their own tickets only.
func (t *Ticket) CanView(u *User) bool {
	return u.IsStaff() || (u != nil && t.Requester != nil && t.Requester.ID == u.ID)
}

// TicketInput is what somebody asking for help provides.
type TicketInput struct {
	Subject string
	Body    string
	Impact  Impact
	Channel Channel
}

// NewTicket validates in and returns a new ticket for requester, with its
// "created" event. loggedBy is the staff member logging it for them, or nil.
func NewTicket(in TicketInput, requester *User, loggedBy *User, now time.Time) (*Ticket, *Event, error) {
	var p Problems
	subject := CleanText(&p, "subject", "The subject", in.Subject, true, MaxSubjectLen)
	body := CleanText(&p, "body", "The description", in.Body, true, MaxBodyLen)
	if !in.Channel.Valid() {
		p.Add("channel", "The channel must be one of portal, email, phone, walk_up, chat or api.")
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	t := &Ticket{
		Subject:   subject,
		Body:      body,
		Status:    StatusNew,
		Priority:  in.Impact.Priority(),
		Impact:    in.Impact,
		Channel:   in.Channel,
		Requester: requester.Ref(),
		CreatedAt: now,
		UpdatedAt: now,
		Mood:      MoodCalm,
	}
	actor := requester
	if loggedBy != nil && loggedBy.ID != requester.ID {
		t.LoggedBy = loggedBy.Ref()
		actor = loggedBy
	}
	ev := &Event{Type: EventCreated, Actor: actor.Ref(), Body: body, CreatedAt: now,
		Data: map[string]string{"priority": string(t.Priority), "channel": string(t.Channel)}}
	return t, ev, nil
}

// Claim gives t to agent, taking it out of the queue.
func (t *Ticket) Claim(agent *User, now time.Time) (*Event, error) {
	if !agent.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can pick up tickets.")
	}
	if !t.Status.Active() {
		return nil, Errorf(ECONFLICT, "Ticket %d is %s, so there is nothing to pick up.", t.ID, t.Status)
	}
	if t.Assignee != nil {
		return nil, Errorf(ECONFLICT, "Ticket %d is already being handled by %s.", t.ID, t.Assignee.Name)
	}
	if t.Status == StatusWaiting {
		return nil, Errorf(ECONFLICT, "Ticket %d is on hold, so it is not in the queue.", t.ID)
	}
	t.Assignee = agent.Ref()
	t.ClaimedAt = &now
	t.Status = StatusOpen
	t.UpdatedAt = now
	return &Event{Type: EventClaimed, Actor: agent.Ref(), CreatedAt: now}, nil
}

// Resolve marks t as fixed, with a resolution the requester can read.
func (t *Ticket) Resolve(actor *User, resolution string, now time.Time) (*Event, error) {
	var p Problems
	resolution = CleanText(&p, "resolution", "The resolution", resolution, true, MaxResolutionLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if !t.Status.Active() {
		return nil, Errorf(ECONFLICT, "Ticket %d is already %s.", t.ID, t.Status)
	}
	t.Status = StatusResolved
	t.Hold = nil
	t.Resolution = resolution
	t.ResolvedAt = &now
	t.UpdatedAt = now
	return &Event{Type: EventResolved, Actor: actor.Ref(), Body: resolution, CreatedAt: now}, nil
}

// Close marks a resolved ticket as done. Closed tickets can still be reopened.
func (t *Ticket) Close(actor *User, now time.Time) (*Event, error) {
	if !actor.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can close tickets.")
	}
	if t.Status != StatusResolved {
		return nil, Errorf(ECONFLICT, "Only a resolved ticket can be closed; ticket %d is %s.", t.ID, t.Status)
	}
	t.Status = StatusClosed
	t.ClosedAt = &now
	t.UpdatedAt = now
	return &Event{Type: EventClosed, Actor: actor.Ref(), CreatedAt: now}, nil
}

// ErrReopenWindowPassed is returned by Reopen when the ticket was resolved too
// long ago to reopen; the caller opens a linked follow-up instead.
var ErrReopenWindowPassed = Errorf(ECONFLICT, "This ticket was resolved too long ago to reopen; a follow-up ticket is needed.")

// Reopen puts a resolved or closed ticket back to work. A reason is required
// so that whoever picks it up knows what is still wrong. Within window of
// resolution the ticket itself reopens; after it, ErrReopenWindowPassed.
func (t *Ticket) Reopen(actor *User, reason string, window time.Duration, now time.Time) (*Event, error) {
	var p Problems
	reason = CleanText(&p, "reason", "The reason", reason, true, MaxReasonLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if t.Status.Active() {
		return nil, Errorf(ECONFLICT, "Ticket %d is still %s, so it does not need reopening.", t.ID, t.Status)
	}
	if t.ResolvedAt != nil && now.Sub(*t.ResolvedAt) > window {
		return nil, ErrReopenWindowPassed
	}
	from := t.Status
	t.Status = StatusNew
	if t.Assignee != nil {
		t.Status = StatusOpen
	}
	t.ReopenCount++
	t.ResolvedAt, t.ClosedAt, t.Resolution = nil, nil, ""
	t.UpdatedAt = now
	return &Event{Type: EventReopened, Actor: actor.Ref(), Body: reason, CreatedAt: now,
		Data: map[string]string{"from": string(from)}}, nil
}

// FollowUp returns a new ticket that continues t, for when t can no longer be
// reopened. It keeps t's requester, priority and impact answers.
func (t *Ticket) FollowUp(actor *User, reason string, now time.Time) (*Ticket, *Event) {
	id, reason := t.ID, strings.TrimSpace(reason)
	f := &Ticket{
		Subject:    followUpSubject(t.Subject),
		Body:       reason,
		Status:     StatusNew,
		Priority:   t.Priority,
		Impact:     t.Impact,
		Channel:    ChannelPortal,
		Requester:  t.Requester,
		CreatedAt:  now,
		UpdatedAt:  now,
		FollowUpOf: &id,
		Mood:       MoodCalm,
	}
	if actor.IsStaff() {
		f.LoggedBy = actor.Ref()
	}
	return f, &Event{Type: EventCreated, Actor: actor.Ref(), Body: reason, CreatedAt: now,
		Data: map[string]string{"priority": string(f.Priority), "follow_up_of": strconv.FormatInt(id, 10)}}
}

// followUpSubject names a follow-up after the ticket it continues, cut to
// fit the subject limit, which counts characters as CleanText does.
func followUpSubject(s string) string {
	const prefix = "Follow-up: "
	return prefix + Cut(s, MaxSubjectLen-utf8.RuneCountInString(prefix))
}

// Triage sets the priority by hand. Only staff may, and they must say why:
// the requester reads the reason on their timeline.
func (t *Ticket) Triage(actor *User, priority Priority, reason string, now time.Time) (*Event, error) {
	if !actor.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can change a ticket's priority.")
	}
	var p Problems
	if !priority.Valid() {
		p.Add("priority", "The priority must be critical or normal.")
	}
	reason = CleanText(&p, "reason", "The reason", reason, true, MaxReasonLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if priority == t.Priority {
		return nil, Errorf(ECONFLICT, "Ticket %d is already %s priority.", t.ID, priority)
	}
	from := t.Priority
	t.Priority = priority
	t.UpdatedAt = now
	return &Event{Type: EventTriaged, Actor: actor.Ref(), Body: reason, CreatedAt: now,
		Data: map[string]string{"from": string(from), "to": string(priority)}}, nil
}

// Assign gives t to agent, or puts it back in the queue when agent is nil.
// The agent must be staff with an enabled account.
// A ticket put back keeps its place: it arrived when it arrived. A held
// ticket stays on hold either way; it joins the queue when the hold ends.
func (t *Ticket) Assign(actor, agent *User, now time.Time) (*Event, error) {
	if !actor.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can assign tickets.")
	}
	if agent != nil && !agent.IsStaff() {
		return nil, Invalid("assignee", "%s is not a member of the help desk staff.", agent.Name)
	}
	if agent != nil && agent.DisabledAt != nil {
		return nil, Invalid("assignee", "%s's account is disabled, so they cannot take tickets.", agent.Name)
	}
	if !t.Status.Active() {
		return nil, Errorf(ECONFLICT, "Ticket %d is %s; reopen it before assigning it.", t.ID, t.Status)
	}
	if agent == nil && t.Assignee == nil || agent != nil && t.Assignee != nil && agent.ID == t.Assignee.ID {
		return nil, Errorf(ECONFLICT, "Nothing to change: that is already who has ticket %d.", t.ID)
	}
	ev := &Event{Type: EventAssigned, Actor: actor.Ref(), CreatedAt: now, Data: map[string]string{}}
	if t.Assignee != nil {
		ev.Data["from"] = t.Assignee.Name
	}
	if agent == nil {
		ev.Type = EventReleased
		t.Assignee, t.ClaimedAt = nil, nil
		if t.Status != StatusWaiting {
			t.Status = StatusNew
		}
	} else {
		ev.Data["to"] = agent.Name
		t.Assignee = agent.Ref()
		t.ClaimedAt = &now
		if t.Status == StatusNew {
			t.Status = StatusOpen
		}
	}
	t.UpdatedAt = now
	return ev, nil
}

// AddMessage records a reply or, for staff, an internal note. A requester's
// reply to a ticket waiting on them puts it back to work; the first public
// reply from staff counts as the first response.
func (t *Ticket) AddMessage(actor *User, body string, internal bool, now time.Time) (*Event, error) {
	var p Problems
	body = CleanText(&p, "body", "The message", body, true, MaxBodyLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	staff := actor.IsStaff()
	if internal && !staff {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can write internal notes.")
	}
	if !staff && !t.Status.Active() {
		return nil, Errorf(ECONFLICT, "Ticket %d is %s. If the problem is back, please reopen it and say what is still wrong.", t.ID, t.Status)
	}
	ev := &Event{Type: EventMessage, Actor: actor.Ref(), Body: body, Internal: internal, CreatedAt: now}
	switch {
	case internal:
		ev.Type = EventNote
	case staff:
		if t.FirstResponseAt == nil {
			t.FirstResponseAt = &now
		}
	case t.Status == StatusWaiting:
		t.endHold()
	}
	t.UpdatedAt = now
	return ev, nil
}

// Wait marks t as waiting on the requester or a third party. The reason is
// shown to the requester; until, when known, is when the wait should end
// ("the supplier says end of the month").
func (t *Ticket) Wait(actor *User, reason string, until *time.Time, now time.Time) (*Event, error) {
	if !actor.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can put a ticket on hold.")
	}
	var p Problems
	reason = CleanText(&p, "reason", "The reason", reason, true, MaxReasonLen)
	if until != nil && until.Before(now) {
		p.Add("until", "The expected date is in the past.")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if !t.Status.Active() {
		return nil, Errorf(ECONFLICT, "Ticket %d is %s; reopen it first.", t.ID, t.Status)
	}
	t.Status = StatusWaiting
	t.Hold = &Hold{Reason: reason, Until: until}
	if until != nil {
		u := Truncate(*until)
		t.Hold.Until = &u
	}
	t.UpdatedAt = now
	ev := &Event{Type: EventWaiting, Actor: actor.Ref(), Body: reason, CreatedAt: now}
	if until != nil {
		ev.Data = map[string]string{"until": until.UTC().Format(time.RFC3339)}
	}
	return ev, nil
}

// HoldDue reports whether t is on hold with an expected date at or before now.
func (t *Ticket) HoldDue(now time.Time) bool {
	return t.Status == StatusWaiting && t.Hold != nil && t.Hold.Until != nil && !t.Hold.Until.After(now)
}

// ReturnFromHold puts a ticket whose expected date has passed back to work:
// into the queue at its arrival place, or back with its assignee. The event
// tells the requester, who may have been waiting for that date too.
func (t *Ticket) ReturnFromHold(now time.Time) (*Event, error) {
	if !t.HoldDue(now) {
		return nil, Errorf(ECONFLICT, "Ticket %d is not on hold past an expected date.", t.ID)
	}
	t.endHold()
	t.UpdatedAt = now
	body := "The expected date has passed; this is back in the queue."
	if t.Assignee != nil {
		body = "The expected date has passed; this is back with " + t.Assignee.Name + "."
	}
	return &Event{Type: EventResumed, Body: body, CreatedAt: now}, nil
}

// endHold takes t off hold: back in the queue, or back with its assignee.
func (t *Ticket) endHold() {
	t.Status, t.Hold = StatusNew, nil
	if t.Assignee != nil {
		t.Status = StatusOpen
	}
}
