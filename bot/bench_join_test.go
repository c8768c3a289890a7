package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/store/engine"
)

// TestMain stops the PostgreSQL server the package's benchmarks share.
func TestMain(m *testing.M) { pgtest.Main(m) }

// BenchmarkJoinAck has 200 different people type /pair join at the same
// moment, each a write, on bbolt and on PostgreSQL, and reports the ack
// latency the fake Slack measured. The first batch of each run is the
// people's first join (users.info is asked about each: cold); the timed
// batches join them again (the user cache answers: warm), switching
// everyone's cadence between weekly and biweekly each batch, so every
// timed command changes its person's record: each is a real write.
//
//	go test -run XXX -bench JoinAck -benchtime 5x ./bot/
func BenchmarkJoinAck(b *testing.B) {
	for _, backend := range []string{"bbolt", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			var change func(*Config)
			if backend == "postgres" {
				db, err := engine.Open(pgtest.Shared(b).NewDatabase(b), engine.Options{Timeout: 10 * time.Second})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { db.Close() })
				change = func(c *Config) { c.DB = db }
			}
			h := newHarnessWith(b, change)
			const inFlight = 200
			users := make([]string, inFlight)
			for i := range users {
				users[i] = fmt.Sprintf("UJ%03d", i)
				h.fake.AddUser(slackfake.User{ID: users[i], Name: fmt.Sprintf("j%03d", i), TZ: "Europe/Berlin"})
			}
			var latencies []time.Duration
			cadence := "weekly"
			batch := func() {
				latencies = append(latencies, ackBatch(b, h, inFlight, joinedAs(cadence), func(i int) (string, string) { return users[i], "join " + cadence })...)
				cadence = map[string]string{"weekly": "biweekly", "biweekly": "weekly"}[cadence]
			}
			pct := func(p float64) float64 {
				slices.Sort(latencies)
				return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
			}
			batch() // first joins: a users.info call each
			cold := pct(0.99)
			latencies = latencies[:0]
			b.ResetTimer()
			for range b.N {
				batch()
			}
			b.StopTimer()
			b.ReportMetric(cold, "cold-p99-ms")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}

// joinedAs accepts the answers of a join that put the person in the
// rotation with the cadence: a first join's welcome, or a member's
// cadence changed.
func joinedAs(cadence string) func(string) bool {
	return func(text string) bool {
		return strings.HasPrefix(text, "Welcome to the rotation!") || strings.HasPrefix(text, "You're in the rotation, "+cadence+".")
	}
}
