package api

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// listTickets serves GET /tickets: filters, full-text search (q), a sort
// and cursor paging, the next page in the Link header.
func (h *Handler) listTickets(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := web.Page(r)
	if err != nil {
		return err
	}
	q, err := ticketQuery(r.URL.Query())
	if err != nil {
		return err
	}
	q.Limit, q.After = limit, cursor
	ts, next, err := h.desk.Tickets(r.Context(), q)
	if err != nil {
		return err
	}
	body := toTickets(r, ts)
	body["next"] = nullable(web.SetNext(w, r, next))
	return web.JSON(w, http.StatusOK, body)
}

// ticketQuery reads the list's filters, reporting every bad one at once.
func ticketQuery(v url.Values) (desk.TicketQuery, error) {
	var p rapport.Problems
	q := desk.TicketQuery{Assignee: strings.TrimSpace(v.Get("assignee")), Requester: strings.TrimSpace(v.Get("requester"))}
	f := &q.TicketFilter
	if s := v.Get("status"); s != "" {
		for _, st := range strings.Split(s, ",") {
			switch st := rapport.Status(strings.TrimSpace(st)); st {
			case rapport.StatusNew, rapport.StatusOpen, rapport.StatusWaiting, rapport.StatusResolved, rapport.StatusClosed:
				f.Statuses = append(f.Statuses, st)
			default:
				p.Add("status", "Status must be new, open, waiting, resolved or closed (several may be joined with commas).")
			}
		}
	}
	switch pr := rapport.Priority(v.Get("priority")); pr {
	case "", rapport.PriorityCritical, rapport.PriorityNormal:
		f.Priority = pr
	default:
		p.Add("priority", "Priority must be critical or normal.")
	}
	if c := rapport.Channel(v.Get("channel")); c != "" {
		if !c.Valid() {
			p.Add("channel", "Channel must be one of %s.", channelList())
		}
		f.Channel = c
	}
	if m := rapport.Mood(v.Get("mood")); m != "" {
		if !m.Valid() {
			p.Add("mood", "Mood must be calm, frustrated or angry.")
		}
		f.Mood = m
	}
	f.CreatedAfter = queryTime(v, &p, "created_after")
	f.CreatedBefore = queryTime(v, &p, "created_before")
	if f.CreatedAfter != nil && f.CreatedBefore != nil && !f.CreatedAfter.Before(*f.CreatedBefore) {
		p.Add("created_before", "created_before must be later than created_after.")
	}
	f.Query = v.Get("q")
	f.Sort = rapport.TicketSort(v.Get("sort"))
	if !f.Sort.Valid() {
		p.Add("sort", "Sort must be newest, oldest, updated or relevance.")
	}
	return q, p.Err()
}

// queryTime reads an RFC 3339 time parameter; nil when absent.
func queryTime(v url.Values, p *rapport.Problems, name string) *time.Time {
	s := v.Get(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.Add(name, "%s must be a date and time like 2026-11-30T17:00:00Z.", name)
		return nil
	}
	return &t
}

func channelList() string {
	names := make([]string, len(rapport.Channels))
	for i, c := range rapport.Channels {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}
