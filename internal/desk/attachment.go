package desk

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
)

// File is a file someone sends with a request or a message from the
// portal's and the agent's forms or the API (multipart), passed in
// NewTicket.Files or to AddMessageWithFiles, in the call that creates the
// message it came with. (Mail's files take their own way in: see
// storeMailFiles.) Name is cleaned
// (rapport.CleanFileName); Type is what the sender declared and is never
// trusted: the stored type is sniffed from the bytes. Body is read once, to
// its end, at most Desk.Files.Max bytes.
type File struct {
	Name string
	Type string
	Body io.Reader
}

// stored is a File whose bytes are in blob storage.
type stored struct {
	name string
	blob attach.Blob
}

// storeFiles writes the files' bytes to blob storage, before the
// transaction that records them: if that rolls back, the blobs stay as
// orphans, which are harmless (see package attach). A file over the size
// limit is a plain field error naming it, and nothing of the change is
// written.
func (d *Desk) storeFiles(ctx context.Context, files []File) ([]stored, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if d.Files == nil {
		return nil, rapport.Invalid("files", "This help desk does not take files.")
	}
	if len(files) > rapport.MaxAttachmentsPerEvent {
		return nil, rapport.Invalid("files", "You sent %d files; at most %d can go with one message.", len(files), rapport.MaxAttachmentsPerEvent)
	}
	out := make([]stored, 0, len(files))
	for _, f := range files {
		name := rapport.CleanFileName(f.Name)
		if f.Body == nil {
			return nil, rapport.Invalid("files", "The file %q has no content.", name)
		}
		b, err := d.Files.Put(ctx, f.Body)
		if errors.Is(err, attach.ErrTooLarge) {
			return nil, rapport.Invalid("files", "The file %q is larger than %s, the most one file can be. Nothing was sent: please make it smaller or share it another way, and send again.", name, Size(d.Files.Max))
		} else if err != nil {
			return nil, fmt.Errorf("store file %q: %w", name, err)
		}
		out = append(out, stored{name: name, blob: b})
	}
	return out, nil
}

// attachTx records the stored files on ev, which the transaction has just
// added (it has its ID).
func attachTx(ctx context.Context, tx rapport.Tx, ev *rapport.Event, files []stored) error {
	ev.Attachments = nil
	for _, f := range files {
		a := &rapport.Attachment{TicketID: ev.TicketID, EventID: ev.ID, Name: f.name, Type: f.blob.Type,
			Size: f.blob.Size, SHA256: f.blob.SHA256, Internal: ev.Internal, CreatedAt: ev.CreatedAt}
		if err := tx.AddAttachment(ctx, a); err != nil {
			return err
		}
		ev.Attachments = append(ev.Attachments, a)
	}
	return nil
}

// AddMessageWithFiles is AddMessage with files attached to the message
// (or note: its files are staff-only like it). All is recorded in one
// transaction, or nothing is.
func (d *Desk) AddMessageWithFiles(ctx context.Context, id int64, body string, internal bool, files []File) (*rapport.Event, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	kept, err := d.storeFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	var ev *rapport.Event
	_, err = d.changeThen(ctx, id, func(tx rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		waiting := onUs(t)
		var err error
		if ev, err = t.AddMessage(me, body, internal, d.now()); err != nil {
			return nil, err
		}
		return ev, d.readMood(ctx, tx, t, ev, waiting)
	}, func(tx rapport.Tx, ev *rapport.Event) error {
		return attachTx(ctx, tx, ev, kept)
	})
	if ev != nil {
		ev = forViewer(me, ev)[0]
	}
	return ev, err
}

// ResolveWithFiles is Resolve with files attached to the resolution.
func (d *Desk) ResolveWithFiles(ctx context.Context, id int64, resolution string, files []File) (*rapport.Ticket, error) {
	return d.ResolveWith(ctx, id, Resolution{Text: resolution, Files: files})
}

// Attachment returns a file's record and its bytes, to someone who may
// see the ticket; a file on an internal note only to staff. Anyone else is
// told it does not exist, as for tickets.
func (d *Desk) Attachment(ctx context.Context, id int64) (*rapport.Attachment, attach.Reader, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	missing := rapport.Errorf(rapport.ENOTFOUND, "There is no file %d, or you do not have access to it.", id)
	a, err := d.store.FindAttachment(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil, missing
	} else if err != nil {
		return nil, nil, err
	}
	if a.Internal && !me.IsStaff() {
		return nil, nil, missing
	}
	t, err := d.Ticket(ctx, a.TicketID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil, missing
	} else if err != nil {
		return nil, nil, err
	}
	if d.Files == nil {
		return nil, nil, missing
	}
	if err := d.auditFile(ctx, me, t, a); err != nil {
		return nil, nil, err
	}
	r, err := d.Files.Get(ctx, a.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return a, r, nil
}

// MaxFileSize is the largest file accepted, 0 when files are not taken.
func (d *Desk) MaxFileSize() int64 {
	if d.Files == nil {
		return 0
	}
	return d.Files.Max
}

// Size says a number of bytes as people read it: "25 MB", "740 KB".
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return trimZero(float64(n)/(1<<30)) + " GB"
	case n >= 1<<20:
		return trimZero(float64(n)/(1<<20)) + " MB"
	case n >= 1<<10:
		return trimZero(float64(n)/(1<<10)) + " KB"
	}
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimZero(f float64) string {
	if f >= 10 || f == float64(int64(f)) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}

// auditFile records staff downloading a file the requester of t sent:
// their private data. Files staff attached are not. Whose file it is
// comes from its message, read in the transaction that writes the entry.
func (d *Desk) auditFile(ctx context.Context, me *rapport.User, t *rapport.Ticket, a *rapport.Attachment) error {
	if !me.IsStaff() || t.Requester == nil || t.Requester.ID == me.ID {
		return nil
	}
	e, err := rapport.NewAuditEntry(me, t.Requester.ID, rapport.AuditAttachment,
		fmt.Sprintf("file %d (%s) on ticket %d", a.ID, a.Name, t.ID), rapport.RouteFromContext(ctx), d.now())
	if err != nil || e == nil {
		return err
	}
	return d.store.Update(ctx, func(tx rapport.Tx) error {
		ev, err := tx.FindEvent(ctx, a.EventID)
		if err != nil {
			return err
		}
		if ev.Actor == nil || ev.Actor.ID != t.Requester.ID {
			return nil
		}
		return tx.AddAudit(ctx, e)
	})
}
