package api

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// Service levels: a ticket's sla (staff), calendars and SLA policies.

// slaJSON is where a ticket stands against its targets.
type slaJSON struct {
	FirstResponse slaTargetJSON `json:"first_response"`
	Resolution    slaTargetJSON `json:"resolution"`
}

// slaTargetJSON is one target. remaining_seconds is business time,
// negative once over; met is null until decided.
type slaTargetJSON struct {
	TargetSeconds    int64      `json:"target_seconds"`
	DueAt            *time.Time `json:"due_at"`
	Breached         bool       `json:"breached"`
	RemainingSeconds int64      `json:"remaining_seconds"`
	Paused           bool       `json:"paused"`
	Met              *bool      `json:"met"`
}

func toSLATarget(p rapport.SLAProgress) slaTargetJSON {
	return slaTargetJSON{TargetSeconds: int64(p.Target / time.Second), DueAt: p.Due, Breached: p.Breached,
		RemainingSeconds: int64(p.Remaining / time.Second), Paused: p.Paused, Met: p.Met}
}

func toSLA(s *rapport.SLAStatus) *slaJSON {
	if s == nil {
		return nil
	}
	return &slaJSON{FirstResponse: toSLATarget(s.FirstResponse), Resolution: toSLATarget(s.Resolution)}
}

// calendarJSON is a calendar with its settings inline, and whether it is
// open now and when it opens next (null when open, or never).
type calendarJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Default bool   `json:"default"`
	rapport.CalendarConfig
	OpenNow    bool       `json:"open_now"`
	NextOpenAt *time.Time `json:"next_open_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

func (h *Handler) toCalendar(c *rapport.Calendar) *calendarJSON {
	out := &calendarJSON{ID: c.ID, Name: c.Name, Default: c.Default, CalendarConfig: c.Config,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if out.Hours == nil {
		out.Hours = []rapport.OfficeHours{}
	}
	if cal, err := bizhours.New(c.Config); err == nil {
		now := h.desk.Now()
		if out.OpenNow = cal.IsOpen(now); !out.OpenNow {
			if next, err := cal.NextOpen(now); err == nil {
				next = next.UTC()
				out.NextOpenAt = &next
			}
		}
	}
	return out
}

// calendarInJSON is a calendar as sent to create or replace one.
type calendarInJSON struct {
	Name    string `json:"name"`
	Default bool   `json:"default"`
	rapport.CalendarConfig
}

func calendarID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no calendar %q: calendar numbers are whole numbers like 2.", r.PathValue("id"))
	}
	return id, nil
}

func (h *Handler) listCalendars(w http.ResponseWriter, r *http.Request) error {
	cs, err := h.desk.CalendarsAsStaff(r.Context())
	if err != nil {
		return err
	}
	out := make([]*calendarJSON, len(cs))
	for i, c := range cs {
		out[i] = h.toCalendar(c)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"calendars": out})
}

func (h *Handler) getCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarID(r)
	if err != nil {
		return err
	}
	c, err := h.desk.CalendarAsStaff(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, h.toCalendar(c))
}

func (h *Handler) createCalendar(w http.ResponseWriter, r *http.Request) error {
	var in calendarInJSON
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	c, err := h.desk.CreateCalendar(r.Context(), desk.CalendarInput{Name: in.Name, Default: in.Default, Config: in.CalendarConfig})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/calendars/"+strconv.FormatInt(c.ID, 10))
	return web.JSON(w, http.StatusCreated, h.toCalendar(c))
}

// replaceCalendar replaces a calendar's name, default flag and settings.
func (h *Handler) replaceCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarID(r)
	if err != nil {
		return err
	}
	var in calendarInJSON
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	c, err := h.desk.UpdateCalendar(r.Context(), id, desk.CalendarInput{Name: in.Name, Default: in.Default, Config: in.CalendarConfig})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, h.toCalendar(c))
}

func (h *Handler) deleteCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarID(r)
	if err != nil {
		return err
	}
	if err := h.desk.DeleteCalendar(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importHolidays adds the events of an iCalendar file to a calendar as
// holidays: the file itself (Content-Type text/calendar), or {"url": …}
// to fetch it from.
func (h *Handler) importHolidays(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarID(r)
	if err != nil {
		return err
	}
	var c *rapport.Calendar
	var n int
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "text/calendar" {
		body := http.MaxBytesReader(w, r.Body, bizhours.DefaultMaxICSBytes+1)
		c, n, err = h.desk.ImportICSAsAdmin(r.Context(), id, body)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return rapport.Errorf(rapport.ETOOLARGE, "The calendar file is larger than %d MB; a holiday calendar is far smaller.", bizhours.DefaultMaxICSBytes>>20)
		}
	} else {
		var in struct {
			URL string `json:"url"`
		}
		if err := web.Decode(w, r, &in); err != nil {
			return err
		}
		c, n, err = h.desk.ImportICSURLAsAdmin(r.Context(), id, in.URL)
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"imported": n, "calendar": h.toCalendar(c)})
}

// slaPolicyJSON is the service level of one priority, in business minutes.
type slaPolicyJSON struct {
	Priority             string    `json:"priority"`
	CalendarID           int64     `json:"calendar_id"`
	FirstResponseMinutes int64     `json:"first_response_minutes"`
	ResolutionMinutes    int64     `json:"resolution_minutes"`
	WarnPercent          int       `json:"warn_percent"`
	UpdatedAt            time.Time `json:"updated_at"`
}

func toSLAPolicy(p *rapport.SLAPolicy) *slaPolicyJSON {
	return &slaPolicyJSON{Priority: string(p.Priority), CalendarID: p.CalendarID,
		FirstResponseMinutes: int64(p.FirstResponse / time.Minute), ResolutionMinutes: int64(p.Resolution / time.Minute),
		WarnPercent: p.WarnPercent, UpdatedAt: p.UpdatedAt}
}

func (h *Handler) listSLAPolicies(w http.ResponseWriter, r *http.Request) error {
	ps, err := h.desk.SLAPolicies(r.Context())
	if err != nil {
		return err
	}
	out := make([]*slaPolicyJSON, len(ps))
	for i, p := range ps {
		out[i] = toSLAPolicy(p)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"policies": out})
}

// setSLAPolicy sets the service level of the priority in the path;
// warn_percent defaults to 75 when left out.
func (h *Handler) setSLAPolicy(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CalendarID           int64 `json:"calendar_id"`
		FirstResponseMinutes int64 `json:"first_response_minutes"`
		ResolutionMinutes    int64 `json:"resolution_minutes"`
		WarnPercent          *int  `json:"warn_percent"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	p := rapport.SLAPolicy{Priority: rapport.Priority(r.PathValue("priority")), CalendarID: in.CalendarID,
		FirstResponse: minutes(in.FirstResponseMinutes), Resolution: minutes(in.ResolutionMinutes),
		WarnPercent: rapport.DefaultWarnPercent}
	if in.WarnPercent != nil {
		p.WarnPercent = *in.WarnPercent
	}
	saved, err := h.desk.SaveSLAPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toSLAPolicy(saved))
}

// minutes converts without overflow: anything past a year is refused by
// validation either way.
func minutes(n int64) time.Duration {
	const max = int64(rapport.MaxSLATarget/time.Minute) + 1
	if n > max {
		n = max
	}
	if n < 0 {
		n = 0
	}
	return time.Duration(n) * time.Minute
}
