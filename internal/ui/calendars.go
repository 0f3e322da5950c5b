package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
	"github.com/rapportdesk/rapport/internal/desk"
)

// Calendars and service levels (issue 9): the SLA page lists the policies
// and calendars (staff see them, administrators change them), and a
// calendar's page edits its hours, holidays and on-call periods and
// imports holidays from an iCalendar file or address.

// slaPage is the Calendars and service levels page.
type slaPage struct {
	Calendars []*calendarRow
	Policies  []*policyForm
	New       calendarForm
	Admin     bool
}

// calendarRow is a calendar in the list, with its state now.
type calendarRow struct {
	*rapport.Calendar
	Open     bool
	NextOpen *time.Time
	Hours    string
}

// policyForm is a priority's service level as typed, with its errors.
type policyForm struct {
	Priority                  rapport.Priority
	CalendarID                int64
	FirstResponse, Resolution string
	WarnPercent               string
	Error                     string
	Errors                    formErrors
}

// calendarForm is a calendar's form as typed, with its errors.
type calendarForm struct {
	ID                      int64
	Name, TimeZone          string
	Default                 bool
	Hours, Holidays, OnCall string
	Error                   string
	Errors                  formErrors
}

// calendarPage is one calendar's edit page.
type calendarPage struct {
	Calendar *rapport.Calendar
	Form     calendarForm
	Admin    bool
	// ImportError is what went wrong with the last import, if anything.
	ImportError string
	ImportURL   string
}

// slaOverview serves GET /calendars.
func (u *UI) slaOverview(w http.ResponseWriter, r *http.Request) error {
	return u.renderSLA(w, r, http.StatusOK, nil, nil)
}

func (u *UI) renderSLA(w http.ResponseWriter, r *http.Request, status int, typed *policyForm, newCal *calendarForm) error {
	cals, err := u.desk.CalendarsAsStaff(r.Context())
	if err != nil {
		return err
	}
	pols, err := u.desk.SLAPolicies(r.Context())
	if err != nil {
		return err
	}
	p := &slaPage{Admin: isAdmin(r), New: calendarForm{TimeZone: siteZone(u.site), Errors: formErrors{},
		Hours: "monday 09:00-17:00\ntuesday 09:00-17:00\nwednesday 09:00-17:00\nthursday 09:00-17:00\nfriday 09:00-17:00\n"}}
	if newCal != nil {
		p.New = *newCal
	}
	now := u.desk.Now()
	for _, c := range cals {
		row := &calendarRow{Calendar: c, Hours: strings.TrimSpace(strings.ReplaceAll(hoursText(c.Config.Hours), "\n", "; "))}
		if cal, err := bizhours.New(c.Config); err == nil {
			if row.Open = cal.IsOpen(now); !row.Open {
				if next, err := cal.NextOpen(now); err == nil {
					row.NextOpen = &next
				}
			}
		}
		p.Calendars = append(p.Calendars, row)
	}
	for _, prio := range []rapport.Priority{rapport.PriorityCritical, rapport.PriorityNormal} {
		f := &policyForm{Priority: prio, WarnPercent: strconv.Itoa(rapport.DefaultWarnPercent), Errors: formErrors{}}
		for _, pol := range pols {
			if pol.Priority == prio {
				f.CalendarID, f.FirstResponse, f.Resolution = pol.CalendarID, businessTime(pol.FirstResponse), businessTime(pol.Resolution)
				f.WarnPercent = strconv.Itoa(pol.WarnPercent)
			}
		}
		if typed != nil && typed.Priority == prio {
			f = typed
		}
		p.Policies = append(p.Policies, f)
	}
	u.render(w, r, status, "calendars", "Calendars and service levels", p)
	return nil
}

// parseTarget reads a business time like "1h", "8h 30m" or "90m".
func parseTarget(s string) (time.Duration, bool) {
	d, err := time.ParseDuration(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	return d, err == nil && d > 0
}

// setPolicy serves POST /sla-policies/{priority}.
func (u *UI) setPolicy(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &policyForm{Priority: rapport.Priority(r.PathValue("priority")), FirstResponse: r.PostFormValue("first_response"),
		Resolution: r.PostFormValue("resolution"), WarnPercent: r.PostFormValue("warn_percent"), Errors: formErrors{}}
	f.CalendarID, _ = strconv.ParseInt(r.PostFormValue("calendar_id"), 10, 64)
	if !f.Priority.Valid() {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no page at this address. It may have moved, or the link may be mistyped.")
	}
	var p rapport.Problems
	first, ok1 := parseTarget(f.FirstResponse)
	if !ok1 {
		p.Add("first_response", "Write the first response target in business hours and minutes, like 1h or 8h 30m.")
	}
	resolve, ok2 := parseTarget(f.Resolution)
	if !ok2 {
		p.Add("resolution", "Write the resolution target in business hours and minutes, like 8h or 40h.")
	}
	warn, err := strconv.Atoi(strings.TrimSpace(f.WarnPercent))
	if err != nil {
		p.Add("warn_percent", "Write the warning share as a whole percentage, like 75.")
	}
	err = p.Err()
	if err == nil {
		_, err = u.desk.SaveSLAPolicy(r.Context(), rapport.SLAPolicy{Priority: f.Priority, CalendarID: f.CalendarID,
			FirstResponse: first, Resolution: resolve, WarnPercent: warn})
	}
	if formMistake(err) {
		f.Error, f.Errors = rapport.ErrorMessage(err), fieldErrors(err)
		return u.renderSLA(w, r, http.StatusUnprocessableEntity, f, nil)
	} else if err != nil {
		return err
	}
	name := "Normal"
	if f.Priority == rapport.PriorityCritical {
		name = "Critical"
	}
	u.redirect(w, r, "/calendars", name+" service level saved. New tickets of that priority get it.")
	return nil
}

// maxCalendarForm bounds a calendar form: thousands of holiday lines.
const maxCalendarForm = 1 << 20

func readCalendarForm(w http.ResponseWriter, r *http.Request) (calendarForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxCalendarForm)
	if err := r.ParseForm(); err != nil {
		return calendarForm{}, rapport.Errorf(rapport.EINVALID, "The form could not be read; it may be too long. Please try again.")
	}
	return calendarForm{Name: r.PostFormValue("name"), TimeZone: r.PostFormValue("time_zone"), Default: r.PostFormValue("default") != "",
		Hours: r.PostFormValue("hours"), Holidays: r.PostFormValue("holidays"), OnCall: r.PostFormValue("on_call"), Errors: formErrors{}}, nil
}

// input reads f into a calendar's settings; problems name the lines.
func (f *calendarForm) input() (desk.CalendarInput, map[string][]int, error) {
	in := desk.CalendarInput{Name: f.Name, Default: f.Default, Config: rapport.CalendarConfig{TimeZone: f.TimeZone}}
	var p rapport.Problems
	lines := parseCalendarText(&in.Config, f.Hours, f.Holidays, f.OnCall, &p)
	return in, lines, p.Err()
}

// calendarMistake fills f's errors from err, with line numbers.
func (f *calendarForm) mistake(err error, lines map[string][]int) {
	f.Error = rapport.ErrorMessage(err)
	f.Errors = formErrors{}
	for _, fe := range lineProblems(rapport.ErrorFields(err), lines) {
		if prev, ok := f.Errors[fe.Field]; ok {
			f.Errors[fe.Field] = prev + " " + fe.Message
		} else {
			f.Errors[fe.Field] = fe.Message
		}
	}
}

// createCalendar serves POST /calendars.
func (u *UI) createCalendar(w http.ResponseWriter, r *http.Request) error {
	f, err := readCalendarForm(w, r)
	if err != nil {
		return err
	}
	in, lines, err := f.input()
	var c *rapport.Calendar
	if err == nil {
		c, err = u.desk.CreateCalendar(r.Context(), in)
	}
	if formMistake(err) {
		f.mistake(err, lines)
		return u.renderSLA(w, r, http.StatusUnprocessableEntity, nil, &f)
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/calendars/"+strconv.FormatInt(c.ID, 10), fmt.Sprintf("Calendar “%s” added.", c.Name))
	return nil
}

// calendar serves GET /calendars/{id}.
func (u *UI) calendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return u.renderCalendar(w, r, http.StatusOK, id, nil, "", "")
}

func (u *UI) renderCalendar(w http.ResponseWriter, r *http.Request, status int, id int64, f *calendarForm, importErr, importURL string) error {
	c, err := u.desk.CalendarAsStaff(r.Context(), id)
	if err != nil {
		return err
	}
	p := &calendarPage{Calendar: c, Admin: isAdmin(r), ImportError: importErr, ImportURL: importURL}
	if f != nil {
		p.Form = *f
	} else {
		p.Form = calendarForm{Name: c.Name, TimeZone: c.Config.TimeZone, Default: c.Default, Hours: hoursText(c.Config.Hours),
			Holidays: holidaysText(c.Config.Holidays), OnCall: onCallText(c.Config.OnCall), Errors: formErrors{}}
	}
	p.Form.ID = c.ID
	u.render(w, r, status, "calendar", c.Name, p)
	return nil
}

// updateCalendar serves POST /calendars/{id}.
func (u *UI) updateCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := readCalendarForm(w, r)
	if err != nil {
		return err
	}
	in, lines, err := f.input()
	var c *rapport.Calendar
	if err == nil {
		c, err = u.desk.UpdateCalendar(r.Context(), id, in)
	}
	if formMistake(err) {
		f.mistake(err, lines)
		return u.renderCalendar(w, r, http.StatusUnprocessableEntity, id, &f, "", "")
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/calendars/"+strconv.FormatInt(c.ID, 10), fmt.Sprintf("Calendar “%s” saved.", c.Name))
	return nil
}

// deleteCalendar serves POST /calendars/{id}/delete.
func (u *UI) deleteCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = u.desk.DeleteCalendar(r.Context(), id)
	if rapport.ErrorCode(err) == rapport.ECONFLICT {
		u.redirect(w, r, "/calendars/"+strconv.FormatInt(id, 10), rapport.ErrorMessage(err))
		return nil
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/calendars", "Calendar deleted.")
	return nil
}

// importHolidays serves POST /calendars/{id}/import: an uploaded
// iCalendar file, or an address to fetch one from.
func (u *UI) importHolidays(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, bizhours.DefaultMaxICSBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return u.renderCalendar(w, r, http.StatusUnprocessableEntity, id, nil,
				fmt.Sprintf("The file is larger than %d MB; a holiday calendar is far smaller.", bizhours.DefaultMaxICSBytes>>20), "")
		}
		return rapport.Errorf(rapport.EINVALID, "The form could not be read; please try again.")
	}
	addr := strings.TrimSpace(r.PostFormValue("url"))
	var c *rapport.Calendar
	var n int
	file, _, ferr := r.FormFile("file")
	switch {
	case ferr == nil:
		defer file.Close()
		c, n, err = u.desk.ImportICSAsAdmin(r.Context(), id, file)
	case addr != "":
		c, n, err = u.desk.ImportICSURLAsAdmin(r.Context(), id, addr)
	default:
		err = rapport.Invalid("file", "Choose an iCalendar (.ics) file, or give the address of one.")
	}
	if rapport.ErrorCode(err) == rapport.EINVALID {
		return u.renderCalendar(w, r, http.StatusUnprocessableEntity, id, nil, rapport.ErrorMessage(err)+" "+fieldText(err), addr)
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/calendars/"+strconv.FormatInt(c.ID, 10), fmt.Sprintf("Added %d holidays to “%s”.", n, c.Name))
	return nil
}

// fieldText joins an error's field messages.
func fieldText(err error) string {
	var out []string
	for _, f := range rapport.ErrorFields(err) {
		out = append(out, f.Message)
	}
	return strings.Join(out, " ")
}

// siteZone names the site's zone, the new calendar's default.
func siteZone(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}
