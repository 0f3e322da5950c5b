package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestIdempotencyKeys: a key is recorded with the transaction it guards,
// once per person while it lives, and forgotten after its time.
func TestIdempotencyKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		sam := mustUser(t, db, "sam@example.com", rapport.RoleRequester)
		now := rapport.Now()
		create := func(u *rapport.User, key string, at time.Time, fail error) error {
			return db.Update(ctx, func(tx rapport.Tx) error {
				if err := tx.CreateIdempotencyKey(ctx, &rapport.IdempotencyKey{UserID: u.ID, Key: key, RequestHash: "h", CreatedAt: at}); err != nil {
					return err
				}
				return fail
			})
		}
		since := now.Add(-rapport.IdempotencyKeyTTL)
		// Rolled back with its transaction: not recorded.
		if err := create(pat, "k", now, errors.New("the write failed")); err == nil {
			t.Fatal("update did not fail")
		}
		if _, err := db.FindIdempotencyKey(ctx, pat.ID, "k", since); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("key of a rolled-back write: %v, want not found", err)
		}
		if err := create(pat, "k", now, nil); err != nil {
			t.Fatal(err)
		}
		if err := create(pat, "k", now, nil); rapport.ErrorCode(err) != rapport.ECONFLICT {
			t.Fatalf("same key again: %v, want conflict", err)
		}
		if err := create(sam, "k", now, nil); err != nil {
			t.Fatalf("same key, another person: %v", err)
		}
		k, err := db.FindIdempotencyKey(ctx, pat.ID, "k", since)
		if err != nil || k.RequestHash != "h" || k.Response != nil || !k.CreatedAt.Equal(now) {
			t.Fatalf("found %+v %v", k, err)
		}
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.SaveIdempotentResponse(ctx, pat.ID, "k", []byte("answer")) }); err != nil {
			t.Fatal(err)
		}
		if k, err := db.FindIdempotencyKey(ctx, pat.ID, "k", since); err != nil || string(k.Response) != "answer" {
			t.Fatalf("found %+v %v, want the saved answer", k, err)
		}
		// A day later the key is past its time: ignored, and usable again.
		later := now.Add(rapport.IdempotencyKeyTTL + time.Hour)
		if _, err := db.FindIdempotencyKey(ctx, pat.ID, "k", later.Add(-rapport.IdempotencyKeyTTL)); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("old key: %v, want not found", err)
		}
		if err := create(pat, "k", later, nil); err != nil {
			t.Fatalf("reusing an old key: %v", err)
		}
		var n int
		if err := db.Update(ctx, func(tx rapport.Tx) (err error) {
			n, err = tx.DeleteIdempotencyKeys(ctx, later.Add(-rapport.IdempotencyKeyTTL))
			return err
		}); err != nil || n != 1 {
			t.Fatalf("deleted %d (%v), want sam's old key only", n, err)
		}
	})
}
