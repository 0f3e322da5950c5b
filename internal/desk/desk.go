// Package desk is Rapport's application layer: every ticket change, whether
// it comes from the API, the web UI, email or the CLI, runs through here, so
// the same rules, checks and timeline entries apply to all of them.
package desk

import (
	"context"
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/mood"
)

// DefaultReopenWindow is how long after resolution a ticket can be reopened
// itself; after that, reopening creates a linked follow-up.
const DefaultReopenWindow = 30 * 24 * time.Hour

// Desk runs the help desk's use cases on a store.
type Desk struct {
	store rapport.Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// ReopenWindow: see DefaultReopenWindow.
	ReopenWindow time.Duration
	// FollowUpAfter is when a check-in follows a resolution
	// (rapport.DefaultFollowUpAfter); SurveyExpiry how long its links
	// work (rapport.DefaultSurveyExpiry).
	FollowUpAfter, SurveyExpiry time.Duration
	// Notifier, when set, hears about every ticket change after commit.
	Notifier Notifier

	// MailLimit bounds the tickets one address makes by mail (mailin);
	// zero means DefaultMailTickets per DefaultMailTicketWindow.
	MailLimit MailLimit
	// Notices, when set, queues a mail notice job (NoticeJob) in the
	// transaction of each change people should hear about; rapport serve
	// sets it when outgoing mail is configured. Unset, no notice is queued.
	Notices bool
	// Files keeps the bytes of attachments; nil refuses every file with
	// a plain error.
	Files *attach.Store
	// Location is the site's time zone (RAPPORT_TIME_ZONE), for people
	// who chose none on their profile; nil is UTC.
	Location *time.Location

	// HTTPClient fetches iCalendar files for ImportICSURL;
	// http.DefaultClient when nil.
	HTTPClient *http.Client

	calendars calendarCache // compiled SLA calendars (sla.go)
	caughtUp  slaCaughtUp   // how far CatchUpSLAs got (sla.go)
}

// New returns a Desk on s with default settings.
func New(s rapport.Store) *Desk {
	d := &Desk{Now: rapport.Now, ReopenWindow: DefaultReopenWindow,
		FollowUpAfter: rapport.DefaultFollowUpAfter, SurveyExpiry: rapport.DefaultSurveyExpiry}
	d.store = &slaStore{Store: &waitStore{Store: keyedStore{s}, now: d.now}, d: d}
	go mood.Warm() // see readMood
	return d
}

func (d *Desk) now() time.Time { return rapport.Truncate(d.Now()) }

// actor returns the signed-in user or EUNAUTHORIZED.
func actor(ctx context.Context) (*rapport.User, error) {
	u := rapport.UserFromContext(ctx)
	if u == nil {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in first.")
	}
	return u, nil
}

// staff returns the signed-in user if they are help desk staff.
func staff(ctx context.Context, doing string) (*rapport.User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !u.IsStaff() {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can %s.", doing)
	}
	return u, nil
}

// admin returns the signed-in user if they are an administrator.
func admin(ctx context.Context, doing string) (*rapport.User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != rapport.RoleAdmin {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Only administrators can %s.", doing)
	}
	return u, nil
}
