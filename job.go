package rapport

import "time"

// Job is a piece of work to do later or elsewhere: a mail to send, a notice,
// a poll. Jobs are stored in the same transaction as the change that causes
// them (Tx.EnqueueJob), so a change that commits always has its jobs and one
// that rolls back has none. internal/jobs runs them.
type Job struct {
	ID   int64
	Kind string // names the handler, e.g. "notice"
	// Group, when set, runs the job only after the earlier jobs of its
	// group ("ticket:42": a ticket's notices go out in order). An earlier
	// one failing and waiting to retry, or dead, does not hold it back.
	Group string
	// Payload is the handler's input, opaque to the store (JSON by custom).
	Payload     []byte
	State       JobState
	Attempts    int // runs started so far
	MaxAttempts int
	RunAt       time.Time // not before
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Lease is set while a runner holds the job: it is that runner's claim
	// token, and the job may be claimed again once LeaseUntil passes (the
	// runner died).
	Lease      string
	LeaseUntil *time.Time
}

// JobState is where a job stands.
type JobState string

// The job states. A finished job is deleted.
const (
	JobReady   JobState = "ready"   // waiting for RunAt
	JobRunning JobState = "running" // held by a runner until LeaseUntil
	JobDead    JobState = "dead"    // failed MaxAttempts times; an admin may retry it
)

// Valid reports whether s is a known state.
func (s JobState) Valid() bool { return s == JobReady || s == JobRunning || s == JobDead }

// DefaultJobAttempts is how many times a job runs before it is dead.
const DefaultJobAttempts = 10

// JobFilter selects jobs, newest first.
type JobFilter struct {
	State JobState // empty for all
	// BeforeID is the cursor: only jobs with a smaller id (0 for the first page).
	BeforeID int64
	Limit    int
}

// JobClaim asks Tx.ClaimJobs for up to Limit due jobs of the given kinds.
type JobClaim struct {
	Kinds []string
	Now   time.Time
	// Lease is the claim token; the jobs are held until LeaseUntil.
	Lease      string
	LeaseUntil time.Time
	Limit      int
}

// SentMail records a mail Rapport sent, by Message-ID: a retried job finds
// it and does not send again, replies thread on it, and automatic mails
// are counted per address for the rate limit.
type SentMail struct {
	MessageID string
	TicketID  int64 // 0 when the mail is about no ticket
	To        string
	Automatic bool // a notice, not a person's words
	SentAt    time.Time
}
