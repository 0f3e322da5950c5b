package desk

import (
	"context"

	"github.com/rapportdesk/rapport"
)

// maxHoldReturns bounds one ReturnDueHolds run; the next run goes on.
const maxHoldReturns = 10000

// ReturnDueHolds puts back to work every held ticket whose expected date
// has passed: into the queue at its arrival place, or back with its
// assignee, with a timeline event the requester reads. It returns how many
// it moved. Each ticket moves in its own transaction under a row lock that
// other nodes skip, and only while it is still due, so several nodes may
// run it at once and a ticket moves exactly once.
func (d *Desk) ReturnDueHolds(ctx context.Context) (int, error) {
	n := 0
	for n < maxHoldReturns {
		now := d.now()
		var t *rapport.Ticket
		err := d.store.Update(ctx, func(tx rapport.Tx) error {
			var err error
			t, err = tx.LockDueHold(ctx, now)
			if err != nil {
				return err
			}
			ev, err := t.ReturnFromHold(now)
			if err != nil {
				return err
			}
			return d.save(ctx, tx, t, ev)
		})
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return n, nil
		} else if err != nil {
			return n, err
		}
		d.notify(ctx, t, true)
		n++
	}
	return n, nil
}
