package ratelimit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/ratelimit"
)

// clock is a fake time source the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newLimiter(n int, per time.Duration, maxKeys int) (*ratelimit.Limiter, *clock) {
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	l := ratelimit.New(n, per, maxKeys)
	l.Now = c.now
	return l, c
}

// TestAllowance: ten failures a minute, then one every six seconds.
func TestAllowance(t *testing.T) {
	l, c := newLimiter(10, time.Minute, 100)
	for i := 1; i <= 9; i++ {
		if got := l.Fail("10.0.0.1"); got != 0 {
			t.Fatalf("failure %d: wait=%v, want 0", i, got)
		}
	}
	if got := l.Fail("10.0.0.1"); got != 6*time.Second {
		t.Fatalf("failure 10: wait=%v, want 6s", got)
	}
	for _, tc := range []struct {
		after time.Duration // since the tenth failure
		want  time.Duration
	}{
		{0, 6 * time.Second},
		{time.Second, 5 * time.Second},
		{5500 * time.Millisecond, 500 * time.Millisecond},
		{6 * time.Second, 0},
	} {
		c2 := *c
		c2.advance(tc.after)
		l.Now = c2.now
		if got := l.Wait("10.0.0.1"); got != tc.want {
			t.Fatalf("Wait %v after the tenth failure=%v, want %v", tc.after, got, tc.want)
		}
	}
	l.Now = c.now
	if got := l.Wait("10.0.0.2"); got != 0 {
		t.Fatalf("another key's Wait=%v, want 0", got)
	}
	c.advance(6 * time.Second)
	if got := l.Fail("10.0.0.1"); got != 6*time.Second {
		t.Fatalf("failure 11, 6 s later: wait=%v, want 6s", got)
	}
	c.advance(time.Minute)
	if got := l.Wait("10.0.0.1"); got != 0 {
		t.Fatalf("Wait a minute later=%v, want 0", got)
	}
}

// TestBoundedMemory: asking stores nothing; keys whose allowance has come
// back are dropped; past the maximum the least recently failed key goes,
// while a key that keeps failing stays.
func TestBoundedMemory(t *testing.T) {
	l, c := newLimiter(2, time.Minute, 3)
	for i := 0; i < 1000; i++ {
		l.Wait(fmt.Sprint("ask-", i))
	}
	if got := l.Len(); got != 0 {
		t.Fatalf("Len after only asking=%d, want 0", got)
	}
	l.Fail("victim")
	l.Fail("victim")
	for i := 0; i < 10; i++ {
		l.Fail(fmt.Sprint("flood-", i))
		l.Fail("victim") // the attack goes on between the flood's keys
		if got := l.Len(); got > 3 {
			t.Fatalf("Len=%d, want at most 3", got)
		}
	}
	if got := l.Wait("victim"); got == 0 {
		t.Fatalf("victim's Wait after the flood=%v, want > 0", got)
	}
	c.advance(time.Minute) // every bucket is full again
	l.Fail("late")
	if got := l.Len(); got != 1 {
		t.Fatalf("Len after every other key refilled=%d, want 1", got)
	}
}
