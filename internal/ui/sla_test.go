package ui_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPortalSaysWhenTheDeskOpens: while the desk is closed (a Saturday on
// the default calendar) the requester's pages say when it opens again, in
// their time zone; while it is open they say nothing about it.
func TestPortalSaysWhenTheDeskOpens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var mu sync.Mutex
		now := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC) // Saturday
		f.desk.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		if err := f.desk.SetupSLA(context.Background(), "UTC"); err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		f.signIn(t, c, "pat@example.com")
		for _, path := range []string{"/", "/requests/new"} {
			_, body := f.do(t, c, "GET", path, nil, nil)
			if !strings.Contains(body, "The help desk is closed now; it opens again 30 Nov 2026, 09:00 UTC") {
				t.Fatalf("GET %s on Saturday does not say when the desk opens:\n%s", path, body)
			}
		}
		mu.Lock()
		now = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) // Monday morning
		mu.Unlock()
		if _, body := f.do(t, c, "GET", "/requests/new", nil, nil); strings.Contains(body, "desk-closed") {
			t.Fatalf("the open desk says it is closed")
		}
	})
}
