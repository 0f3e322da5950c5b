package desk_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/coach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestCoach: staff get the coach's findings, with the requester's name
// checked when the ticket is given; requesters and bad input are refused
// with plain errors.
func TestCoach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		tk := ask(t, d, pat, rapport.Impact{})
		id := func(n int64) *int64 { return &n }
		body := "\n\nI have reset your password. Sign in again and pick a new one.\n\nThanks,\nAnn"
		for _, tc := range []struct {
			name    string
			who     *rapport.User
			in      desk.CoachDraft
			code    string
			brusque int // brusque findings expected
		}{
			{"no ticket: the name is not checked", ann, desk.CoachDraft{Text: "Hello," + body}, "", 0},
			{"ticket: the requester's greeting name is expected", ann, desk.CoachDraft{Text: "Hello," + body, TicketID: &tk.ID}, "", 1},
			{"ticket: greeted by name", ann, desk.CoachDraft{Text: "Hi Person," + body, TicketID: &tk.ID}, "", 0},
			{"requester", pat, desk.CoachDraft{Text: "Hello," + body}, rapport.EFORBIDDEN, 0},
			{"empty", ann, desk.CoachDraft{Text: " \n "}, rapport.EINVALID, 0},
			{"too long", ann, desk.CoachDraft{Text: strings.Repeat("é", desk.MaxCoachText+1)}, rapport.EINVALID, 0},
			{"ticket zero", ann, desk.CoachDraft{Text: "Hello," + body, TicketID: id(0)}, rapport.EINVALID, 0},
			{"unknown ticket", ann, desk.CoachDraft{Text: "Hello," + body, TicketID: id(tk.ID + 1000)}, rapport.ENOTFOUND, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rep, err := d.Coach(as(tc.who), tc.in)
				if got := rapport.ErrorCode(err); got != tc.code {
					t.Fatalf("Coach: %v, want code %q", err, tc.code)
				}
				if err != nil {
					return
				}
				n := 0
				for _, f := range rep.Findings {
					if f.Kind == coach.KindBrusque {
						n++
					}
				}
				if n != tc.brusque {
					t.Fatalf("brusque findings=%d, want %d: %v", n, tc.brusque, rep.Findings)
				}
			})
		}
	})
}
