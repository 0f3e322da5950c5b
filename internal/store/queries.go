package store

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
)

//go:embed queries
var queryFS embed.FS

// queries holds every SQL statement the store runs, loaded from the named
// blocks in queries/*.sql ("-- name: get-ticket"). A dialect may override a
// statement in queries/<dialect>/. A missing name fails at start-up.
type queries struct {
	CreateUser         string `query:"create-user"`
	UpdateUser         string `query:"update-user"`
	GetUserByID        string `query:"get-user-by-id"`
	GetUserByEmail     string `query:"get-user-by-email"`
	GetUserByTokenHash string `query:"get-user-by-token-hash"`
	CreateToken        string `query:"create-token"`
	RevokeTokens       string `query:"revoke-tokens"`
	GetTokens          string `query:"get-tokens"`
	RevokeToken        string `query:"revoke-token"`
	LockUser           string `query:"lock-user"`
	LockAdmins         string `query:"lock-admins"`
	CreateTicket       string `query:"create-ticket"`
	UpdateTicket       string `query:"update-ticket"`
	GetTicket          string `query:"get-ticket"`
	LockTicket         string `query:"lock-ticket"`
	NextQueuedTicket   string `query:"next-queued-ticket"`
	GetQueue           string `query:"get-queue"`
	GetQueuePosition   string `query:"get-queue-position"`
	GetQueueMembership string `query:"get-queue-membership"`
	AdjustQueueBlocks  string `query:"adjust-queue-blocks"`
	ClearQueueBlocks   string `query:"clear-queue-blocks"`
	FillQueueBlocks    string `query:"fill-queue-blocks"`
	CheckQueueBlocks   string `query:"check-queue-blocks"`
	ClearSearch        string `query:"clear-search"`
	FillSearch         string `query:"fill-search"`
	CleanSearch        string `query:"clean-search"`
	LockDueHold        string `query:"lock-due-hold"`
	CreateEvent        string `query:"create-event"`
	GetEvents          string `query:"get-events"`
	QueueLengths       string `query:"queue-lengths"`
	GetRecentClaims    string `query:"get-recent-claims"`

	// Frustration cues (issue 8).
	CountRequesterMessages string `query:"count-requester-messages"`
	CountRequesterTickets  string `query:"count-requester-tickets"`
	LastStaffReply         string `query:"last-staff-reply"`

	GetFollowUp               string `query:"get-follow-up"`
	GetIdempotencyKey         string `query:"get-idempotency-key"`
	DeleteStaleIdempotencyKey string `query:"delete-stale-idempotency-key"`
	CreateIdempotencyKey      string `query:"create-idempotency-key"`
	SaveIdempotentResponse    string `query:"save-idempotent-response"`
	DeleteIdempotencyKeys     string `query:"delete-idempotency-keys"`

	GetUserCredentials string `query:"get-user-credentials"`
	SetPasswordHash    string `query:"set-password-hash"`
	GetSession         string `query:"get-session"`
	CreateSession      string `query:"create-session"`
	TouchSession       string `query:"touch-session"`
	RevokeSession      string `query:"revoke-session"`
	RevokeSessions     string `query:"revoke-sessions"`
	DeleteSessions     string `query:"delete-sessions"`

	GetDraft  string `query:"get-draft"`
	SaveDraft string `query:"save-draft"`
	SendDraft string `query:"send-draft"`

	GetSecret    string `query:"get-secret"`
	CreateSecret string `query:"create-secret"`

	// Inbound mail (mailin).
	CreateInboundMail        string `query:"create-inbound-mail"`
	SetMailOutcome           string `query:"set-mail-outcome"`
	CountMailTickets         string `query:"count-mail-tickets"`
	GetInboundMail           string `query:"get-inbound-mail"`
	ListInboundMail          string `query:"list-inbound-mail"`
	ListInboundMailByOutcome string `query:"list-inbound-mail-by-outcome"`
	GetMailCursor            string `query:"get-mail-cursor"`
	SaveMailCursor           string `query:"save-mail-cursor"`
	// Durable jobs, periodic tasks and sent mail (internal/jobs, notices).
	CreateJob           string `query:"create-job"`
	ClaimJobs           string `query:"claim-jobs"`
	JobsDue             string `query:"jobs-due"`
	FinishJob           string `query:"finish-job"`
	RetryJobLater       string `query:"retry-job-later"`
	KillJob             string `query:"kill-job"`
	ReviveJob           string `query:"revive-job"`
	GetJob              string `query:"get-job"`
	GetJobs             string `query:"get-jobs"`
	CreateJobPeriod     string `query:"create-job-period"`
	TakeJobPeriod       string `query:"take-job-period"`
	CreateSentMail      string `query:"create-sent-mail"`
	GetSentMail         string `query:"get-sent-mail"`
	CountAutomaticMail  string `query:"count-automatic-mail"`
	GetTicketMessageIDs string `query:"get-ticket-message-ids"`
	// Bounded search walk (perf, search.go).
	MaxTicketID string `query:"max-ticket-id"`
	WordStats   string `query:"word-stats"`
	SearchWords string `query:"search-words"`
	// Attachments (web): files on tickets.
	CreateAttachment    string `query:"create-attachment"`
	GetAttachment       string `query:"get-attachment"`
	GetEventAttachments string `query:"get-event-attachments"`
	// Response templates (template.go).
	GetTemplate    string `query:"get-template"`
	GetTemplates   string `query:"get-templates"`
	LockTemplate   string `query:"lock-template"`
	CreateTemplate string `query:"create-template"`
	UpdateTemplate string `query:"update-template"`
	DeleteTemplate string `query:"delete-template"`
	// Three Strikes (strike.go).
	GetEvent            string `query:"get-event"`
	CreateStrike        string `query:"create-strike"`
	WithdrawStrike      string `query:"withdraw-strike"`
	GetStrikeByEvent    string `query:"get-strike-by-event"`
	LockStrike          string `query:"lock-strike"`
	GetTicketStrikes    string `query:"get-ticket-strikes"`
	GetRequesterStrikes string `query:"get-requester-strikes"`
	GetStrikeTexts      string `query:"get-strike-texts"`
	GetStrikeText       string `query:"get-strike-text"`
	SaveStrikeText      string `query:"save-strike-text"`

	// The audit log of staff reads of private data (audit.go).
	AddAudit                string `query:"add-audit"`
	ListAudit               string `query:"list-audit"`
	ListAuditByUser         string `query:"list-audit-by-user"`
	ListAuditByStaff        string `query:"list-audit-by-staff"`
	ListAuditByUserAndStaff string `query:"list-audit-by-user-and-staff"`
	// Check-ins, surveys and kudos (checkin.go).
	CreateCheckin  string `query:"create-checkin"`
	CancelCheckins string `query:"cancel-checkins"`
	LockDueCheckin string `query:"lock-due-checkin"`
	LockCheckin    string `query:"lock-checkin"`
	GetCheckin     string `query:"get-checkin"`
	GetCheckins    string `query:"get-checkins"`
	UpdateCheckin  string `query:"update-checkin"`
	CreateSurvey   string `query:"create-survey"`
	LockSurvey     string `query:"lock-survey"`
	GetSurvey      string `query:"get-survey"`
	GetSurveys     string `query:"get-surveys"`
	AnswerSurvey   string `query:"answer-survey"`
	CreateKudos    string `query:"create-kudos"`
	GetKudos       string `query:"get-kudos"`
	// Service levels (sla.go).
	GetCalendars         string `query:"get-calendars"`
	GetCalendar          string `query:"get-calendar"`
	GetDefaultCalendar   string `query:"get-default-calendar"`
	ClearDefaultCalendar string `query:"clear-default-calendar"`
	CreateCalendar       string `query:"create-calendar"`
	UpdateCalendar       string `query:"update-calendar"`
	DeleteCalendar       string `query:"delete-calendar"`
	GetSLAPolicies       string `query:"get-sla-policies"`
	SaveSLAPolicy        string `query:"save-sla-policy"`
	GetSLAClock          string `query:"get-sla-clock"`
	GetSLAClocks         string `query:"get-sla-clocks"`
	SaveSLAClock         string `query:"save-sla-clock"`
	SaveTicketSLA        string `query:"save-ticket-sla"`
	LockDueSLATicket     string `query:"lock-due-sla-ticket"`
	LockStaleSLATickets  string `query:"lock-stale-sla-tickets"`
	LastTicketID         string `query:"last-ticket-id"`
	GetStaffIDs          string `query:"get-staff-ids"`
	RecheckSLAClocks     string `query:"recheck-sla-clocks"`
	// Supervisor reports (report.go).
	ReportCounts     string `query:"report-counts"`
	ReportFlows      string `query:"report-flows"`
	ReportComments   string `query:"report-comments"`
	ReportUser       string `query:"report-user"`
	ReportStrikes    string `query:"report-strikes"`
	ClearReports     string `query:"clear-reports"`
	FillReports      string `query:"fill-reports"`
	FillReportPeople string `query:"fill-report-people"`
	ReportZoneName   string `query:"report-zone-name"`
	SetReportZone    string `query:"set-report-zone-name"`
	ClearReportZone  string `query:"clear-report-zone"`
	AddReportZone    string `query:"add-report-zone"`
	LockReportZone   string `query:"lock-report-zone"`
	AnalyzeZone      string `query:"analyze-report-zone"`
}

// loadQueries reads the shared statements, applies the dialect's overrides
// and rewrites placeholders for the dialect.
func loadQueries(d dialect) (*queries, error) {
	named, err := parseDir(queryFS, "queries")
	if err != nil {
		return nil, err
	}
	over, err := parseDir(queryFS, "queries/"+d.name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for k, v := range over {
		if _, ok := named[k]; !ok {
			return nil, fmt.Errorf("queries/%s overrides unknown query %q", d.name, k)
		}
		named[k] = v
	}
	var q queries
	rv := reflect.ValueOf(&q).Elem()
	for i := 0; i < rv.NumField(); i++ {
		name := rv.Type().Field(i).Tag.Get("query")
		sql, ok := named[name]
		if !ok {
			return nil, fmt.Errorf("query %q not found in queries/*.sql", name)
		}
		rv.Field(i).SetString(d.rebind(sql))
	}
	return &q, nil
}

// parseDir returns the named statements of the .sql files directly in dir.
func parseDir(fsys fs.FS, dir string) (map[string]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		if err := parseNamed(string(b), out); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", dir, e.Name(), err)
		}
	}
	return out, nil
}

// parseNamed adds each "-- name: x" block of src to out. Other comment
// lines are dropped.
func parseNamed(src string, out map[string]string) error {
	var name string
	var body strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		sql := strings.TrimSuffix(strings.TrimSpace(body.String()), ";")
		if sql == "" {
			return fmt.Errorf("query %q is empty", name)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("query %q defined twice", name)
		}
		out[name] = sql
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if n, ok := strings.CutPrefix(line, "-- name:"); ok {
			if err := flush(); err != nil {
				return err
			}
			name = strings.TrimSpace(n)
			continue
		}
		if strings.HasPrefix(line, "--") || line == "" {
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

// rebindDollar turns ? placeholders into $1, $2, … outside of string literals.
func rebindDollar(sql string) string {
	var b strings.Builder
	n, inString := 0, false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
