package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
	"github.com/rapportdesk/rapport/internal/sla"
)

// Calendars and SLA policies: staff read them, administrators change them.

// SetupSLA gives a fresh install its default calendar (Monday to Friday,
// 09:00-17:00 in zone) and the default policies; it does nothing once
// any calendar exists. Several nodes may start at once: one of them sets
// it up and the others find it done.
func (d *Desk) SetupSLA(ctx context.Context, zone string) error {
	now := d.now()
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		cals, err := tx.FindCalendars(ctx)
		if err != nil || len(cals) > 0 {
			return err
		}
		c := sla.DefaultCalendar(zone, now)
		if _, err := bizhours.New(c.Config); err != nil {
			return fmt.Errorf("default calendar in %q: %w", zone, err)
		}
		if err := tx.CreateCalendar(ctx, c); err != nil {
			return err
		}
		for _, p := range sla.DefaultPolicies(c.ID, now) {
			if err := tx.SaveSLAPolicy(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if rapport.ErrorCode(err) == rapport.EINVALID || rapport.ErrorCode(err) == rapport.ECONFLICT {
		// Another node made it first (the name is taken).
		if cals, ferr := d.store.FindCalendars(ctx); ferr == nil && len(cals) > 0 {
			return nil
		}
	}
	return err
}

// Calendars returns every calendar, the default first. Like Jobs, it
// checks no one: it serves `rapport calendars` on the machine itself.
func (d *Desk) Calendars(ctx context.Context) ([]*rapport.Calendar, error) {
	return d.store.FindCalendars(ctx)
}

// Calendar returns one calendar, checking no one (see Calendars).
func (d *Desk) Calendar(ctx context.Context, id int64) (*rapport.Calendar, error) {
	return d.store.FindCalendar(ctx, id)
}

// CalendarsAsStaff is Calendars for members of staff.
func (d *Desk) CalendarsAsStaff(ctx context.Context) ([]*rapport.Calendar, error) {
	if _, err := staff(ctx, "see the calendars"); err != nil {
		return nil, err
	}
	return d.Calendars(ctx)
}

// CalendarAsStaff is Calendar for members of staff.
func (d *Desk) CalendarAsStaff(ctx context.Context, id int64) (*rapport.Calendar, error) {
	if _, err := staff(ctx, "see the calendars"); err != nil {
		return nil, err
	}
	return d.Calendar(ctx, id)
}

// CalendarInput is a calendar as an administrator enters it.
type CalendarInput struct {
	Name    string
	Default bool
	Config  rapport.CalendarConfig
}

// check cleans in into c and reports every problem at once.
func checkCalendar(c *rapport.Calendar) error {
	var p rapport.Problems
	c.CleanName(&p)
	c.Config.TimeZone = strings.TrimSpace(c.Config.TimeZone)
	if _, err := bizhours.New(c.Config); err != nil {
		var e *rapport.Error
		if !errors.As(err, &e) {
			return err
		}
		p = append(p, e.Fields...)
		if len(e.Fields) == 0 {
			p.Add("hours", "%s", e.Message)
		}
	}
	return p.Err()
}

// CreateCalendar adds a calendar.
func (d *Desk) CreateCalendar(ctx context.Context, in CalendarInput) (*rapport.Calendar, error) {
	if _, err := admin(ctx, "change calendars"); err != nil {
		return nil, err
	}
	now := d.now()
	c := &rapport.Calendar{Name: in.Name, Default: in.Default, Config: in.Config, CreatedAt: now, UpdatedAt: now}
	if err := checkCalendar(c); err != nil {
		return nil, err
	}
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		if !c.Default { // the first calendar is the default, whatever was asked
			if _, err := tx.FindDefaultCalendar(ctx); rapport.ErrorCode(err) == rapport.ENOTFOUND {
				c.Default = true
			} else if err != nil {
				return err
			}
		}
		return tx.CreateCalendar(ctx, c)
	})
	return c, err
}

// UpdateCalendar replaces calendar id's name, default flag and settings.
// The default calendar stays the default until another one takes over.
func (d *Desk) UpdateCalendar(ctx context.Context, id int64, in CalendarInput) (*rapport.Calendar, error) {
	if _, err := admin(ctx, "change calendars"); err != nil {
		return nil, err
	}
	var c *rapport.Calendar
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if c, err = tx.FindCalendar(ctx, id); err != nil {
			return err
		}
		if c.Default && !in.Default {
			return rapport.Invalid("default", "This is the default calendar. Make another calendar the default instead.")
		}
		c.Name, c.Default, c.Config, c.UpdatedAt = in.Name, in.Default, in.Config, d.now()
		if err := checkCalendar(c); err != nil {
			return err
		}
		if err := tx.UpdateCalendar(ctx, c); err != nil {
			return err
		}
		return recheck(ctx, tx, c, d.now())
	})
	return c, err
}

// DeleteCalendar deletes a calendar no policy counts on and that is not
// the default. Tickets whose clocks ran on it go on with the default.
func (d *Desk) DeleteCalendar(ctx context.Context, id int64) error {
	if _, err := admin(ctx, "change calendars"); err != nil {
		return err
	}
	return d.store.Update(ctx, func(tx rapport.Tx) error {
		c, err := tx.FindCalendar(ctx, id)
		if err != nil {
			return err
		}
		if c.Default {
			return rapport.Errorf(rapport.ECONFLICT, "%q is the default calendar. Make another calendar the default before deleting this one.", c.Name)
		}
		pols, err := tx.FindSLAPolicies(ctx)
		if err != nil {
			return err
		}
		for _, p := range pols {
			if p.CalendarID == id {
				return rapport.Errorf(rapport.ECONFLICT, "The %s service level counts on %q. Choose another calendar for it first.", p.Priority, c.Name)
			}
		}
		// Its clocks go on with the default: their due times move.
		if _, err := tx.RecheckSLAClocks(ctx, id, false, d.now()); err != nil {
			return err
		}
		return tx.DeleteCalendar(ctx, id)
	})
}

// ICS import limits: how far back and ahead recurring holidays are read.
const (
	icsBack  = 365 * 24 * time.Hour
	icsAhead = 5 * 365 * 24 * time.Hour
	// ICSFetchTimeout bounds fetching an iCalendar file from a URL.
	ICSFetchTimeout = 15 * time.Second
)

// ImportICS adds the events of an iCalendar file to calendar id as
// holidays, recurring ones from a year back to five years ahead, and
// returns the calendar and how many holidays were new. A bad file changes
// nothing. It checks no one (see Calendars); the API uses ImportICSAsAdmin.
func (d *Desk) ImportICS(ctx context.Context, id int64, r io.Reader) (*rapport.Calendar, int, error) {
	current, err := d.store.FindCalendar(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	now := d.now()
	hs, err := bizhours.ParseICS(r, bizhours.ImportOptions{TimeZone: current.Config.TimeZone,
		From: now.Add(-icsBack), To: now.Add(icsAhead)})
	if err != nil {
		return nil, 0, err
	}
	var c *rapport.Calendar
	added := 0
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if c, err = tx.FindCalendar(ctx, id); err != nil {
			return err
		}
		added = 0
		for _, h := range hs {
			if !slices.ContainsFunc(c.Config.Holidays, func(x rapport.Holiday) bool { return sameHoliday(x, h) }) {
				c.Config.Holidays = append(c.Config.Holidays, h)
				added++
			}
		}
		c.UpdatedAt = now
		if err := checkCalendar(c); err != nil {
			return err
		}
		if err := tx.UpdateCalendar(ctx, c); err != nil {
			return err
		}
		return recheck(ctx, tx, c, now)
	})
	return c, added, err
}

func sameHoliday(a, b rapport.Holiday) bool {
	return a.Name == b.Name && a.Date == b.Date && a.Until == b.Until && a.From == b.From && a.To == b.To &&
		a.Start.Equal(b.Start) && a.End.Equal(b.End)
}

// ImportICSAsAdmin is ImportICS for administrators.
func (d *Desk) ImportICSAsAdmin(ctx context.Context, id int64, r io.Reader) (*rapport.Calendar, int, error) {
	if _, err := admin(ctx, "change calendars"); err != nil {
		return nil, 0, err
	}
	return d.ImportICS(ctx, id, r)
}

// ImportICSURLAsAdmin is ImportICSURL for administrators.
func (d *Desk) ImportICSURLAsAdmin(ctx context.Context, id int64, rawURL string) (*rapport.Calendar, int, error) {
	if _, err := admin(ctx, "change calendars"); err != nil {
		return nil, 0, err
	}
	return d.ImportICSURL(ctx, id, rawURL)
}

// ImportICSURL fetches an iCalendar file over HTTP(S), within
// ICSFetchTimeout and the size limit of ParseICS, and imports it as
// ImportICS does. A failed fetch is a plain error and changes nothing.
// It checks no one (see Calendars).
func (d *Desk) ImportICSURL(ctx context.Context, id int64, rawURL string) (*rapport.Calendar, int, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, 0, rapport.Invalid("url", "Give the full address of the calendar file, starting with https://.")
	}
	ctx, cancel := context.WithTimeout(ctx, ICSFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, rapport.Invalid("url", "That address cannot be fetched.")
	}
	req.Header.Set("Accept", "text/calendar")
	client := d.HTTPClient
	if client == nil {
		client = publicClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errPrivateAddress) {
			return nil, 0, rapport.Invalid("url", "%s is an address inside this network, which Rapport does not fetch from; download the file and upload it instead.", u.Host)
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, 0, rapport.Invalid("url", "The calendar at %s did not answer within %d seconds.", u.Host, int(ICSFetchTimeout/time.Second))
		}
		return nil, 0, rapport.Invalid("url", "We could not reach %s to fetch the calendar.", u.Host)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, rapport.Invalid("url", "%s answered %q instead of the calendar file.", u.Host, resp.Status)
	}
	// ParseICS stops reading past its limit with a plain error.
	c, n, err := d.ImportICS(ctx, id, resp.Body)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, 0, rapport.Invalid("url", "The calendar at %s took longer than %d seconds to download.", u.Host, int(ICSFetchTimeout/time.Second))
	}
	return c, n, err
}

// errPrivateAddress is why publicClient refuses a connection.
var errPrivateAddress = errors.New("not a public address")

// publicClient fetches calendar files from public addresses only, so
// that an address typed on the calendar page cannot reach services
// inside the network (loopback, private ranges, link-local metadata
// endpoints). The check runs on the address actually dialled, after DNS
// and after any redirect.
var publicClient = &http.Client{Transport: &http.Transport{
	Proxy: http.ProxyFromEnvironment,
	DialContext: (&net.Dialer{Timeout: ICSFetchTimeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !publicAddr(ip) {
			return errPrivateAddress
		}
		return nil
	}}).DialContext,
	TLSHandshakeTimeout: ICSFetchTimeout,
}}

// publicAddr reports whether ip is on the public internet.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !cgnat.Contains(ip)
}

// SLAPolicies returns the service level of each priority.
func (d *Desk) SLAPolicies(ctx context.Context) ([]*rapport.SLAPolicy, error) {
	if _, err := staff(ctx, "see the service levels"); err != nil {
		return nil, err
	}
	return d.store.FindSLAPolicies(ctx)
}

// SaveSLAPolicy sets the service level of p.Priority. New tickets and
// tickets triaged to that priority get it at once; the open tickets of
// that priority take it on the next check-slas pass (CatchUpSLAs), in
// batches.
func (d *Desk) SaveSLAPolicy(ctx context.Context, p rapport.SLAPolicy) (*rapport.SLAPolicy, error) {
	if _, err := admin(ctx, "change the service levels"); err != nil {
		return nil, err
	}
	p.UpdatedAt = d.now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		if _, err := tx.FindCalendar(ctx, p.CalendarID); rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return rapport.Invalid("calendar_id", "There is no calendar %d.", p.CalendarID)
		} else if err != nil {
			return err
		}
		return tx.SaveSLAPolicy(ctx, &p)
	})
	return &p, err
}

// DeskHours says whether the help desk is open now on its default
// calendar and, when closed, when it opens next (nil when the calendar
// never opens again); a zero answer (open, nil) when there is no
// calendar. Anyone signed in may ask: requesters see it in the portal.
func (d *Desk) DeskHours(ctx context.Context) (open bool, next *time.Time, err error) {
	if _, err := actor(ctx); err != nil {
		return false, nil, err
	}
	cals, err := d.store.FindCalendars(ctx)
	if err != nil {
		return false, nil, err
	}
	c := pick(cals, 0)
	if c == nil {
		return true, nil, nil
	}
	cal, err := d.calendars.compile(c)
	if err != nil {
		return false, nil, err
	}
	now := d.now()
	if cal.IsOpen(now) {
		return true, nil, nil
	}
	if at, err := cal.NextOpen(now); err == nil {
		at = at.UTC()
		return false, &at, nil
	}
	return false, nil, nil
}

// recheck makes the running clocks on c due for a check: its hours or
// holidays may have moved their due times either way. A new default also
// takes the clocks whose calendar was deleted. Taking the default away
// from another calendar is rechecked through c, which takes them over.
func recheck(ctx context.Context, tx rapport.Tx, c *rapport.Calendar, now time.Time) error {
	_, err := tx.RecheckSLAClocks(ctx, c.ID, c.Default, now)
	return err
}
