package desk

import (
	"context"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
)

// WaitCacheFor is how long the recent pickups read for expected waits are
// reused. An estimate stale by seconds is still a fair estimate (unlike
// an account change, which must hold at once), and reusing the read keeps
// a busy queue page to one history read per node every WaitCacheFor.
const WaitCacheFor = 30 * time.Second

// waitStore fills in the expected wait of every queued ticket the desk
// reads, the way the store fills in queue positions, so that every
// channel (API, web UI) shows the same estimate without each use case
// asking for it. Reads inside a write transaction do not go through it.
type waitStore struct {
	rapport.Store
	now func() time.Time

	mu   sync.Mutex
	at   time.Time            // when hist was read
	hist *rapport.WaitHistory // nil until first needed
}

func (s *waitStore) FindTicketByID(ctx context.Context, id int64) (*rapport.Ticket, error) {
	t, err := s.Store.FindTicketByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return t, s.fillWaits(ctx, t)
}

func (s *waitStore) FindTickets(ctx context.Context, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
	ts, next, err := s.Store.FindTickets(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return ts, next, s.fillWaits(ctx, ts...)
}

func (s *waitStore) FindQueue(ctx context.Context, after rapport.QueueCursor, limit int) ([]*rapport.Ticket, error) {
	ts, err := s.Store.FindQueue(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	return ts, s.fillWaits(ctx, ts...)
}

// fillWaits sets ExpectedWait on the tickets of ts that have a place in
// the queue, and clears it on the others.
func (s *waitStore) fillWaits(ctx context.Context, ts ...*rapport.Ticket) error {
	var h *rapport.WaitHistory
	now := s.now()
	for _, t := range ts {
		t.ExpectedWait = nil
		if t.QueuePosition == nil {
			continue
		}
		if h == nil {
			var err error
			if h, err = s.history(ctx, now); err != nil {
				return err
			}
		}
		w := h.Estimate(*t.QueuePosition, t.Priority, t.CreatedAt, now)
		t.ExpectedWait = &w
	}
	return nil
}

// history returns the recent pickups of every priority, read at most once
// every WaitCacheFor (and again if the clock goes back).
func (s *waitStore) history(ctx context.Context, now time.Time) (*rapport.WaitHistory, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hist != nil && !now.Before(s.at) && now.Sub(s.at) < WaitCacheFor {
		return s.hist, nil
	}
	var claims []rapport.Claim
	for _, p := range []rapport.Priority{rapport.PriorityCritical, rapport.PriorityNormal} {
		cs, err := s.Store.FindClaims(ctx, p.Rank(), now.Add(-rapport.WaitWindow), rapport.WaitHistoryClaims)
		if err != nil {
			return nil, err
		}
		claims = append(claims, cs...)
	}
	s.hist, s.at = rapport.NewWaitHistory(claims), now
	return s.hist, nil
}
