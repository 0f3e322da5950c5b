package rapport

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Follow-through after resolution (issue 9): a check-in asks the requester
// "Is everything still working?" some time after a ticket is resolved, a
// satisfaction survey (CSAT) asks for a score and a comment at the same
// time, and kudos let people thank an agent or a colleague.

// DefaultFollowUpAfter is how long after resolution the check-in follows
// unless the site or the resolving agent says otherwise.
const DefaultFollowUpAfter = 72 * time.Hour

// DefaultSurveyExpiry is how long the links of a check-in mail work.
const DefaultSurveyExpiry = 14 * 24 * time.Hour

// Limits of what people type.
const (
	MaxSurveyCommentLen = 5_000
	MaxKudosLen         = 1_000
	// MaxFollowUpAfter bounds a per-ticket check-in delay: past the
	// reopen window it would ask about a ticket that can no longer reopen.
	MaxFollowUpAfter = 365 * 24 * time.Hour
)

// CheckinAnswer is the requester's answer to "Is everything still working?".
type CheckinAnswer string

// The answers.
const (
	CheckinFixed CheckinAnswer = "fixed" // "Yes, all good": the ticket closes
	CheckinBack  CheckinAnswer = "back"  // "No, it's back": the ticket reopens
)

// Valid reports whether a is one of the answers.
func (a CheckinAnswer) Valid() bool { return a == CheckinFixed || a == CheckinBack }

// Checkin is one scheduled check-in on a resolved ticket. It is due at
// DueAt, sent once, and then answered once; reopening or closing the ticket
// before it is sent cancels it.
type Checkin struct {
	ID       int64
	TicketID int64
	// AgentID is who resolved the ticket, for its survey; nil when the
	// requester resolved it.
	AgentID     *int64
	DueAt       time.Time
	SentAt      *time.Time
	Answer      CheckinAnswer // "" until answered
	AnsweredAt  *time.Time
	CancelledAt *time.Time
	CreatedAt   time.Time
}

// State says where a check-in stands: "scheduled", "sent", "answered" or
// "cancelled".
func (c *Checkin) State() string {
	switch {
	case c.CancelledAt != nil:
		return "cancelled"
	case c.AnsweredAt != nil:
		return "answered"
	case c.SentAt != nil:
		return "sent"
	}
	return "scheduled"
}

// Open reports whether the check-in was sent and still waits for an answer.
func (c *Checkin) Open() bool { return c.SentAt != nil && c.AnsweredAt == nil && c.CancelledAt == nil }

// Survey is a satisfaction survey about one resolved ticket: a score from
// 1 to 5 and a comment. It can be answered, and the answer changed, until
// ExpiresAt; after that it is closed.
type Survey struct {
	ID         int64
	TicketID   int64
	Requester  *UserRef
	Agent      *UserRef // who resolved the ticket; nil if the requester did
	Score      *int
	Comment    string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AnsweredAt *time.Time
}

// Complaint reports whether a score of 1 or 2 tells of a poor experience:
// the supervisors hear about it.
func Complaint(score int) bool { return score >= 1 && score <= 2 }

// SurveyAnswer is a person's answer to a survey.
type SurveyAnswer struct {
	Score   int
	Comment string
}

// Clean checks an answer: a score from 1 to 5, and a comment of at most
// MaxSurveyCommentLen characters.
func (a *SurveyAnswer) Clean() error {
	var p Problems
	if a.Score < 1 || a.Score > 5 {
		p.Add("score", "Choose a score from 1 (very poor) to 5 (very good).")
	}
	a.Comment = CleanText(&p, "comment", "The comment", a.Comment, false, MaxSurveyCommentLen)
	return p.Err()
}

// Answer records a on s at now. It is ECONFLICT once the survey expired.
func (s *Survey) Answer(a SurveyAnswer, now time.Time) error {
	if err := a.Clean(); err != nil {
		return err
	}
	if !now.Before(s.ExpiresAt) {
		return ErrSurveyExpired
	}
	s.Score, s.Comment, s.AnsweredAt = &a.Score, a.Comment, &now
	return nil
}

// ErrSurveyExpired is the answer to a survey past its expiry.
var ErrSurveyExpired = Errorf(ECONFLICT, "This survey has closed, so it takes no more answers. If something is still wrong, you can always reopen the ticket or ask for help again.")

// Kudos is thanks from one person to a member of staff.
type Kudos struct {
	ID        int64
	From      *UserRef
	To        *UserRef
	TicketID  *int64
	Message   string
	CreatedAt time.Time
}

// NewKudos checks thanks from from to to: staff only receive kudos,
// nobody thanks themselves, and the message is required and short.
func NewKudos(from, to *User, ticketID *int64, message string, now time.Time) (*Kudos, error) {
	var p Problems
	message = CleanText(&p, "message", "The message", message, true, MaxKudosLen)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if from.ID == to.ID {
		return nil, Invalid("to", "You cannot thank yourself, though we are sure you deserve it.")
	}
	if !to.IsStaff() {
		return nil, Invalid("to", "Kudos are for help desk staff; %s is not a member of staff.", to.Name)
	}
	if to.DisabledAt != nil {
		return nil, Invalid("to", "%s's account is disabled, so they cannot receive kudos.", to.Name)
	}
	return &Kudos{From: from.Ref(), To: to.Ref(), TicketID: ticketID, Message: message, CreatedAt: now}, nil
}

// ParseFollowUpAfter reads a per-ticket check-in choice: "" for the
// site's default (def), "none" for no check-in (ok false), or a duration
// such as 24h or "3d" (days are allowed here, since people think of a
// check-in in days).
func ParseFollowUpAfter(field, s string, def time.Duration) (after time.Duration, ok bool, err error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "", "default":
		return def, true, nil
	case "none", "no", "off":
		return 0, false, nil
	}
	if n, found := strings.CutSuffix(s, "d"); found {
		if days, perr := strconv.Atoi(n); perr == nil {
			after = time.Duration(days) * 24 * time.Hour
		} else {
			return 0, false, Invalid(field, "Write the check-in delay like 72h, 3d or none; %q is not one.", s)
		}
	} else if after, err = time.ParseDuration(s); err != nil {
		return 0, false, Invalid(field, "Write the check-in delay like 72h, 3d or none; %q is not one.", s)
	}
	if after <= 0 || after > MaxFollowUpAfter {
		return 0, false, Invalid(field, "The check-in delay must be longer than zero and at most 365 days.")
	}
	return after, true, nil
}

// ConfirmFixed closes a resolved ticket on its requester's word that
// everything still works (the check-in's "Yes, all good"). Anything other
// than a resolved ticket is left as it is: nil event, no error.
func (t *Ticket) ConfirmFixed(requester *User, now time.Time) *Event {
	if t.Status != StatusResolved {
		return nil
	}
	t.Status = StatusClosed
	t.ClosedAt = &now
	t.UpdatedAt = now
	return &Event{Type: EventClosed, Actor: requester.Ref(), Body: "Confirmed that everything is still working.",
		CreatedAt: now, Data: map[string]string{"via": "checkin"}}
}

// CheckinStore is the storage of check-ins, surveys and kudos; the
// store's Tx implements it inside Store.Update.
type CheckinStore interface {
	// CreateCheckin stores c and sets its ID.
	CreateCheckin(ctx context.Context, c *Checkin) error
	// CancelCheckins cancels the ticket's check-ins not yet sent, saying
	// how many.
	CancelCheckins(ctx context.Context, ticketID int64, at time.Time) (int, error)
	// LockDueCheckin locks a check-in due at or before now, not sent nor
	// cancelled, that no other transaction holds; ENOTFOUND when none.
	LockDueCheckin(ctx context.Context, now time.Time) (*Checkin, error)
	// LockCheckin reads a check-in and holds it; ENOTFOUND when none.
	LockCheckin(ctx context.Context, id int64) (*Checkin, error)
	// UpdateCheckin saves c's due date, sending, answer and cancellation.
	UpdateCheckin(ctx context.Context, c *Checkin) error
	// CreateSurvey stores s and sets its ID.
	CreateSurvey(ctx context.Context, s *Survey) error
	// LockSurvey reads a survey and holds it; ENOTFOUND when none.
	LockSurvey(ctx context.Context, id int64) (*Survey, error)
	// AnswerSurvey saves s's score, comment and answer time.
	AnswerSurvey(ctx context.Context, s *Survey) error
	// CreateKudos stores k and sets its ID.
	CreateKudos(ctx context.Context, k *Kudos) error
}

// CheckinReader reads check-ins, surveys and kudos outside transactions.
type CheckinReader interface {
	// FindCheckins returns a ticket's check-ins, oldest first.
	FindCheckins(ctx context.Context, ticketID int64) ([]*Checkin, error)
	// FindCheckin returns one check-in; ENOTFOUND when none.
	FindCheckin(ctx context.Context, id int64) (*Checkin, error)
	// FindSurveys returns a ticket's surveys, oldest first.
	FindSurveys(ctx context.Context, ticketID int64) ([]*Survey, error)
	// FindSurvey returns one survey; ENOTFOUND when none.
	FindSurvey(ctx context.Context, id int64) (*Survey, error)
	// FindKudos returns up to limit kudos to user to, newest first.
	FindKudos(ctx context.Context, to int64, limit int) ([]*Kudos, error)
}
