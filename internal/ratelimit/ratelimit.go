// Package ratelimit counts failures per key (a client address, an account)
// and says when a key has failed too often and must wait.
//
// Each key has a token bucket from golang.org/x/time/rate: n failures at
// once, then one more every period/n. What the standard and x/ packages do
// not offer is the keyed, bounded map around the buckets, so that is the
// part written here: keys are kept in least-recently-failed order and the
// oldest are dropped past a maximum. A dropped key whose bucket had refilled
// loses nothing (a fresh bucket is the same); a key under attack is touched
// by every failure, so it stays.
package ratelimit

import (
	"container/list"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter counts failures per key. It is safe for concurrent use.
type Limiter struct {
	// Now returns the current time; tests replace it before first use.
	Now func() time.Time

	limit   rate.Limit
	burst   int
	maxKeys int

	mu   sync.Mutex
	keys map[string]*list.Element
	lru  list.List // of *entry, most recently failed first
}

type entry struct {
	key    string
	bucket *rate.Limiter
}

// New returns a Limiter that allows n failures per key in any period (n at
// once, then one every period/n) and remembers at most maxKeys keys.
func New(n int, period time.Duration, maxKeys int) *Limiter {
	if n < 1 || period <= 0 || maxKeys < 1 {
		panic("ratelimit.New: n, period and maxKeys must be positive")
	}
	return &Limiter{
		Now:     time.Now,
		limit:   rate.Limit(float64(n) / period.Seconds()),
		burst:   n,
		maxKeys: maxKeys,
		keys:    map[string]*list.Element{},
	}
}

// Wait says how long key must wait before its next attempt: 0 when it may
// try now. Asking about an unknown key stores nothing.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.keys[key]
	if !ok {
		return 0
	}
	return l.wait(el.Value.(*entry), l.Now())
}

// Fail records a failure of key and returns how long key must now wait
// before its next attempt (0 while it has failures to spare).
func (l *Limiter) Fail(key string) time.Duration {
	now := l.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.keys[key]
	if ok {
		l.lru.MoveToFront(el)
	} else {
		l.evict(now)
		el = l.lru.PushFront(&entry{key: key, bucket: rate.NewLimiter(l.limit, l.burst)})
		l.keys[key] = el
	}
	e := el.Value.(*entry)
	e.bucket.AllowN(now, 1) // when it is empty already, it stays empty
	return l.wait(e, now)
}

// Len returns how many keys are remembered.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// wait returns the time until e's bucket holds a whole token again, to the
// millisecond (the bucket counts in floating point).
func (l *Limiter) wait(e *entry, now time.Time) time.Duration {
	tokens := e.bucket.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	d := time.Duration((1 - tokens) / float64(l.limit) * float64(time.Second)).Round(time.Millisecond)
	return max(d, time.Millisecond)
}

// evict makes room for one more key: it drops the least recently failed
// keys whose buckets have refilled, and the least recently failed key
// whatever its state when the limiter is still full.
func (l *Limiter) evict(now time.Time) {
	for back := l.lru.Back(); back != nil; back = l.lru.Back() {
		e := back.Value.(*entry)
		if len(l.keys) < l.maxKeys && e.bucket.TokensAt(now) < float64(l.burst) {
			return
		}
		l.lru.Remove(back)
		delete(l.keys, e.key)
	}
}
