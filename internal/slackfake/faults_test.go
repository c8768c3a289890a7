package slackfake_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/slackfake"
)

func TestRateLimitSurfacesAsRateLimitedError(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	ctx := testCtx(t)
	srv.FailNext("chat.postMessage", 1, slackfake.RateLimit{RetryAfter: 2 * time.Second})
	_, _, err := api.PostMessageContext(ctx, alice.ID, slack.MsgOptionText("hi", false))
	rl, ok := errors.AsType[*slack.RateLimitedError](err)
	if !ok || rl.RetryAfter != 2*time.Second {
		t.Fatalf("err = %#v, want *slack.RateLimitedError{2s}", err)
	}
	if _, _, err := api.PostMessageContext(ctx, alice.ID, slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("second post: %v", err)
	}
	calls := srv.Calls("chat.postMessage")
	if calls[0].Status != http.StatusTooManyRequests || calls[0].Error != "ratelimited" || calls[0].Fault == "" || !calls[1].OK {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault slackfake.Fault
		check func(t *testing.T, err error, took time.Duration)
	}{
		{"503", slackfake.Status{Code: 503}, func(t *testing.T, err error, _ time.Duration) {
			t.Helper()
			if sc, ok := errors.AsType[slack.StatusCodeError](err); !ok || sc.Code != 503 {
				t.Fatalf("err = %#v", err)
			}
		}},
		{"slack error", slackfake.SlackError{Code: "channel_not_found"}, func(t *testing.T, err error, _ time.Duration) {
			t.Helper()
			assertSlackError(t, err, "channel_not_found")
		}},
		{"delay", slackfake.Delay{D: 150 * time.Millisecond}, func(t *testing.T, err error, took time.Duration) {
			t.Helper()
			if err != nil || took < 150*time.Millisecond {
				t.Fatalf("err %v after %s", err, took)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			srv.FailNext("users.info", 1, tt.fault)
			start := time.Now()
			_, err := newAPI(srv).GetUserInfoContext(testCtx(t), alice.ID)
			tt.check(t, err, time.Since(start))
		})
	}
}

func TestFailRate(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	srv.FailRate("chat.postMessage", 0.3, slackfake.RateLimit{}, 42)
	limited := 0
	for range 100 {
		_, _, err := api.PostMessageContext(testCtx(t), alice.ID, slack.MsgOptionText("x", false))
		if _, ok := errors.AsType[*slack.RateLimitedError](err); ok {
			limited++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if limited < 15 || limited > 45 {
		t.Fatalf("%d of 100 rate limited, want about 30", limited)
	}
	srv.ClearFaults()
	if _, _, err := api.PostMessageContext(testCtx(t), alice.ID, slack.MsgOptionText("x", false)); err != nil {
		t.Fatal(err)
	}
}

func TestSlackGoRetryHonoursRetryAfter(t *testing.T) {
	srv := newServer(t)
	api := slack.New(srv.BotToken, slack.OptionAPIURL(srv.APIURL()), slack.OptionRetry(2))
	srv.FailNext("auth.test", 1, slackfake.RateLimit{RetryAfter: 0})
	if _, err := api.AuthTestContext(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Calls("auth.test")); n != 2 {
		t.Fatalf("auth.test calls = %d, want 2", n)
	}
}

func TestRateLimitFollowsTheFakeClock(t *testing.T) {
	clock := slackfake.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	srv := slackfake.New(slackfake.WithClock(clock.Now))
	defer srv.Close()
	srv.SetRateLimit("auth.test", 60, 2) // one a second, bursts of two
	api := slack.New(srv.BotToken, slack.OptionAPIURL(srv.APIURL()))
	for i := range 2 {
		if _, err := api.AuthTest(); err != nil {
			t.Fatalf("call %d within the burst: %v", i+1, err)
		}
	}
	_, err := api.AuthTest()
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("third call: %v, want a 429 with Retry-After 1s", err)
	}
	clock.Advance(time.Second)
	if _, err := api.AuthTest(); err != nil {
		t.Fatalf("after a second: %v", err)
	}
}
