package bot

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkSlashCommandAck sends 200 /pair commands at once through the fake
// Slack (real WebSocket, real database) and reports the ack latency the
// fake measured, from sending the envelope to receiving its ack.
func BenchmarkSlashCommandAck(b *testing.B) {
	h := newHarness(b)
	for _, step := range []struct{ user, text string }{
		{"UANA", "join"}, {"UBO", "join"}, {"UCY", "join"},
		{"UANA", "project add churn-model <@UANA|ana>"}, {"UANA", "project add etl <@UBO|bo>"},
	} {
		h.run(step.user, step.text)
	}
	const inFlight = 200
	commands := []string{"projects", "who etl", "me", "help", "history"}
	users := []string{"UANA", "UBO", "UCY"}
	var latencies []time.Duration
	batch := func() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := range inFlight {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				ack, err := h.fake.SlashCommand(ctx, users[i%len(users)], "", "/pair", commands[i%len(commands)])
				if err != nil || ack.Message == nil {
					b.Errorf("command %d: %v", i, err)
					return
				}
				mu.Lock()
				latencies = append(latencies, ack.Latency)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	batch() // warm up: connections, caches, goroutine stacks
	latencies = latencies[:0]
	b.ResetTimer()
	for range b.N {
		batch()
	}
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(float64(inFlight), "in-flight")
}
