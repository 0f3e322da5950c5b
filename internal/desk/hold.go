package desk

import (
	"context"
	"strconv"
	"time"

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
			prev := holdOf(t)
			ev, err := t.ReturnFromHold(now)
			if err != nil {
				return err
			}
			if err := d.save(ctx, tx, t, ev); err != nil {
				return err
			}
			return d.queueHoldPassed(ctx, tx, t, prev)
		})
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return n, nil
		} else if err != nil {
			return n, err
		}
		d.notify(ctx, t, true)
		if t.Assignee != nil {
			d.alert(ctx, AlertHoldPassed, t.ID, t.Assignee.ID)
		}
		n++
	}
	return n, nil
}

// queueHoldPassed asks the assignee of t, back from a hold whose expected
// date passed without news, to give the requester an update: the date
// they were promised has gone. A ticket nobody has goes back to the queue
// and is served in its turn.
func (d *Desk) queueHoldPassed(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, prev *rapport.Hold) error {
	if !d.Notices || t.Assignee == nil || prev == nil || prev.Until == nil {
		return nil
	}
	n := Notice{Kind: NoticeHoldPassed, TicketID: t.ID, To: t.Assignee.ID, Body: prev.Reason, Until: prev.Until,
		Key: "hold-passed:" + strconv.FormatInt(prev.Until.Unix(), 10)}
	_, err := NoticeJob.EnqueueInGroup(ctx, tx, noticeGroup(t.ID), n, time.Time{})
	return err
}
