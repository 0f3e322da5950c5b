package mail_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/mail"
)

func TestMessageIDs(t *testing.T) {
	ids := mail.IDs{Key: []byte("0123456789abcdef0123456789abcdef"), Domain: "help.example.com"}
	other := mail.IDs{Key: []byte("another key, another site........"), Domain: "help.example.com"}

	id := ids.New(42, "notice:received")
	if id != ids.New(42, "notice:received") {
		t.Fatal("the same ticket and key must give the same Message-ID")
	}
	if ids.New(42, "") == ids.New(42, "") {
		t.Fatal("an empty key must give a fresh Message-ID each time")
	}
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@help.example.com>") {
		t.Fatalf("id=%q", id)
	}
	forged := strings.Replace(id, "rapport.42.", "rapport.43.", 1)
	for _, tc := range []struct {
		name string
		ids  mail.IDs
		in   string
		want int64
	}{
		{"ours", ids, id, 42},
		{"without brackets", ids, strings.Trim(id, "<>"), 42},
		{"ticket number changed", ids, forged, 0},
		{"another site's key", other, id, 0},
		{"someone else's id", ids, "<CAF=abc@mail.gmail.com>", 0},
		{"empty", ids, "", 0},
		{"too many dots", ids, "<rapport.1.2.3.4@x>", 0},
		{"negative ticket", ids, "<rapport.-1.a.b@x>", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.ids.Ticket(tc.in)
			if got != tc.want || ok != (tc.want != 0) {
				t.Fatalf("Ticket(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
			}
		})
	}
	refs := "<x@y> " + ids.New(7, "a") + "\r\n\t" + id + " " + ids.New(7, "b") + " " + forged
	if got := ids.Tickets(refs); len(got) != 2 || got[0] != 7 || got[1] != 42 {
		t.Fatalf("Tickets(%q) = %v, want [7 42]", refs, got)
	}
}

func FuzzMessageID(f *testing.F) {
	f.Add(int64(1), "k", "<rapport.1.a.b@x>")
	f.Fuzz(func(t *testing.T, ticket int64, key, in string) {
		ids := mail.IDs{Key: []byte("k"), Domain: "x.example"}
		ids.Ticket(in) // must not panic on anything
		if ticket <= 0 {
			return
		}
		if got, ok := ids.Ticket(ids.New(ticket, key)); !ok || got != ticket {
			t.Fatalf("round trip of %d with key %q gave %d, %v", ticket, key, got, ok)
		}
	})
}
