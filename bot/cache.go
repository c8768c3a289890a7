package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// envelopeCache remembers recent Socket Mode envelopes so a redelivered one
// is answered without running twice. Slack redelivers within minutes, so
// entries older than ttl are dropped, and never more than max are kept.
type envelopeCache struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	now   func() time.Time
	order []string
	byID  map[string]*envelope
}

// envelope is one request's outcome, available once it is finished.
type envelope struct {
	done    chan struct{}
	payload any
	at      time.Time
}

func newEnvelopeCache(max int, ttl time.Duration, now func() time.Time) *envelopeCache {
	return &envelopeCache{max: max, ttl: ttl, now: now, byID: make(map[string]*envelope)}
}

// begin registers an envelope and reports whether it was seen before.
func (c *envelopeCache) begin(id string) (*envelope, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		return e, true
	}
	now := c.now()
	e := &envelope{done: make(chan struct{}), at: now}
	c.byID[id] = e
	c.order = append(c.order, id)
	for len(c.order) > 0 && (len(c.order) > c.max || now.Sub(c.byID[c.order[0]].at) > c.ttl) {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
	return e, false
}

// finish records the answer; call it exactly once per envelope.
func (e *envelope) finish(payload any) {
	e.payload = payload
	close(e.done)
}

// wait returns the answer once the first delivery has one.
func (e *envelope) wait(ctx context.Context) any {
	select {
	case <-e.done:
		return e.payload
	case <-ctx.Done():
		return nil
	}
}

// userCache keeps users.info answers for a while: names, time zones and the
// admin flags change rarely, and every admin command needs them.
type userCache struct {
	api *slack.Client
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	users map[string]cachedUser
}

type cachedUser struct {
	user *slack.User
	at   time.Time
}

func newUserCache(api *slack.Client, ttl time.Duration, now func() time.Time) *userCache {
	return &userCache{api: api, ttl: ttl, now: now, users: make(map[string]cachedUser)}
}

// get returns the user's profile from cache or from users.info.
func (c *userCache) get(ctx context.Context, id string) (*slack.User, error) {
	c.mu.Lock()
	cu, ok := c.users[id]
	c.mu.Unlock()
	if ok && c.now().Sub(cu.at) < c.ttl {
		return cu.user, nil
	}
	u, err := c.api.GetUserInfoContext(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("users.info %s: %w", id, err)
	}
	c.mu.Lock()
	c.users[id] = cachedUser{user: u, at: c.now()}
	c.mu.Unlock()
	return u, nil
}
