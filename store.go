package rapport

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"time"
)

// Store is the storage Rapport needs. internal/store implements it on SQLite
// and on PostgreSQL with the same behaviour.
//
// Reads run outside of any transaction; every write runs inside Update, so a
// failure part-way leaves nothing half-written.
type Store interface {
	SLAStore // calendars and service levels (sla.go)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUserByTokenHash returns the enabled user owning the unrevoked token.
	FindUserByTokenHash(ctx context.Context, hash string) (*User, error)
	// FindUsers returns a page of users matching f, and the cursor of the
	// next page ("" on the last page).
	FindUsers(ctx context.Context, f UserFilter) (users []*User, next string, err error)
	// FindTokens returns a user's live (unrevoked) tokens, newest first.
	FindTokens(ctx context.Context, userID int64) ([]*Token, error)
	// FindCredentials returns the user with email and their password hash
	// ("" when they have none yet); ENOTFOUND when there is no such user.
	FindCredentials(ctx context.Context, email string) (*User, string, error)
	// FindSession returns a session by ID with its user, live or not;
	// ENOTFOUND when there is none. See Session.Live.
	FindSession(ctx context.Context, id string) (*Session, *User, error)

	FindTicketByID(ctx context.Context, id int64) (*Ticket, error)
	// FindTickets returns a page of tickets matching f in f.Sort order, and
	// the cursor of the next page ("" on the last page).
	FindTickets(ctx context.Context, f TicketFilter) (tickets []*Ticket, next string, err error)
	// FindQueue returns up to limit queued tickets (see Ticket.Queued) in
	// serving order, starting after the cursor, with their positions.
	FindQueue(ctx context.Context, after QueueCursor, limit int) ([]*Ticket, error)
	// FindEvents returns a page of a ticket's timeline, oldest first, and the
	// cursor of the next page ("" on the last page).
	FindEvents(ctx context.Context, f EventFilter) (events []*Event, next string, err error)
	// FindClaims returns the latest pickups (at most limit) of tickets of
	// priority rank claimed at or after since, newest first, for the
	// expected wait.
	FindClaims(ctx context.Context, rank int, since time.Time, limit int) ([]Claim, error)

	// FindDraft returns the user's draft of form, sent or not; ENOTFOUND
	// when there is none.
	FindDraft(ctx context.Context, userID int64, form string) (*Draft, error)

	// FindIdempotencyKey returns the record of the user's request sent with
	// key at or after since; ENOTFOUND when there is none.
	FindIdempotencyKey(ctx context.Context, userID int64, key string, since time.Time) (*IdempotencyKey, error)

	// Secret returns the site's secret named name: random bytes made at
	// first use, the same on every node and across restarts.
	Secret(ctx context.Context, name string) ([]byte, error)

	// Attachments (web). FindAttachment returns a file's record with its
	// event's Internal flag; ENOTFOUND when there is none. (The files of a
	// timeline page come with FindEvents, in Event.Attachments.)
	FindAttachment(ctx context.Context, id int64) (*Attachment, error)

	// Response templates. FindTemplateByID returns a template, ENOTFOUND
	// when there is none; FindTemplates returns the shared ones and
	// ownerID's own, by name.
	FindTemplateByID(ctx context.Context, id int64) (*Template, error)
	FindTemplates(ctx context.Context, ownerID int64) ([]*Template, error)

	// Update runs fn in one write transaction: all of it happens or none.
	Update(ctx context.Context, fn func(Tx) error) error
	Close() error

	// Inbound mail (mailin).

	// FindInboundMail returns one received mail with its raw message;
	// ENOTFOUND when there is none.
	FindInboundMail(ctx context.Context, id int64) (*InboundMail, error)
	// FindInboundMails returns a page of received mail, newest first,
	// without the raw messages, and the cursor of the next page.
	FindInboundMails(ctx context.Context, f MailFilter) (mails []*InboundMail, next string, err error)
	// FindMailCursor returns how far a mailbox has been polled; the zero
	// cursor when it never was.
	FindMailCursor(ctx context.Context, mailbox string) (*MailCursor, error)
	// Durable jobs and sent mail (internal/jobs, internal/notice).

	// FindJob returns a job; ENOTFOUND when there is none (a finished job
	// is deleted).
	FindJob(ctx context.Context, id int64) (*Job, error)
	// JobsDue reports whether any job is due at now (ready, or running with
	// a lapsed lease): a read that spares idle runners a write.
	JobsDue(ctx context.Context, now time.Time) (bool, error)
	// FindJobs returns a page of jobs matching f, newest first.
	FindJobs(ctx context.Context, f JobFilter) ([]*Job, error)
	// FindSentMail returns the record of the mail sent with messageID;
	// ENOTFOUND when none was.
	FindSentMail(ctx context.Context, messageID string) (*SentMail, error)
	// CountAutomaticMail counts the automatic mails sent to addr at or
	// after since.
	CountAutomaticMail(ctx context.Context, addr string, since time.Time) (int, error)
	// FindTicketMessageIDs returns the Message-IDs of the first limit mails
	// sent to addr about a ticket or received from addr on it, oldest first.
	FindTicketMessageIDs(ctx context.Context, ticketID int64, addr string, limit int) ([]string, error)

	// Three Strikes (strike.go).

	// FindStrikes returns the strikes f selects, withdrawn ones included,
	// oldest first, with the struck message and the ticket's subject.
	FindStrikes(ctx context.Context, f StrikeFilter) ([]*Strike, error)
	// FindStrikeTexts returns what each strike sends, by step (1 to 3).
	FindStrikeTexts(ctx context.Context) ([]*StrikeText, error)

	// FindAudit returns a page of the audit log (audit.go), newest first,
	// and the cursor of the next page ("" on the last page).
	FindAudit(ctx context.Context, f AuditFilter) (entries []*AuditEntry, next string, err error)
	// Check-ins, surveys and kudos (checkin.go).
	CheckinReader
	// FindReport returns the figures of every supervisor report over r.
	FindReport(ctx context.Context, r ReportRange) (*Report, error)
	// FindFullReport is FindReport listing every survey comment and every
	// agent's kudos in r (Report.Full), for the CSV export.
	FindFullReport(ctx context.Context, r ReportRange) (*Report, error)
	// SetReportZone makes the report days those of loc, the site's zone,
	// recounting them when they were another zone's; it reports whether
	// it did.
	SetReportZone(ctx context.Context, loc *time.Location) (bool, error)
}

// Tx is the write side of the store, valid only inside Store.Update.
type Tx interface {
	SLATx // calendars and service levels (sla.go)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	CreateToken(ctx context.Context, t *Token) error
	RevokeTokens(ctx context.Context, userID int64, at time.Time) (int, error)
	// RevokeToken revokes one live token of userID; ENOTFOUND when there is
	// no such live token.
	RevokeToken(ctx context.Context, userID, tokenID int64, at time.Time) error
	// SetPasswordHash stores the encoded hash of a user's new password.
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	CreateSession(ctx context.Context, s *Session) error
	// TouchSession saves s's LastSeenAt and ExpiresAt.
	TouchSession(ctx context.Context, s *Session) error
	// RevokeSession ends the session with id; an ended one stays ended.
	RevokeSession(ctx context.Context, id string, at time.Time) error
	// RevokeSessions ends every live session of a user, saying how many.
	RevokeSessions(ctx context.Context, userID int64, at time.Time) (int, error)
	// DeleteSessions deletes sessions that expired before before.
	DeleteSessions(ctx context.Context, before time.Time) (int, error)
	// LockUser reads a user and holds the row until the transaction ends.
	LockUser(ctx context.Context, id int64) (*User, error)
	// LockAdmins returns the ids of the enabled administrators and holds
	// their rows until the transaction ends, so that two concurrent changes
	// cannot both remove "the other" last administrator.
	LockAdmins(ctx context.Context) ([]int64, error)

	// LockTicket reads a ticket and holds it until the transaction ends.
	LockTicket(ctx context.Context, id int64) (*Ticket, error)
	// LockNextQueued locks the ticket first in serving order that no other
	// transaction holds; ENOTFOUND when there is none.
	LockNextQueued(ctx context.Context) (*Ticket, error)
	// LockDueHold locks a held ticket whose expected date is at or before
	// now that no other transaction holds; ENOTFOUND when there is none.
	LockDueHold(ctx context.Context, now time.Time) (*Ticket, error)
	// CreateTicket stores t and sets its ID. The queue position is not
	// known until the transaction commits: read the ticket back for it.
	CreateTicket(ctx context.Context, t *Ticket) error
	UpdateTicket(ctx context.Context, t *Ticket) error
	AddEvent(ctx context.Context, e *Event) error
	// FindFollowUp returns the follow-up of ticket id; ENOTFOUND when none.
	FindFollowUp(ctx context.Context, id int64) (*Ticket, error)
	// FindContactHistory tells how the requester has been in touch lately,
	// around ticket ticketID, for reading the mood of their new message
	// (see ContactHistory).
	FindContactHistory(ctx context.Context, requesterID, ticketID int64, messagesSince, ticketsSince time.Time) (*ContactHistory, error)

	// SaveDraft stores d as its user's draft of d.Form, replacing the one
	// there, unless that one was sent with d.Token (a late save from the
	// sitting that sent it); it reports whether d was stored.
	SaveDraft(ctx context.Context, d *Draft) (bool, error)
	// SendDraft clears the user's draft of form, remembering token as sent.
	SendDraft(ctx context.Context, userID int64, form, token string, at time.Time) error

	// CreateIdempotencyKey records a keyed request; ECONFLICT when a live
	// record of the key exists. See IdempotencyKey.
	CreateIdempotencyKey(ctx context.Context, k *IdempotencyKey) error
	SaveIdempotentResponse(ctx context.Context, userID int64, key string, response []byte) error
	// DeleteIdempotencyKeys deletes the records made before before.
	DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error)

	// Inbound mail (mailin).

	// CreateInboundMail stores m and sets its ID, unless a mail with the
	// same DedupeKey is stored already: then it stores nothing and
	// reports false. A concurrent transaction storing the same key makes
	// this one wait for it.
	CreateInboundMail(ctx context.Context, m *InboundMail) (bool, error)
	// SetMailOutcome saves m's Outcome, Reason and TicketID.
	SetMailOutcome(ctx context.Context, m *InboundMail) error
	// CountMailTickets counts the tickets mail from addr made at or after
	// since.
	CountMailTickets(ctx context.Context, addr string, since time.Time) (int, error)
	// SaveMailCursor records how far a mailbox has been polled.
	SaveMailCursor(ctx context.Context, c *MailCursor) error
	// Durable jobs and sent mail (internal/jobs, internal/notice).

	// EnqueueJob stores j as ready (RunAt zero means now: pass the time)
	// and sets its ID. It commits or rolls back with the transaction.
	EnqueueJob(ctx context.Context, j *Job) error
	// ClaimJobs holds up to c.Limit due jobs (ready, or running with a
	// lapsed lease) for c.Lease and counts an attempt on each. Jobs another
	// transaction is claiming are skipped, never waited for.
	ClaimJobs(ctx context.Context, c JobClaim) ([]*Job, error)
	// FinishJob deletes a job done under lease; ENOTFOUND when the lease
	// was lost (the job lapsed and another runner took it).
	FinishJob(ctx context.Context, id int64, lease string) error
	// FailJob records a failed run under lease: the job is ready again at
	// retryAt, or dead when retryAt is nil. ENOTFOUND when the lease was lost.
	FailJob(ctx context.Context, id int64, lease, why string, retryAt *time.Time, now time.Time) error
	// ReviveJob makes a dead job ready now with a fresh set of attempts;
	// ENOTFOUND when there is no dead job id.
	ReviveJob(ctx context.Context, id int64, now time.Time) (*Job, error)
	// TakePeriod reports whether this transaction takes the periodic task
	// name's run due at or before now, moving its next run to next. Of
	// several nodes asking at once, one gets true.
	TakePeriod(ctx context.Context, name string, now, next time.Time) (bool, error)
	// RecordSentMail stores m; a Message-ID already recorded is kept as is.
	RecordSentMail(ctx context.Context, m *SentMail) error
	// Attachments (web). AddAttachment records a file on event a.EventID,
	// whose blob is already stored, and sets its ID.
	AddAttachment(ctx context.Context, a *Attachment) error

	// Response templates. LockTemplate reads one and holds it until the
	// transaction ends; CreateTemplate sets t.ID. A name taken among the
	// shared templates, or among the owner's, is ECONFLICT.
	LockTemplate(ctx context.Context, id int64) (*Template, error)
	CreateTemplate(ctx context.Context, t *Template) error
	UpdateTemplate(ctx context.Context, t *Template) error
	DeleteTemplate(ctx context.Context, id int64) error
	// Three Strikes and asking a colleague (strike.go).

	// FindEvent returns one timeline event; ENOTFOUND when there is none.
	FindEvent(ctx context.Context, id int64) (*Event, error)
	// FindStrikeByEvent returns the strike on message eventID, withdrawn
	// or not; ENOTFOUND when it has none.
	FindStrikeByEvent(ctx context.Context, eventID int64) (*Strike, error)
	// LockStrike reads a strike and holds it until the transaction ends;
	// ENOTFOUND when there is none.
	LockStrike(ctx context.Context, id int64) (*Strike, error)
	// CreateStrike stores s and sets its ID.
	CreateStrike(ctx context.Context, s *Strike) error
	// WithdrawStrike saves s's withdrawal (when, by whom, why).
	WithdrawStrike(ctx context.Context, s *Strike) error
	// FindStrikeText returns what strike step sends.
	FindStrikeText(ctx context.Context, step int) (*StrikeText, error)
	// SaveStrikeText replaces what strike t.Step sends.
	SaveStrikeText(ctx context.Context, t *StrikeText) error

	// AddAudit records a read of private data by staff and sets e.ID.
	AddAudit(ctx context.Context, e *AuditEntry) error
	// Check-ins, surveys and kudos (checkin.go).
	CheckinStore
}

// StrikeFilter selects strikes: of one ticket, or of one requester across
// their tickets (at least one is set).
type StrikeFilter struct {
	TicketID    int64
	RequesterID int64
	Limit       int
}

// IdempotencyKeyTTL is how long a request's Idempotency-Key is remembered.
const IdempotencyKeyTTL = 24 * time.Hour

// IdempotencyKey records a request sent with an Idempotency-Key, so that a
// retry gets the first answer instead of making the change twice. It is
// created in the same transaction as the request's first write: if the
// record exists, the write committed.
type IdempotencyKey struct {
	UserID      int64
	Key         string
	RequestHash string // identifies the request (method, path and body)
	CreatedAt   time.Time
	// Response is the answer, opaque to the store; nil until it is saved,
	// and for good when saving it failed after the write committed.
	Response []byte
}

// UserFilter selects users, oldest first.
type UserFilter struct {
	Role Role // empty for all
	// Query keeps users whose name or email starts with it (any case).
	Query string
	// After is the cursor a previous page returned; empty for the first page.
	After string
	Limit int
}

// TicketSort orders a ticket list.
type TicketSort string

// The ticket list orders.
const (
	SortNewest    TicketSort = "newest" // by arrival, newest first (the default)
	SortOldest    TicketSort = "oldest" // by arrival, oldest first
	SortUpdated   TicketSort = "updated"
	SortRelevance TicketSort = "relevance" // needs Query: see TicketFilter.Query
)

// Valid reports whether s is a known order; empty means the default.
func (s TicketSort) Valid() bool {
	switch s {
	case "", SortNewest, SortOldest, SortUpdated, SortRelevance:
		return true
	}
	return false
}

// TicketFilter selects tickets. Every field left empty selects everything.
type TicketFilter struct {
	RequesterID *int64
	AssigneeID  *int64
	Unassigned  bool
	Statuses    []Status
	Priority    Priority
	Channel     Channel
	// Mood keeps tickets whose requester's latest message reads so; staff
	// only, and only beside another filter (see desk.Tickets).
	Mood Mood
	// CreatedAfter and CreatedBefore bound created_at: after <= t < before.
	CreatedAfter, CreatedBefore *time.Time
	// Query is full-text search over the subject, the description and the
	// timeline's messages: words are ANDed, each also matching as a prefix
	// ("pass" finds "password"), and "quoted words" match as a phrase.
	Query string
	// SearchNotes lets Query match internal notes too (staff only).
	SearchNotes bool
	// Sort defaults to SortRelevance with a Query, else SortNewest.
	Sort TicketSort
	// After is the cursor a previous page returned; empty for the first page.
	After string
	Limit int
}

// EventFilter selects a page of one ticket's timeline.
type EventFilter struct {
	TicketID        int64
	IncludeInternal bool
	// After is the cursor a previous page returned; empty for the first page.
	After string
	Limit int
}

// Token is an API credential. Only its SHA-256 hash is stored.
type Token struct {
	ID        int64
	UserID    int64
	Hash      string
	Label     string
	CreatedAt time.Time
	RevokedAt *time.Time
}

// NewToken returns a fresh random secret for userID and the Token that
// stores its hash. The secret is shown once and never stored.
func NewToken(userID int64, label string, now time.Time) (string, *Token) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	secret := "rpt_" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	return secret, &Token{UserID: userID, Hash: HashToken(secret), Label: label, CreatedAt: now}
}

// HashToken returns the stored form of a token secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ContactHistory is how a requester has been in touch lately: what the
// mood of a new message is read against (repeated contact, a long wait).
type ContactHistory struct {
	// Messages counts the requests, replies and reopen reasons they sent
	// (or staff logged for them as new tickets) at or after messagesSince,
	// on their latest tickets (stores may bound how many they look at).
	Messages int
	// Tickets counts their tickets other than ticketID created at or
	// after ticketsSince (stores may bound it likewise).
	Tickets int
	// LastStaffReply is the latest public reply by staff on ticketID; nil
	// when there is none.
	LastStaffReply *time.Time
}
