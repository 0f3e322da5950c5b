package desk

import (
	"context"
	"math/rand/v2"
	"sync"

	"github.com/rapportdesk/rapport"
)

// KeyedRequest follows one request sent with an Idempotency-Key through the
// desk. Its first write transaction that succeeds also records the key, so
// the record exists exactly when the write committed, and a concurrent
// request with the same key is rolled back whole instead of writing twice.
type KeyedRequest struct {
	mu        sync.Mutex
	key       rapport.IdempotencyKey
	committed bool // the key was recorded with the request's first write
	duplicate bool // another request recorded the key first; nothing was written
}

// Committed reports whether the request's write committed.
func (q *KeyedRequest) Committed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.committed
}

// Duplicate reports whether another request with the same key wrote first,
// so that this one was refused and wrote nothing.
func (q *KeyedRequest) Duplicate() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.duplicate
}

type keyedRequestKey struct{}

// WithIdempotencyKey returns ctx carrying a KeyedRequest: every change the
// desk makes with that ctx records key, with the hash identifying the
// request, in its transaction.
func (d *Desk) WithIdempotencyKey(ctx context.Context, key, requestHash string) (context.Context, *KeyedRequest, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	q := &KeyedRequest{key: rapport.IdempotencyKey{UserID: me.ID, Key: key, RequestHash: requestHash, CreatedAt: d.now()}}
	return context.WithValue(ctx, keyedRequestKey{}, q), q, nil
}

// IdempotencyKey returns the caller's record of a request sent with key in
// the last rapport.IdempotencyKeyTTL, or ENOTFOUND.
func (d *Desk) IdempotencyKey(ctx context.Context, key string) (*rapport.IdempotencyKey, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return d.store.FindIdempotencyKey(ctx, me.ID, key, d.now().Add(-rapport.IdempotencyKeyTTL))
}

// One save in cleanEvery also deletes the records past their time: often
// enough to keep the table small, rarely enough to cost nothing.
const cleanEvery = 64

// SaveIdempotentResponse stores the answer to the caller's request with key,
// for retries to get. Now and then it deletes records past their time.
func (d *Desk) SaveIdempotentResponse(ctx context.Context, key string, response []byte) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	clean := rand.N(cleanEvery) == 0
	return d.store.Update(context.WithoutCancel(ctx), func(tx rapport.Tx) error {
		if err := tx.SaveIdempotentResponse(ctx, me.ID, key, response); err != nil {
			return err
		}
		if clean {
			_, err := tx.DeleteIdempotencyKeys(ctx, d.now().Add(-rapport.IdempotencyKeyTTL))
			return err
		}
		return nil
	})
}

// keyedStore records a request's Idempotency-Key in its first write
// transaction (see KeyedRequest); without one it is the store itself.
type keyedStore struct{ rapport.Store }

func (s keyedStore) Update(ctx context.Context, fn func(rapport.Tx) error) error {
	q, _ := ctx.Value(keyedRequestKey{}).(*KeyedRequest)
	if q == nil {
		return s.Store.Update(ctx, fn)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.committed {
		return s.Store.Update(ctx, fn)
	}
	var dup bool
	err := s.Store.Update(ctx, func(tx rapport.Tx) error {
		dup = false
		if err := tx.CreateIdempotencyKey(ctx, &q.key); err != nil {
			dup = rapport.ErrorCode(err) == rapport.ECONFLICT
			return err
		}
		return fn(tx)
	})
	q.committed, q.duplicate = err == nil, dup && err != nil
	return err
}
