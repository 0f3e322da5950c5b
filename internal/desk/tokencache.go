package desk

import (
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
)

// TokenCacheTTL is how long a token's owner is remembered without asking
// the database again.
const TokenCacheTTL = 10 * time.Second

// maxCachedTokens bounds the cache; past it the cache starts afresh.
const maxCachedTokens = 10_000

type cachedUser struct {
	user    *rapport.User
	expires time.Time
}

// tokenCache remembers recent token lookups. The zero value is ready.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedUser
}

func (c *tokenCache) get(hash string, now time.Time) *rapport.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || now.After(e.expires) {
		return nil
	}
	u := *e.user // a copy: callers may not change the cached user
	return &u
}

func (c *tokenCache) put(hash string, u *rapport.User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedTokens {
		c.m = make(map[string]cachedUser)
	}
	cp := *u
	c.m[hash] = cachedUser{user: &cp, expires: now.Add(TokenCacheTTL)}
}

func (c *tokenCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
