package desk

import (
	"context"

	"github.com/rapportdesk/rapport"
)

// Notifier hears about every ticket change once it has committed, so that
// open pages can update without a reload (internal/live implements it). It
// is told after commit, never from inside a transaction that may still roll
// back: what it announces is always there to be read. Notify must not block
// for long; delivery is best-effort.
type Notifier interface {
	// TicketChanged says that t changed; queue says the serving queue may
	// have changed with it (t was or is now waiting in it).
	TicketChanged(ctx context.Context, t *rapport.Ticket, queue bool)
}

// notify tells d.Notifier, if any, about committed changes. The request's
// cancellation does not reach it: the change happened either way.
func (d *Desk) notify(ctx context.Context, t *rapport.Ticket, queue bool) {
	if d.Notifier == nil || t == nil {
		return
	}
	d.Notifier.TicketChanged(context.WithoutCancel(ctx), t, queue)
}
