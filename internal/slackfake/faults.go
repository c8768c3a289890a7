package slackfake

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Fault is an injected failure for FailNext and FailRate: RateLimit, Status,
// Delay or SlackError.
type Fault interface {
	describe() string
}

// RateLimit answers HTTP 429 with Retry-After (whole seconds, rounded up) and
// {"ok":false,"error":"ratelimited"}. slack-go turns it into
// *slack.RateLimitedError.
type RateLimit struct{ RetryAfter time.Duration }

// Status answers a bare HTTP status such as 500 or 503 with an HTML body, as
// Slack's front end does. slack-go turns it into slack.StatusCodeError.
type Status struct{ Code int }

// Delay holds the response for D, then handles the call normally.
type Delay struct{ D time.Duration }

// SlackError answers HTTP 200 with {"ok":false,"error":Code}.
type SlackError struct{ Code string }

func (f RateLimit) describe() string  { return fmt.Sprintf("ratelimit(%s)", f.RetryAfter) }
func (f Status) describe() string     { return fmt.Sprintf("status(%d)", f.Code) }
func (f Delay) describe() string      { return fmt.Sprintf("delay(%s)", f.D) }
func (f SlackError) describe() string { return "error(" + f.Code + ")" }

type nextFault struct {
	left  int
	fault Fault
}

type rateFault struct {
	p     float64
	fault Fault
	rng   *rand.Rand
}

// Pseudo-methods that faults and Calls use for the non-API endpoints.
const (
	MethodUpload      = "upload"       // the upload URL from files.getUploadURLExternal
	MethodResponseURL = "response_url" // response_url POSTs
	MethodAny         = "*"            // FailNext/FailRate on every method
)

// FailNext makes the next n calls of method fail with f. Method "*" matches
// every method; MethodUpload and MethodResponseURL match those endpoints.
func (s *Server) FailNext(method string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], &nextFault{left: n, fault: f})
}

// FailRate makes each call of method fail with f with probability p, drawn
// from a generator seeded with seed. p <= 0 removes the rule.
func (s *Server) FailRate(method string, p float64, f Fault, seed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p <= 0 {
		delete(s.rates, method)
		return
	}
	src := uint64(seed)
	s.rates[method] = &rateFault{p: p, fault: f, rng: rand.New(rand.NewPCG(src, src^0x9e3779b97f4a7c15))}
}

// ClearFaults removes every FailNext and FailRate rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]*nextFault{}
	s.rates = map[string]*rateFault{}
}

// takeFault consumes the fault, if any, that applies to this call of method.
func (s *Server) takeFault(method string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if wait, limited := s.takeTokenLocked(method); limited {
		return RateLimit{RetryAfter: wait}
	}
	for _, key := range []string{method, MethodAny} {
		queue := s.faults[key]
		for len(queue) > 0 && queue[0].left <= 0 {
			queue = queue[1:]
		}
		s.faults[key] = queue
		if len(queue) > 0 {
			queue[0].left--
			return queue[0].fault
		}
	}
	for _, key := range []string{method, MethodAny} {
		if r := s.rates[key]; r != nil && r.rng.Float64() < r.p {
			return r.fault
		}
	}
	return nil
}

// applyFault applies a pending fault. It reports handled=false when the call
// should go on normally (no fault, or a Delay that has elapsed).
func (s *Server) applyFault(ctx context.Context, method string, call *Call) (apiResponse, bool) {
	f := s.takeFault(method)
	if f == nil {
		return apiResponse{}, false
	}
	call.Fault = f.describe()
	s.debugf("%s: injecting %s", method, call.Fault)
	switch f := f.(type) {
	case RateLimit:
		r := fail("ratelimited")
		r.status = http.StatusTooManyRequests
		r.retryAfter = strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds())))
		return r, true
	case Status:
		return apiResponse{status: f.Code, rawBody: "<html><body>" + http.StatusText(f.Code) + "</body></html>"}, true
	case SlackError:
		return fail(f.Code), true
	case Delay:
		t := time.NewTimer(f.D)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		case <-s.done:
		}
	}
	return apiResponse{}, false
}
