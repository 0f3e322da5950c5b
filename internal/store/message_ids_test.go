package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestTicketMessageIDs: a notice threads on the mail Rapport sent the person
// about the ticket and on the mail they sent about it, in time order, and
// on nobody else's.
func TestTicketMessageIDs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ana := mustUser(t, db, "ana@example.com", rapport.RoleRequester)
		tk := mustTicket(t, db, ana, rapport.Impact{})
		other := mustTicket(t, db, ana, rapport.Impact{})
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		in := func(id, from string, ticket int64, min int) *rapport.InboundMail {
			return &rapport.InboundMail{DedupeKey: id + from, MessageID: id, Hash: "h", Source: "smtp", FromAddr: from,
				Outcome: rapport.MailReply, TicketID: &ticket, Raw: []byte("x"), ReceivedAt: at.Add(time.Duration(min) * time.Minute)}
		}
		err := db.Update(ctx, func(tx rapport.Tx) error {
			for _, m := range []*rapport.InboundMail{
				in("<request@ana>", "ana@example.com", tk.ID, 0),
				in("<reply@ana>", "ana@example.com", tk.ID, 20),
				in("<other-ticket@ana>", "ana@example.com", other.ID, 5),
				in("<cc@bo>", "bo@example.com", tk.ID, 6),
				in("", "ana@example.com", tk.ID, 7), // no Message-ID: nothing to name
			} {
				if _, err := tx.CreateInboundMail(ctx, m); err != nil {
					return err
				}
			}
			for _, m := range []*rapport.SentMail{
				{MessageID: "<received@desk>", TicketID: tk.ID, To: "ana@example.com", Automatic: true, SentAt: at.Add(time.Minute)},
				{MessageID: "<to-bo@desk>", TicketID: tk.ID, To: "bo@example.com", SentAt: at.Add(2 * time.Minute)},
				{MessageID: "<reply@desk>", TicketID: tk.ID, To: "ana@example.com", SentAt: at.Add(10 * time.Minute)},
			} {
				if err := tx.RecordSentMail(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindTicketMessageIDs(ctx, tk.ID, "ana@example.com", 20)
		want := []string{"<request@ana>", "<received@desk>", "<reply@desk>", "<reply@ana>"}
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("FindTicketMessageIDs = %q (%v), want %q", got, err, want)
		}
		if got, _ := db.FindTicketMessageIDs(ctx, tk.ID, "ana@example.com", 2); !slices.Equal(got, want[:2]) {
			t.Fatalf("limit 2: %q", got)
		}
	})
}
