package bot

import (
	"context"
	"slices"
	"strings"
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
		latencies = append(latencies, ackBatch(b, h, inFlight, notAnApology, func(i int) (string, string) {
			return users[i%len(users)], commands[i%len(commands)]
		})...)
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

// ackBatch sends n /pair commands at once (command i as user(i)) and
// returns the ack latency the fake measured for each. Every ack must be
// the answer of a command that did its work (answered says so): a fast
// refusal or apology would make the figures look better than the work.
func ackBatch(b *testing.B, h *harness, n int, answered func(text string) bool, command func(i int) (user, text string)) []time.Duration {
	b.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out []time.Duration
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			user, text := command(i)
			ack, err := h.fake.SlashCommand(ctx, user, "", "/pair", text)
			if err != nil || ack.Message == nil {
				b.Errorf("command %d (%s by %s): %v", i, text, user, err)
				return
			}
			if !answered(ack.Message.Text) {
				b.Errorf("command %d (%s by %s) was answered %q: not the command's work", i, text, user, ack.Message.Text)
				return
			}
			mu.Lock()
			out = append(out, ack.Latency)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// notAnApology accepts any answer but the one of a command that failed on
// Pollen's side.
func notAnApology(text string) bool { return !strings.Contains(text, apology) }
