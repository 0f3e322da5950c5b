// Package notice writes and sends the mail notices that keep people
// informed (issue 7, "Mail out"): to requesters, their request received
// with its place in the queue and expected wait, staff replies, holds with
// their expected date (set, changed, near), resolution with how to reopen,
// reopening; to staff, new critical tickets, tickets given to them and
// requesters' replies.
//
// internal/desk queues a notice job (desk.NoticeJob) in the transaction of
// the change it tells about; the Mailer handles those jobs on the runner.
// Each notice is one mail per recipient, written from an embedded template
// in plain text with an HTML alternative, and sent once: its Message-ID is
// stable (mail.IDs with the notice's key), and a sent mail is recorded, so
// a retried job skips what went out already.
package notice

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/jobs"
	"github.com/rapportdesk/rapport/internal/mail"
)

//go:embed templates
var templateFS embed.FS

var (
	textTemplates = parseNotices()
	htmlLayout    = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html"))
)

// parseNotices parses each notice's template on its own, since each
// defines its own "subject".
func parseNotices() map[desk.NoticeKind]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.txt")
	if err != nil {
		panic(err)
	}
	out := map[desk.NoticeKind]*template.Template{}
	for _, name := range names {
		kind := strings.TrimSuffix(path.Base(name), ".txt")
		out[desk.NoticeKind(kind)] = template.Must(template.New(path.Base(name)).ParseFS(templateFS, name))
	}
	return out
}

// DefaultPerHour is how many automatic notices one address may receive in
// an hour: past it, more are dropped (a mail loop, or a flood). A staff
// reply is never dropped.
const DefaultPerHour = 20

// Sender sends one mail; *mail.Sender is the real one.
type Sender interface {
	Send(ctx context.Context, m *mail.Message) error
}

// Mailer turns notice jobs into mail.
type Mailer struct {
	Desk   *desk.Desk
	Store  rapport.Store
	Sender Sender
	// IDs makes the Message-IDs (the store's mail secret, the domain of
	// RAPPORT_MAIL_FROM).
	IDs mail.IDs
	// DeskName signs the notices and names the sender ("Help desk" when
	// empty).
	DeskName string
	// PublicURL is where people open Rapport, for links to tickets.
	PublicURL string
	// Contact is how to reach the help desk (its address or phone), for
	// the signature of a staff member who gave no phone number.
	Contact string
	// PerHour: see DefaultPerHour (used when zero).
	PerHour int
	Now     func() time.Time
	Log     *slog.Logger

	// limits serialises the automatic mail to one address on this node,
	// so that concurrent notices cannot all pass the rate limit's count.
	// Across nodes the limit is approximate, which loop protection allows.
	limits sync.Map // address -> *sync.Mutex
}

// Register makes m the handler of notice jobs on r.
func (m *Mailer) Register(r *jobs.Runner) { jobs.Handle(r, desk.NoticeJob, m.Handle) }

// GreetingName is what a notice calls u: see rapport.User.GreetingName.
func GreetingName(u *rapport.User) string { return u.GreetingName() }

func (m *Mailer) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return rapport.Now()
}

func (m *Mailer) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

// Handle sends the notice n to each of its recipients not yet sent to.
func (m *Mailer) Handle(ctx context.Context, _ *rapport.Job, n desk.Notice) error {
	t, err := m.Desk.NoticeTicket(ctx, n.TicketID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return jobs.Permanent(err)
	} else if err != nil {
		return err
	}
	if n.Kind == desk.NoticeWaitingNear && (t.Status != rapport.StatusWaiting || t.Hold == nil ||
		t.Hold.Until == nil || n.Until == nil || !t.Hold.Until.Equal(*n.Until)) {
		return nil // the hold ended or its date moved: the reminder is moot
	}
	if n.Kind == desk.NoticeCheckin && t.Status != rapport.StatusResolved {
		return nil // reopened or closed since: "still working?" is moot
	}
	to, err := m.recipients(ctx, n)
	if err != nil {
		return err
	}
	for _, u := range to {
		key := n.Key
		if n.To == 0 {
			key += ":" + strconv.FormatInt(u.ID, 10)
		}
		if err := m.send(ctx, n, t, u, m.IDs.New(t.ID, key)); err != nil {
			return err
		}
	}
	return nil
}

// recipients returns who n goes to: its user, or every member of staff
// (for a strike, every supervisor and admin). Disabled accounts get
// nothing.
func (m *Mailer) recipients(ctx context.Context, n desk.Notice) ([]*rapport.User, error) {
	if n.To != 0 {
		u, err := m.Store.FindUserByID(ctx, n.To)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if u.DisabledAt != nil {
			return nil, nil
		}
		return []*rapport.User{u}, nil
	}
	var out []*rapport.User
	roles := []rapport.Role{rapport.RoleAgent, rapport.RoleSupervisor, rapport.RoleAdmin}
	if n.Kind == desk.NoticeStrike || n.Kind == desk.NoticeComplaint {
		roles = roles[1:] // strikes and complaints are the supervisors' to know
	}
	for _, role := range roles {
		for after := ""; ; {
			us, next, err := m.Store.FindUsers(ctx, rapport.UserFilter{Role: role, After: after, Limit: 200})
			if err != nil {
				return nil, err
			}
			for _, u := range us {
				if u.DisabledAt == nil {
					out = append(out, u)
				}
			}
			if next == "" {
				break
			}
			after = next
		}
	}
	return out, nil
}

// send mails one notice to u unless it went out already or u's automatic
// mail is over the rate limit.
func (m *Mailer) send(ctx context.Context, n desk.Notice, t *rapport.Ticket, u *rapport.User, msgID string) error {
	if _, err := m.Store.FindSentMail(ctx, msgID); err == nil {
		return nil // sent on an earlier attempt
	} else if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return err
	}
	if n.Kind.Automatic() {
		mu, _ := m.limits.LoadOrStore(u.Email, &sync.Mutex{})
		mu.(*sync.Mutex).Lock()
		defer mu.(*sync.Mutex).Unlock()
	}
	now := m.now()
	if n.Kind.Automatic() {
		perHour := m.PerHour
		if perHour <= 0 {
			perHour = DefaultPerHour
		}
		count, err := m.Store.CountAutomaticMail(ctx, u.Email, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if count >= perHour {
			m.log().Warn("automatic mail dropped: too many to this address in the last hour (loop protection)",
				"to", u.Email, "notice", n.Kind, "ticket", t.ID, "sent_last_hour", count)
			return nil
		}
	}
	msg, err := m.Render(n, t, u)
	if err != nil {
		return jobs.Permanent(err)
	}
	msg.MessageID = msgID
	// Thread on what this person received about the ticket before.
	refs, err := m.Store.FindTicketMessageIDs(ctx, t.ID, u.Email, 20)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		msg.References, msg.InReplyTo = refs, refs[len(refs)-1]
	}
	if err := m.Sender.Send(ctx, msg); err != nil {
		var rejected *mail.RejectedError
		if errors.As(err, &rejected) {
			return jobs.Permanent(err)
		}
		return err
	}
	// Should this record fail, the retry sends again with the same
	// Message-ID, which receiving systems recognise as one message.
	return m.Store.Update(context.WithoutCancel(ctx), func(tx rapport.Tx) error {
		return tx.RecordSentMail(ctx, &rapport.SentMail{MessageID: msgID, TicketID: t.ID, To: u.Email,
			Automatic: n.Kind.Automatic(), SentAt: now})
	})
}

// view is what the templates see.
type view struct {
	Name       string // whom the notice greets
	Ticket     *rapport.Ticket
	Tag        string // "[#42]": replies keep it, and it threads them
	Body, By   string
	Requester  string
	Position   int
	Wait       string
	Critical   bool
	Impact     string
	Until      string
	Before     string
	ReopenDays int
	Link       string
	Desk       string
	// Signature signs a staff reply or resolution: the person's name, the
	// desk, and their phone number, else the desk's contact.
	Signature string
	Step      int // a strike's step (1 to 3)
	// The one-click links of a check-in mail, and a survey's score.
	CheckinYes, CheckinNo, SurveyLink string
	Score                             int
	// Target and Due name an SLA target ("first response") and when it is
	// or was due, in the reader's time zone (NoticeSLAWarning, NoticeSLABreach).
	Target, Due string
}

// Render writes the notice n about t for u: subject, plain text and HTML.
func (m *Mailer) Render(n desk.Notice, t *rapport.Ticket, u *rapport.User) (*mail.Message, error) {
	tmpl := textTemplates[n.Kind]
	if tmpl == nil {
		return nil, fmt.Errorf("no template for notice %q", n.Kind)
	}
	deskName := m.DeskName
	if deskName == "" {
		deskName = "Help desk"
	}
	v := view{Name: GreetingName(u), Ticket: t, Tag: "[#" + strconv.FormatInt(t.ID, 10) + "]",
		Body: n.Body, By: n.By, Desk: deskName, Critical: t.Priority == rapport.PriorityCritical,
		Link: strings.TrimSuffix(m.PublicURL, "/") + "/tickets/" + strconv.FormatInt(t.ID, 10), Step: n.Step}
	v.Signature = m.signature(n)
	v.Score = n.Score
	if n.CheckinToken != "" {
		base := strings.TrimSuffix(m.PublicURL, "/")
		v.CheckinYes = base + "/checkin/" + n.CheckinToken + "?answer=fixed"
		v.CheckinNo = base + "/checkin/" + n.CheckinToken + "?answer=back"
		v.SurveyLink = base + "/survey/" + n.SurveyToken
	}
	if v.By == "" {
		v.By = "The help desk"
	}
	if t.Requester != nil {
		v.Requester = t.Requester.Name
	}
	if t.QueuePosition != nil {
		v.Position = *t.QueuePosition
	}
	if t.ExpectedWait != nil && t.ExpectedWait.Known() {
		v.Wait = t.ExpectedWait.String()
	}
	v.Impact = impact(t.Impact)
	v.Until, v.Before = day(n.Until), day(n.Before)
	if n.Kind == desk.NoticeSLAWarning || n.Kind == desk.NoticeSLABreach {
		v.Body = "" // the target's name, not words to quote
		v.Target, v.Due = slaTarget(n.Body), dueIn(n.Until, u)
	}
	if w := m.Desk.ReopenWindow; w > 0 {
		v.ReopenDays = int(w / (24 * time.Hour))
	}
	var text, subject bytes.Buffer
	if err := tmpl.ExecuteTemplate(&subject, "subject", v); err != nil {
		return nil, err
	}
	if err := tmpl.Execute(&text, v); err != nil {
		return nil, err
	}
	msg := &mail.Message{FromName: deskName, To: u.Email, ToName: u.Name,
		Subject: strings.TrimSpace(subject.String()), Text: tidy(text.String())}
	if (n.Kind == desk.NoticeReply || n.Kind == desk.NoticeBoundary) && n.By != "" {
		msg.FromName = n.By + " (" + deskName + ")" // a person wrote it
	}
	if n.Kind.Automatic() {
		// RFC 3834: a receipt for a mail is a direct answer to it
		// (auto-replied); every other notice is auto-generated. A staff
		// reply is a person's words and carries neither.
		msg.AutoSubmitted = "auto-generated"
		if n.Kind == desk.NoticeReceived && n.Channel == rapport.ChannelEmail {
			msg.AutoSubmitted = "auto-replied"
		}
	}
	var html bytes.Buffer
	if err := htmlLayout.Execute(&html, htmlView{Subject: msg.Subject, Paragraphs: paragraphs(msg.Text, n.Body, v.Link, v.CheckinYes, v.CheckinNo, v.SurveyLink)}); err != nil {
		return nil, err
	}
	msg.HTML = html.String()
	return msg, nil
}

// signature signs a notice: who wrote it and how to reach them by phone,
// so that "call me" works both ways; without their number, the desk's
// contact. Rapport's own notices are signed by the desk alone.
func (m *Mailer) signature(n desk.Notice) string {
	deskName := m.DeskName
	if deskName == "" {
		deskName = "Help desk"
	}
	if n.By == "" {
		return deskName
	}
	lines := []string{n.By, deskName}
	switch {
	case n.ByPhone != "":
		lines = append(lines, "Phone: "+n.ByPhone)
	case m.Contact != "":
		lines = append(lines, "Contact: "+m.Contact)
	}
	return strings.Join(lines, "\n")
}

// slaTarget names an SLA target in words.
func slaTarget(target string) string {
	if target == string(rapport.SLAResolution) {
		return "resolution"
	}
	return "first response"
}

// dueIn is a due time as the reader's clock shows it (their profile's
// zone, else UTC), to the minute.
func dueIn(t *time.Time, u *rapport.User) string {
	if t == nil {
		return ""
	}
	loc := time.UTC
	if u.TimeZone != "" {
		if l, err := time.LoadLocation(u.TimeZone); err == nil {
			loc = l
		}
	}
	return t.In(loc).Format("Monday 2 January 15:04 MST")
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("Monday 2 January 2006")
}

func impact(i rapport.Impact) string {
	var why []string
	if i.Outage {
		why = append(why, "a system is down for everyone")
	}
	if i.CostsMoney {
		why = append(why, "it is costing money right now")
	}
	if i.BlocksWork {
		why = append(why, "they cannot work at all")
	}
	if len(why) == 0 {
		return ""
	}
	return "They told us: " + strings.Join(why, "; ") + "."
}

// tidy trims the template's spacing: no run of blank lines, no trailing
// spaces.
func tidy(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" && len(out) > 0 && out[len(out)-1] == "" {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

type htmlView struct {
	Subject    string
	Paragraphs []para
}

type para struct {
	Quote bool // a person's words, quoted as they wrote them
	Lines []line
}

type line struct{ Text, Link string }

// paragraphs splits the plain text into the HTML version's paragraphs:
// the person's words (body) as a quote, the ticket link and the other
// links as links.
func paragraphs(text, body string, links ...string) []para {
	var out []para
	add := func(s string, quote bool) {
		for _, p := range strings.Split(s, "\n\n") {
			if p = strings.Trim(p, "\n"); p == "" {
				continue
			}
			var ls []line
			for _, l := range strings.Split(p, "\n") {
				if isLink(l, links) {
					ls = append(ls, line{Text: l, Link: l})
				} else {
					ls = append(ls, line{Text: l})
				}
			}
			out = append(out, para{Quote: quote, Lines: ls})
		}
	}
	body = strings.TrimSpace(body)
	if i := strings.Index(text, body); body != "" && i >= 0 {
		add(text[:i], false)
		out = append(out, para{Quote: true, Lines: splitLines(body)})
		add(text[i+len(body):], false)
		return out
	}
	add(text, false)
	return out
}

func isLink(l string, links []string) bool {
	for _, k := range links {
		if k != "" && l == k {
			return true
		}
	}
	return false
}

func splitLines(s string) []line {
	var ls []line
	for _, l := range strings.Split(s, "\n") {
		ls = append(ls, line{Text: l})
	}
	return ls
}
