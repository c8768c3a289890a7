package slackfake

import (
	"time"
)

// bucket is a token bucket on the fake's clock: Slack's per-method,
// per-workspace limits ("Tier 3: 50+ per minute") with a burst allowance.
type bucket struct {
	perMinute float64
	burst     float64
	tokens    float64
	at        time.Time
}

// SetRateLimit simulates Slack's rate limit on a method: perMinute calls a
// minute on average, bursts of up to burst calls, measured on the fake's
// clock (WithClock), so a test can simulate minutes of rate-limited sending
// without waiting. A call over the limit answers 429 with the Retry-After
// that a token becomes available in. perMinute <= 0 removes the limit.
func (s *Server) SetRateLimit(method string, perMinute, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets == nil {
		s.buckets = map[string]*bucket{}
	}
	if perMinute <= 0 {
		delete(s.buckets, method)
		return
	}
	b := float64(max(burst, 1))
	s.buckets[method] = &bucket{perMinute: float64(perMinute), burst: b, tokens: b, at: s.clock()}
}

// takeToken spends a token of method's bucket, or says how long until one
// is available. Call with s.mu held.
func (s *Server) takeTokenLocked(method string) (wait time.Duration, limited bool) {
	b := s.buckets[method]
	if b == nil {
		return 0, false
	}
	now := s.clock()
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(b.burst, b.tokens+elapsed.Minutes()*b.perMinute)
	}
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, false
	}
	return time.Duration((1 - b.tokens) / b.perMinute * float64(time.Minute)), true
}
