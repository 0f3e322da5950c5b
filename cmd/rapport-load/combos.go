package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
)

// listCombo is one ticket list (GET /api/v1/tickets without q) that
// measure times: fixed query parameters plus, per request, a random
// assignee, requester or creation day where the combo names one.
type listCombo struct {
	name string
	// params are the query's parameters; the values "$agent",
	// "$requester", "$recent" (a day in the last month), "$day" (a day
	// in the past year) and "$week" (a week's end in the past year) are
	// drawn per request.
	params [][2]string
}

// listCombos are the filter combinations measured: each status set with
// each other filter, and some filters two at a time, in each sort order.
func listCombos() []listCombo {
	statuses := []string{"", "new", "open", "waiting", "resolved", "closed", "new,open,waiting", "resolved,closed"}
	type extra struct {
		name   string
		params [][2]string
		// needStatus: the filter is only allowed or only sensible beside
		// a status (mood).
		needStatus bool
	}
	extras := []extra{
		{"", nil, false},
		{"critical", [][2]string{{"priority", "critical"}}, false},
		{"assignee", [][2]string{{"assignee", "$agent"}}, false},
		{"no one", [][2]string{{"assignee", "none"}}, false},
		{"critical no one", [][2]string{{"priority", "critical"}, {"assignee", "none"}}, false},
		{"phone", [][2]string{{"channel", "phone"}}, false},
		{"recent", [][2]string{{"created_after", "$recent"}}, false},
		{"no one recent", [][2]string{{"assignee", "none"}, {"created_after", "$recent"}}, false},
		{"week", [][2]string{{"created_after", "$day"}, {"created_before", "$week"}}, false},
		{"angry", [][2]string{{"mood", "angry"}}, true},
	}
	sorts := []string{"newest", "oldest", "updated"}
	var out []listCombo
	add := func(name string, ps [][2]string) {
		for _, s := range sorts {
			p := append(ps[:len(ps):len(ps)], [2]string{"sort", s})
			out = append(out, listCombo{strings.TrimSpace(name + " " + s), p})
		}
	}
	for _, st := range statuses {
		for _, e := range extras {
			if st == "" && e.needStatus {
				continue
			}
			// Without a status, only the extras that are filters on
			// their own; with one, those that narrow it further.
			if st != "" && st != "new,open,waiting" && (e.name == "phone" || e.name == "week") {
				continue
			}
			ps := e.params
			name := e.name
			if st != "" {
				ps = append([][2]string{{"status", st}}, ps...)
				name = "status=" + st + " " + name
			}
			add(name, ps)
		}
	}
	add("requester", [][2]string{{"requester", "$requester"}})
	add("requester status=new,open,waiting", [][2]string{{"requester", "$requester"}, {"status", "new,open,waiting"}})
	add("assignee critical", [][2]string{{"assignee", "$agent"}, {"priority", "critical"}})
	add("critical recent", [][2]string{{"priority", "critical"}, {"created_after", "$recent"}})
	add("assignee angry", [][2]string{{"assignee", "$agent"}, {"mood", "angry"}})
	return out
}

// comboPeople are the ids the combos draw from.
type comboPeople struct {
	agents, requesters []int64
	now                time.Time
}

func findComboPeople(ctx context.Context, db *store.DB) (*comboPeople, error) {
	p := &comboPeople{now: time.Now()}
	for _, role := range []rapport.Role{rapport.RoleAgent, rapport.RoleRequester} {
		us, _, err := db.FindUsers(ctx, rapport.UserFilter{Role: role, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			if role == rapport.RoleAgent {
				p.agents = append(p.agents, u.ID)
			} else {
				p.requesters = append(p.requesters, u.ID)
			}
		}
	}
	if len(p.agents) == 0 || len(p.requesters) == 0 {
		return nil, fmt.Errorf("the database has no agents or no requesters to list by")
	}
	return p, nil
}

// path returns the first page's address of c with its values drawn.
func (c listCombo) path(r *rand.Rand, p *comboPeople) string {
	v := url.Values{}
	day := func(maxDays int) time.Time {
		return p.now.Add(-time.Duration(r.IntN(maxDays*24)) * time.Hour).Truncate(time.Hour).UTC()
	}
	var start time.Time
	for _, kv := range c.params {
		val := kv[1]
		switch val {
		case "$agent":
			val = strconv.FormatInt(p.agents[r.IntN(len(p.agents))], 10)
		case "$requester":
			val = strconv.FormatInt(p.requesters[r.IntN(len(p.requesters))], 10)
		case "$recent":
			val = day(30).Format(time.RFC3339)
		case "$day":
			start = day(358)
			val = start.Format(time.RFC3339)
		case "$week":
			val = start.Add(7 * 24 * time.Hour).Format(time.RFC3339)
		}
		v.Set(kv[0], val)
	}
	return "/api/v1/tickets?" + v.Encode()
}

// nextOf returns the body's next page address, "" on the last page.
func nextOf(body []byte) string {
	var b struct {
		Next *string `json:"next"`
	}
	if json.Unmarshal(body, &b) != nil || b.Next == nil {
		return ""
	}
	if u, err := url.Parse(*b.Next); err == nil {
		return u.RequestURI()
	}
	return ""
}

// measureCombos times each list combo whose name matches only: each
// request is a first page or, while pages go on, the next page of the
// previous one (up to 10 deep), so later pages are timed too. It ends with
// how many combos answered p99 over 50 ms.
func measureCombos(ctx context.Context, db *store.DB, get func(tok, path string) (int, time.Duration, []byte),
	tok string, only *regexp.Regexp, n int, readTime time.Duration, out io.Writer) error {
	people, err := findComboPeople(ctx, db)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(5, 6))
	var timed, slow int

	for _, c := range listCombos() {
		name := "list " + c.name
		if !only.MatchString(name) {
			continue
		}
		lat := make([]time.Duration, 0, n)
		var next string
		depth := 0
		for start := time.Now(); len(lat) < n && (len(lat) < 20 || time.Since(start) < readTime); {
			path := next
			if path == "" || depth >= 10 {
				path, depth = c.path(r, people), 0
			}
			code, el, body := get(tok, path)
			if code != 200 {
				return fmt.Errorf("%s: %s answered %d: %s", name, path, code, body)
			}
			lat = append(lat, el)
			next, depth = nextOf(body), depth+1
		}
		slices.Sort(lat)
		flag := ""
		if p99 := pct(lat, 99); p99 > 50*time.Millisecond {
			flag, slow = " SLOW", slow+1

		}
		timed++
		fmt.Fprintf(out, "%-52s %10v %10v %10v%s\n", name, pct(lat, 50), pct(lat, 99), pct(lat, 100), flag)
	}
	if timed > 0 {
		fmt.Fprintf(out, "lists with p99 over 50 ms: %d of %d\n", slow, timed)
	}
	return nil
}
