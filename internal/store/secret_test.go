package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestSecret: a secret is made once, even by concurrent first uses, and then
// read back the same; another name is another secret.
func TestSecret(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := db.Secret(ctx, "signing")
				if err != nil {
					t.Error(err)
				}
				got[i] = v
			}()
		}
		wg.Wait()
		for _, v := range got {
			if len(v) != 32 || !bytes.Equal(v, got[0]) {
				t.Fatalf("secrets %x and %x: want one 32-byte secret", v, got[0])
			}
		}
		other, err := db.Secret(ctx, "other")
		if err != nil || bytes.Equal(other, got[0]) {
			t.Fatalf("other=%x err=%v: want a different secret", other, err)
		}
	})
}
