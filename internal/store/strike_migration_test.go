package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestStrikeTextsMigrate: migration 00021 writes {name} in the strike
// texts as {{requester.preferred_name}}, in the shipped texts and in a
// supervisor's, leaves a text with double braces alone (no rewrite of it
// is surely right), keeps who changed a text last, and goes back down.
func TestStrikeTextsMigrate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := store.MigrateTo(ctx, db, 20); err != nil {
			t.Fatalf("down to 00020: %v", err)
		}
		shipped, err := db.FindStrikeTexts(ctx)
		if err != nil || !strings.HasPrefix(shipped[0].Body, "Hello {name},") {
			t.Fatalf("texts at 00020: %v, %v", shipped, err)
		}
		for _, x := range []struct {
			step int
			body string
		}{
			{2, "Hi {name}, {name}: keep it civil."},
			{3, "Hi {{name}}, goodbye {name}."},
		} {
			if err := store.ExecForTest(ctx, db, "UPDATE strike_texts SET body = ? WHERE step = ?", x.body, x.step); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.MigrateTo(ctx, db, 21); err != nil {
			t.Fatalf("up to 00021: %v", err)
		}
		after, err := db.FindStrikeTexts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, tc := range []struct{ want string }{
			{strings.Replace(shipped[0].Body, "{name}", "{{requester.preferred_name}}", 1)},
			{"Hi {{requester.preferred_name}}, {{requester.preferred_name}}: keep it civil."},
			{"Hi {{name}}, goodbye {name}."},
		} {
			if after[i].Body != tc.want || after[i].UpdatedBy != nil {
				t.Errorf("strike %d after 00021: %q (by %v), want %q", i+1, after[i].Body, after[i].UpdatedBy, tc.want)
			}
		}
		if err := store.MigrateTo(ctx, db, 20); err != nil {
			t.Fatalf("down again: %v", err)
		}
		back, _ := db.FindStrikeTexts(ctx)
		if back[0].Body != shipped[0].Body || back[1].Body != "Hi {name}, {name}: keep it civil." {
			t.Fatalf("texts after going down: %q, %q", back[0].Body, back[1].Body)
		}
	})
}
