package desk_test

import (
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPositionsUnderConcurrentCreates: the place a create reports is true of
// the committed queue at some moment during the request. It counts at least
// every ticket ahead whose create had returned before this one started, and
// at most every ticket ahead whose create had started before this one
// returned. On SQLite, where ids are handed out in commit order, a run of
// normal tickets alone is also told distinct places (a critical ticket
// committed between two read-backs may make two of them share a place,
// each true when given).
func TestPositionsUnderConcurrentCreates(t *testing.T) {
	for _, mixed := range []bool{true, false} {
		name := "normal"
		if mixed {
			name = "mixed"
		}
		t.Run(name, func(t *testing.T) { testPositionsUnderConcurrentCreates(t, mixed) })
	}
}

func testPositionsUnderConcurrentCreates(t *testing.T, mixed bool) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		const clients, each = 8, 12
		people := make([]*rapport.User, clients)
		for i := range people {
			people[i] = mustAdd(t, d, "p"+string(rune('a'+i))+"@example.com", rapport.RoleRequester)
		}
		type result struct {
			t          *rapport.Ticket
			start, end time.Time // monotonic readings
		}
		var mu sync.Mutex
		var results []result
		var wg sync.WaitGroup
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					start := time.Now()
					tk, err := d.CreateTicket(as(people[c]), desk.NewTicket{TicketInput: rapport.TicketInput{
						Subject: "Help", Body: "Please", Impact: rapport.Impact{Outage: mixed && (c+i)%7 == 0}}})
					end := time.Now()
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					results = append(results, result{tk, start, end})
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		ahead := func(a, b *rapport.Ticket) bool { // a is served before b
			ra, rb := a.Priority.Rank(), b.Priority.Rank()
			return ra < rb || ra == rb && a.ID < b.ID
		}
		seen := map[int]int64{}
		for _, x := range results {
			if x.t.QueuePosition == nil {
				t.Fatalf("ticket %d has no position", x.t.ID)
			}
			low, high := 1, 1
			for _, y := range results {
				if y.t.ID == x.t.ID || !ahead(y.t, x.t) {
					continue
				}
				if y.end.Before(x.start) {
					low++
				}
				if y.start.Before(x.end) {
					high++
				}
			}
			if p := *x.t.QueuePosition; p < low || p > high {
				t.Errorf("ticket %d (%s) told place %d, want %d to %d", x.t.ID, x.t.Priority, p, low, high)
			}
			if db.Dialect() == "sqlite" && !mixed {
				if other, dup := seen[*x.t.QueuePosition]; dup {
					t.Errorf("tickets %d and %d both told place %d", other, x.t.ID, *x.t.QueuePosition)
				}
				seen[*x.t.QueuePosition] = x.t.ID
			}
		}
		// Read afresh, the places are exactly the serving order.
		q, err := d.Queue(as(mustAdd(t, d, "ann@example.com", rapport.RoleAgent)), rapport.QueueCursor{}, 500)
		if err != nil {
			t.Fatal(err)
		}
		for i, tk := range q {
			if tk.QueuePosition == nil || *tk.QueuePosition != i+1 {
				t.Fatalf("queue row %d has place %v", i, tk.QueuePosition)
			}
		}
		if len(q) != clients*each {
			t.Fatalf("queue has %d tickets, want %d", len(q), clients*each)
		}
	})
}
