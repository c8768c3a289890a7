package engine

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// BenchmarkOpen is what Open's checks cost at start (the page check and
// decoding every record) on databases of a year and of ten years of a
// 50-person team's sessions, each with its knowledge event.
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{5_000, 50_000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "pollen.db")
			db, err := Open(path, Options{})
			if err != nil {
				b.Fatal(err)
			}
			for done := 0; done < n; {
				if err := db.Update(func(tx *Tx) error {
					for i := 0; i < 1000 && done < n; i, done = i+1, done+1 {
						at := t0.Add(time.Duration(done) * 10 * time.Minute)
						s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UANA",
							Learners: []string{fmt.Sprintf("U%03d", done%50)}, Round: pairing.RoundID(at), Slot: at,
							Length: time.Hour, State: pairing.Done, CreatedAt: at, UpdatedAt: at, DoneAt: at}
						if err := tx.PutSession(s); err != nil {
							return err
						}
						if _, err := tx.AppendEvent(pairing.Event{ID: store.NewID(), At: at, Kind: pairing.EventSession, Project: "etl",
							SessionID: s.ID, SessionKind: pairing.Pair, Host: "UANA", Learners: s.Learners}); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			db.Close()
			b.ResetTimer()
			for b.Loop() {
				db, err := Open(path, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
		})
	}
}
