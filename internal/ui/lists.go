package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// listPageSize is how many tickets one page of a staff list shows.
const listPageSize = 50

// option is one choice of a select.
type option struct{ Value, Label string }

// selectField is a labelled select of a form: its name (also its id), the
// chosen value and the error beside it.
type selectField struct {
	ID, Label, Value string
	Options          []option
	Error            string
}

// Status filter values: a status, or one of these groups. "" is the
// default: every ticket still in hand.
const (
	statusActive = ""
	statusAny    = "any"
)

var statusOptions = []option{
	{statusActive, "Any open"},
	{string(rapport.StatusNew), "New"},
	{string(rapport.StatusOpen), "Being worked on"},
	{string(rapport.StatusWaiting), "On hold"},
	{string(rapport.StatusResolved), "Resolved"},
	{string(rapport.StatusClosed), "Closed"},
	{statusAny, "Any status"},
}

var priorityOptions = []option{
	{"", "Any priority"},
	{string(rapport.PriorityCritical), "Critical"},
	{string(rapport.PriorityNormal), "Normal"},
}

var sortOptions = []option{
	{"", "Newest, or best match"},
	{string(rapport.SortNewest), "Newest first"},
	{string(rapport.SortOldest), "Oldest first"},
	{string(rapport.SortUpdated), "Recently updated"},
}

// ticketListPage is a page of a staff ticket list, with the filters that
// chose it, as typed, so that the form shows them again.
type ticketListPage struct {
	Mine                          bool
	Heading, Action               string
	Q, Status, Priority, Assignee string
	Sort                          string
	Selects                       []selectField
	Tickets                       []*rapport.Ticket
	Next, FirstPage               string
	Filtered, Later               bool
	Error                         string
	Errors                        formErrors
}

// myTickets serves GET /tickets/mine: the tickets assigned to the signed-in
// member of staff.
func (u *UI) myTickets(w http.ResponseWriter, r *http.Request) error {
	return u.ticketList(w, r, true)
}

// openTickets serves GET /tickets: every open ticket by default, whoever
// has it, with filters.
func (u *UI) openTickets(w http.ResponseWriter, r *http.Request) error {
	return u.ticketList(w, r, false)
}

// ticketList reads the filters from the query string (a GET form, so a
// filtered list is a link to share), asks the desk for one page and
// renders it. A filter the desk refuses is shown beside its field.
func (u *UI) ticketList(w http.ResponseWriter, r *http.Request, mine bool) error {
	if !rapport.UserFromContext(r.Context()).IsStaff() {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can see these lists. Your own requests are on your home page.")
	}
	qs := r.URL.Query()
	p := &ticketListPage{
		Mine: mine, Heading: "All open tickets", Action: "/tickets",
		Q: strings.TrimSpace(qs.Get("q")), Status: qs.Get("status"), Priority: qs.Get("priority"),
		Assignee: strings.TrimSpace(qs.Get("assignee")), Sort: qs.Get("sort"),
		Later: qs.Get("cursor") != "", Errors: formErrors{},
	}
	if mine {
		p.Heading, p.Action, p.Assignee = "My tickets", "/tickets/mine", "me"
	}
	p.Filtered = p.Q != "" || p.Status != "" || p.Priority != "" || p.Sort != "" || (!mine && p.Assignee != "")
	q := desk.TicketQuery{Assignee: p.Assignee, TicketFilter: rapport.TicketFilter{
		Query: p.Q, Priority: rapport.Priority(p.Priority), Sort: rapport.TicketSort(p.Sort),
		After: qs.Get("cursor"), Limit: listPageSize,
	}}
	switch p.Status {
	case statusActive:
		q.Statuses = []rapport.Status{rapport.StatusNew, rapport.StatusOpen, rapport.StatusWaiting}
	case statusAny:
	default:
		q.Statuses = []rapport.Status{rapport.Status(p.Status)}
		if !known(statusOptions, p.Status) {
			p.Errors["status"] = "Choose a status from the list."
		}
	}
	if !known(priorityOptions, p.Priority) {
		p.Errors["priority"] = "Choose a priority from the list."
	}
	if !known(sortOptions, p.Sort) {
		p.Errors["sort"] = "Choose an order from the list."
	}
	var assignees []option
	if !mine {
		var err error
		if assignees, err = u.staffOptions(r, p.Assignee); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if len(p.Errors) == 0 {
		ts, next, err := u.desk.Tickets(r.Context(), q)
		switch rapport.ErrorCode(err) {
		case "":
			p.Tickets = ts
			p.Next = web.SetNext(w, r, next)
		case rapport.EINVALID:
			p.Errors = fieldErrors(err)
			if m, ok := p.Errors["query"]; ok {
				p.Errors["q"] = m
			}
			if m, ok := p.Errors["cursor"]; ok {
				p.Error = m + " Start again from the first page."
			}
		default:
			return err
		}
	}
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
		if p.Error == "" {
			p.Error = "Some of the filters need fixing; see the messages beside them."
		}
	}
	if p.Later {
		first := r.URL.Query()
		first.Del("cursor")
		p.FirstPage = pageURL(r.URL.Path, first)
	}
	p.Selects = []selectField{
		{"status", "Status", p.Status, statusOptions, p.Errors["status"]},
		{"priority", "Priority", p.Priority, priorityOptions, p.Errors["priority"]},
	}
	if !mine {
		p.Selects = append(p.Selects, selectField{"assignee", "Assigned to", p.Assignee, assignees, p.Errors["assignee"]})
	}
	p.Selects = append(p.Selects, selectField{"sort", "Order", p.Sort, sortOptions, p.Errors["sort"]})
	u.render(w, r, status, "tickets", p.Heading, p)
	return nil
}

func known(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// staffOptions lists the choices of the assignee filter: anyone, nobody,
// me, then every member of staff by name. A person named in the address
// but not in the list (an email typed by hand) is kept as a choice, so
// the form shows what the list was filtered by.
func (u *UI) staffOptions(r *http.Request, chosen string) ([]option, error) {
	opts := []option{{"", "Anyone"}, {"none", "Nobody yet"}, {"me", "Me"}}
	found := chosen == "" || chosen == "none" || chosen == "me"
	for _, role := range []rapport.Role{rapport.RoleAgent, rapport.RoleSupervisor, rapport.RoleAdmin} {
		us, _, err := u.desk.Users(r.Context(), rapport.UserFilter{Role: role, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, s := range us {
			label := s.Name
			if s.DisabledAt != nil {
				label += " (disabled)"
			}
			id := strconv.FormatInt(s.ID, 10)
			found = found || id == chosen || strings.EqualFold(s.Email, chosen)
			if strings.EqualFold(s.Email, chosen) {
				id = chosen
			}
			opts = append(opts, option{id, label})
		}
	}
	if !found {
		opts = append(opts, option{chosen, chosen})
	}
	return opts, nil
}

// pageURL returns path with the query q, or path alone when q is empty.
func pageURL(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
