package rapport

import "time"

// EventType says what happened on a ticket's timeline.
type EventType string

// The kinds of timeline events.
const (
	EventCreated  EventType = "created"
	EventMessage  EventType = "message"  // a public reply
	EventNote     EventType = "note"     // an internal note, staff only
	EventClaimed  EventType = "claimed"  // an agent picked it up from the queue
	EventAssigned EventType = "assigned" // given to someone by staff
	EventReleased EventType = "released" // put back in the queue
	EventTriaged  EventType = "triaged"  // priority changed, with a reason
	EventWaiting  EventType = "waiting"  // on hold for the requester or a third party
	EventResumed  EventType = "resumed"  // back to work: the hold's expected date passed
	EventResolved EventType = "resolved"
	EventClosed   EventType = "closed"
	EventReopened EventType = "reopened"
	EventFollowUp EventType = "follow_up" // a follow-up ticket continues this one
)

// Event is one step on a ticket's timeline.
type Event struct {
	ID       int64
	TicketID int64
	Type     EventType
	Actor    *UserRef
	Body     string
	// Internal events are hidden from the requester.
	Internal  bool
	Data      map[string]string
	CreatedAt time.Time
	// Attachments are the files sent with the event, oldest first.
	Attachments []*Attachment
}
