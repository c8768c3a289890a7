package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/store/engine"
)

// Slack's documented limits, simulated on the fake's clock:
// conversations.open is Tier 3 ("50+ per minute"); chat.postMessage allows
// about one message a second per channel and "several hundred per minute"
// per workspace, taken here as 300. Bursts equal one minute's allowance.
const (
	openPerMinute = 50
	postPerMinute = 300
)

// BenchmarkDeliverRound500 plans a round of 500 sessions and delivers its
// proposals through the fake under simulated rate limits, moving the clock
// to whenever the outbox says it may send next. It reports the simulated
// time the round took against the lower bound the limits impose.
func BenchmarkDeliverRound500(b *testing.B) {
	const sessions = 500
	var simulated, lower time.Duration
	for range b.N {
		b.StopTimer()
		start := time.Now().Truncate(time.Minute)
		clock := &manualClock{t: start}
		fake := slackfake.New(slackfake.WithClock(clock.Now))
		dbPath := filepath.Join(b.TempDir(), "pollen.db")
		seedTeamTB(b, fake, dbPath, 2*sessions, start)
		fake.SetRateLimit("conversations.open", openPerMinute, openPerMinute)
		fake.SetRateLimit("chat.postMessage", postPerMinute, postPerMinute)
		db, err := engine.Open(dbPath, engine.Options{})
		if err != nil {
			b.Fatal(err)
		}
		cfg := config.Config{AppToken: config.Secret(fake.AppToken), BotToken: config.Secret(fake.BotToken), APIURL: fake.APIURL(), DB: dbPath}
		a := newApp(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
		ctx := context.Background()
		b.StartTimer()
		if err := a.loop.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		for {
			next, err := a.sender.Drain(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if next.IsZero() {
				break
			}
			clock.Set(next)
		}
		b.StopTimer()
		if got := len(proposalsSent(fake)); got != sessions {
			b.Fatalf("%d proposals delivered, want %d", got, sessions)
		}
		simulated = clock.Now().Sub(start)
		lower = max(time.Duration(float64(sessions-openPerMinute)/openPerMinute*float64(time.Minute)),
			time.Duration(float64(sessions-postPerMinute)/postPerMinute*float64(time.Minute)))
		db.Close()
		fake.Close()
	}
	b.ReportMetric(simulated.Minutes(), "simulated-min")
	b.ReportMetric(lower.Minutes(), "bound-min")
	b.ReportMetric(simulated.Minutes()/lower.Minutes(), "x-bound")
}
