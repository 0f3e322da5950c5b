package rapport

import (
	"context"
	"time"
)

// Every read of private data by staff is audited [A2]: a person's profile
// (notes, phone), the raw original of their mail, a file they attached,
// their strike history. Each read writes one AuditEntry, durably, before
// the data is handed out; supervisors and administrators read the log.
// People reading their own data are not recorded.

// AuditWhat is the kind of private data read.
type AuditWhat string

// The kinds of private data whose reads are audited.
const (
	AuditProfile    AuditWhat = "profile"    // a person's profile: notes, phone, pronunciation...
	AuditMail       AuditWhat = "mail"       // a received mail with its raw original
	AuditAttachment AuditWhat = "attachment" // a file a requester attached
	AuditStrikes    AuditWhat = "strikes"    // a person's strike history
)

// Valid reports whether w is one of the kinds above.
func (w AuditWhat) Valid() bool {
	switch w {
	case AuditProfile, AuditMail, AuditAttachment, AuditStrikes:
		return true
	}
	return false
}

// Route is how a request reached Rapport, for the audit log (not to be
// mixed up with a ticket's Channel, how the request for help came in).
type Route string

// The routes staff read through.
const (
	RouteWeb Route = "web" // the web UI, with a session
	RouteAPI Route = "api" // /api/v1, with a bearer token
	RouteCLI Route = "cli" // the rapport command
)

const routeContextKey contextKey = 1

// NewContextWithRoute returns a copy of ctx that says how the request
// came in; the edges (API, web UI, CLI) set it with the user.
func NewContextWithRoute(ctx context.Context, r Route) context.Context {
	return context.WithValue(ctx, routeContextKey, r)
}

// RouteFromContext returns how the request came in, or "".
func RouteFromContext(ctx context.Context) Route {
	r, _ := ctx.Value(routeContextKey).(Route)
	return r
}

// AuditEntry is one read of someone's private data by a member of staff.
type AuditEntry struct {
	ID    int64
	Staff *UserRef // who read
	// User is whose data it is; nil for mail from an address with no
	// account, which Ref then names.
	User  *UserRef
	What  AuditWhat
	Ref   string // the thing read: "ticket 42", "file 7 (invoice.pdf) on ticket 42", "mail 12"
	Route Route
	At    time.Time
}

// NewAuditEntry records that staff read what of the person with userID
// (0 when they have no account) through route. It returns nil when no
// entry is due: a person reading their own data.
func NewAuditEntry(staff *User, userID int64, what AuditWhat, ref string, route Route, now time.Time) (*AuditEntry, error) {
	switch {
	case staff == nil || !staff.IsStaff():
		// Only staff read other people's private data; anyone else
		// reaching here is a bug upstream, not something to log quietly.
		return nil, Errorf(EFORBIDDEN, "Only help desk staff can read other people's private data.")
	case userID != 0 && userID == staff.ID:
		return nil, nil
	case !what.Valid():
		return nil, Errorf(EINTERNAL, "audit: unknown kind of data %q", what)
	}
	switch route {
	case RouteWeb, RouteAPI, RouteCLI:
	default:
		return nil, Errorf(EINTERNAL, "audit: the read of %s came through no known route (%q)", what, route)
	}
	e := &AuditEntry{Staff: staff.Ref(), What: what, Ref: ref, Route: route, At: now}
	if userID != 0 {
		e.User = &UserRef{ID: userID}
	}
	return e, nil
}

// AuditFilter selects a page of the audit log, newest first.
type AuditFilter struct {
	UserID  int64  // whose data; 0 for everyone's
	StaffID int64  // who read; 0 for every member of staff
	After   string // the cursor of the page before; "" for the first
	Limit   int
}
