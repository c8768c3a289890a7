package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// BenchmarkTickIdle is the minute tick on a quiet Wednesday with a history
// of done sessions behind it: the cost the loop pays every minute.
func BenchmarkTickIdle(b *testing.B) {
	for _, n := range []int{5_000, 50_000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			db, err := engine.Open(filepath.Join(b.TempDir(), "pollen.db"), engine.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			start := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
			for done := 0; done < n; {
				var c store.Change
				for i := 0; i < 1000 && done < n; i, done = i+1, done+1 {
					at := start.Add(time.Duration(done) * 10 * time.Minute)
					c.Sessions = append(c.Sessions, pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UANA",
						Learners: []string{fmt.Sprintf("U%05d", done%500)}, Round: pairing.RoundID(at), Slot: at,
						Length: time.Hour, State: pairing.Done, CreatedAt: at, UpdatedAt: at, DoneAt: at})
				}
				save(b, db, c)
			}
			now := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
			loop := NewLoop(db, &wakes{}, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
			ctx := context.Background()
			if err := loop.Tick(ctx); err != nil { // the epoch
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				now = now.Add(time.Minute)
				if err := loop.Tick(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
