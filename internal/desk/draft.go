package desk

import (
	"context"

	"github.com/rapportdesk/rapport"
)

// SaveDraft keeps what the signed-in person has typed into a form so far
// (see rapport.Draft). A late save from the sitting that already sent the
// form is refused with ECONFLICT: the request is in, and the words with it.
func (d *Desk) SaveDraft(ctx context.Context, dr rapport.Draft) (*rapport.Draft, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	dr.UserID, dr.Sent, dr.UpdatedAt = me.ID, false, d.now()
	if err := dr.Validate(); err != nil {
		return nil, err
	}
	var stored bool
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		stored, err = tx.SaveDraft(ctx, &dr)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !stored {
		return nil, rapport.Errorf(rapport.ECONFLICT, "This form was already sent, so its draft was not kept.")
	}
	return &dr, nil
}

// Draft returns the signed-in person's draft of form, or nil when there is
// nothing to restore (none, or it was sent).
func (d *Desk) Draft(ctx context.Context, form string) (*rapport.Draft, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	dr, err := d.store.FindDraft(ctx, me.ID, form)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return dr, nil
}
