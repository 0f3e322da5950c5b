package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestStarterTemplatesAgree: both dialects' migrations ship the same
// starter templates, word for word.
func TestStarterTemplatesAgree(t *testing.T) {
	type starter struct{ Name, Subject, Body string }
	read := func(dialect string) []starter {
		db := testdb.Open(t, dialect)
		ts, err := db.FindTemplates(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []starter
		for _, tpl := range ts {
			if !tpl.Shared() || tpl.CreatedAt.IsZero() || tpl.UpdatedAt.IsZero() {
				t.Fatalf("%s: starter %+v is not shared or has no times", dialect, tpl)
			}
			out = append(out, starter{tpl.Name, tpl.Subject, tpl.Body})
		}
		return out
	}
	var got [][]starter
	for _, d := range testdb.Dialects() {
		got = append(got, read(d))
	}
	if len(got[0]) < 7 {
		t.Fatalf("%d starter templates, want at least 7", len(got[0]))
	}
	if len(got) > 1 {
		if diff := cmp.Diff(got[0], got[1]); diff != "" {
			t.Fatalf("starter templates differ (-sqlite +postgres):\n%s", diff)
		}
	}
}
