package desk_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestDrafts: a draft is kept word for word, one per person per form,
// private to its author, cleared in the transaction that sends the
// request, and a late save from the sitting that sent it brings nothing
// back; a new sitting starts a new draft.
func TestDrafts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, _ := people(t, db, nil)
		sam := mustAdd(t, d, "sam@example.com", rapport.RoleRequester)
		const form = rapport.DraftNewRequest
		if got, err := d.Draft(as(pat), form); got != nil || err != nil {
			t.Fatalf("draft before any=%v, %v, want none", got, err)
		}
		first := rapport.NewDraftToken()
		typed := rapport.Draft{Form: form, Token: first, Subject: "Printer ", Description: "  It says \"jam\"\n\nbut <b>no</b> paper. ",
			Impact: rapport.Impact{BlocksWork: true}}
		if _, err := d.SaveDraft(as(pat), typed); err != nil {
			t.Fatal(err)
		}
		typed.Subject = "Printer jammed "
		if _, err := d.SaveDraft(as(pat), typed); err != nil {
			t.Fatal(err)
		}
		got, err := d.Draft(as(pat), form)
		if err != nil || got == nil || got.Subject != typed.Subject || got.Description != typed.Description || got.Impact != typed.Impact || got.UserID != pat.ID || got.Empty() {
			t.Fatalf("draft=%+v, %v, want %+v kept exactly", got, err, typed)
		}
		if got, err := d.Draft(as(sam), form); got != nil || err != nil {
			t.Fatalf("another person's draft=%v, %v, want none", got, err)
		}

		tk, err := d.CreateTicket(as(pat), desk.NewTicket{DraftToken: first, TicketInput: rapport.TicketInput{
			Subject: typed.Subject, Body: typed.Description, Impact: typed.Impact, Channel: rapport.ChannelPortal}})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := d.Draft(as(pat), form); err != nil || got == nil || !got.Empty() || got.Subject != "" || got.Description != "" {
			t.Fatalf("draft after sending=%+v, %v, want it cleared", got, err)
		}
		// The page going away sends one more save from the same sitting.
		if _, err := d.SaveDraft(as(pat), typed); rapport.ErrorCode(err) != rapport.ECONFLICT {
			t.Fatalf("late save after sending: err=%v, want ECONFLICT", err)
		}
		if got, _ := d.Draft(as(pat), form); !got.Empty() {
			t.Fatalf("a late save brought the sent draft back: %+v", got)
		}
		next := rapport.Draft{Form: form, Token: rapport.NewDraftToken(), Subject: "Another problem"}
		if _, err := d.SaveDraft(as(pat), next); err != nil {
			t.Fatalf("new sitting after sending: %v", err)
		}
		if got, _ := d.Draft(as(pat), form); got.Empty() || got.Subject != "Another problem" {
			t.Fatalf("draft of a new sitting=%+v", got)
		}
		if tk.ID == 0 {
			t.Fatalf("no ticket")
		}

		// A failed send keeps the draft.
		if _, err := d.CreateTicket(as(pat), desk.NewTicket{DraftToken: next.Token, TicketInput: rapport.TicketInput{
			Subject: next.Subject, Channel: rapport.ChannelPortal}}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("send without a description: err=%v, want EINVALID", err)
		}
		if got, _ := d.Draft(as(pat), form); got.Empty() || got.Subject != "Another problem" {
			t.Fatalf("draft after a failed send=%+v, want it kept", got)
		}
	})
}

// TestDraftRefused: what no database keeps, or abuse, is refused with a
// plain message naming the field, and nothing is stored.
func TestDraftRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, _ := people(t, db, nil)
		tok := rapport.NewDraftToken()
		for _, tc := range []struct {
			name  string
			draft rapport.Draft
			field string
		}{
			{"unknown form", rapport.Draft{Form: "payroll", Token: tok}, "form"},
			{"no token", rapport.Draft{Form: rapport.DraftNewRequest}, "draft"},
			{"odd token", rapport.Draft{Form: rapport.DraftNewRequest, Token: "a b"}, "draft"},
			{"NUL", rapport.Draft{Form: rapport.DraftNewRequest, Token: tok, Subject: "a\x00b"}, "subject"},
			{"not UTF-8", rapport.Draft{Form: rapport.DraftNewRequest, Token: tok, Description: "\xff"}, "description"},
			{"huge", rapport.Draft{Form: rapport.DraftNewRequest, Token: tok, Description: strings.Repeat("x", rapport.MaxDraftDescriptionLen+1)}, "description"},
		} {
			_, err := d.SaveDraft(as(pat), tc.draft)
			if fs := rapport.ErrorFields(err); rapport.ErrorCode(err) != rapport.EINVALID || len(fs) != 1 || fs[0].Field != tc.field {
				t.Fatalf("%s: err=%v fields=%v, want EINVALID on %s", tc.name, err, fs, tc.field)
			}
		}
		if got, err := d.Draft(as(pat), rapport.DraftNewRequest); got != nil || err != nil {
			t.Fatalf("draft after refusals=%+v, %v, want none", got, err)
		}
		if _, err := d.SaveDraft(as(nil), rapport.Draft{Form: rapport.DraftNewRequest, Token: tok}); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("save signed out: err=%v, want EUNAUTHORIZED", err)
		}
	})
}
