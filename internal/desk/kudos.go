package desk

import (
	"context"

	"github.com/rapportdesk/rapport"
)

// Kudos (issue 9): a requester thanks the agent working on their ticket;
// staff thank each other, about a ticket or not. Kudos show on the
// agent's profile.

// KudosInput is thanks as sent from a form or the API.
type KudosInput struct {
	// To is the member of staff thanked (a user id); 0 lets a requester
	// thank whoever is working on TicketID.
	To       int64
	TicketID int64 // 0 for none; a requester must name their ticket
	Message  string
}

// GiveKudos records thanks from the signed-in person.
func (d *Desk) GiveKudos(ctx context.Context, in KudosInput) (*rapport.Kudos, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var ticket *int64
	if in.TicketID != 0 {
		t, err := d.Ticket(ctx, in.TicketID)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return nil, rapport.Invalid("ticket_id", "There is no ticket %d, or you do not have access to it.", in.TicketID)
		} else if err != nil {
			return nil, err
		}
		ticket = &t.ID
		if !me.IsStaff() {
			if t.Assignee == nil {
				return nil, rapport.Invalid("to", "Nobody is working on ticket %d yet, so there is no one to thank on it.", t.ID)
			}
			if in.To != 0 && in.To != t.Assignee.ID {
				return nil, rapport.Invalid("to", "You can thank the person working on your ticket: %s.", t.Assignee.Name)
			}
			in.To = t.Assignee.ID
		}
	} else if !me.IsStaff() {
		return nil, rapport.Invalid("ticket_id", "Say which of your tickets the thanks are for.")
	}
	if in.To == 0 {
		return nil, rapport.Invalid("to", "Say whom you are thanking.")
	}
	to, err := d.store.FindUserByID(ctx, in.To)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Invalid("to", "There is no member of staff %d.", in.To)
	} else if err != nil {
		return nil, err
	}
	k, err := rapport.NewKudos(me, to, ticket, in.Message, d.now())
	if err != nil {
		return nil, err
	}
	if err := d.store.Update(ctx, func(tx rapport.Tx) error { return tx.CreateKudos(ctx, k) }); err != nil {
		return nil, err
	}
	if ticket != nil {
		d.alert(ctx, AlertKudos, *ticket, to.ID)
	}
	return k, nil
}

// Kudos returns up to limit kudos to a member of staff, newest first:
// for staff, and for the person themselves.
func (d *Desk) Kudos(ctx context.Context, to int64, limit int) ([]*rapport.Kudos, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.IsStaff() && me.ID != to {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can see the kudos people received.")
	}
	if _, err := d.store.FindUserByID(ctx, to); err != nil {
		return nil, err
	}
	return d.store.FindKudos(ctx, to, limit)
}
