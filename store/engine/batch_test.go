package engine

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/store"
)

// TestApplyGroupCommits: 200 Applies at once, each incrementing one
// counter, commit in fewer transactions than there are Applies (they are
// grouped), and not one increment is lost (each decision of a batch reads
// the earlier ones' writes). Fenced Applies stay out of the batches.
func TestApplyGroupCommits(t *testing.T) {
	for _, backend := range []string{"bbolt", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pollen.db")
			if backend == "postgres" {
				path = pgtest.Shared(t).NewDatabase(t)
			}
			db, err := Open(path, Options{Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			const n = 200
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					_, err := db.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
						var c int
						if _, err := r.Setting("counter", &c); err != nil {
							return store.Change{}, err
						}
						return store.Change{Values: map[string]any{"counter": c + 1}}, nil
					})
					if err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			var c int
			if err := db.Snapshot(context.Background(), func(r store.Reader) error { _, err := r.Setting("counter", &c); return err }); err != nil {
				t.Fatal(err)
			}
			commits := db.batch.commits.Load()
			if c != n || commits < 1 || commits >= n {
				t.Errorf("counter %d in %d group commits, want %d in fewer than %d", c, commits, n, n)
			}
			t.Logf("%d Applies in %d commits", n, commits)
			fenced := store.WithFence(context.Background(), store.Fence{Token: 1, Holder: "x"})
			if db.pg == nil { // bbolt has no lease to check: the write goes through, alone
				if _, err := db.Apply(fenced, func(store.Reader) (store.Change, error) {
					return store.Change{Values: map[string]any{"fenced": 1}}, nil
				}); err != nil {
					t.Fatal(err)
				}
				if db.batch.commits.Load() != commits {
					t.Errorf("a fenced Apply joined a batch")
				}
			}
		})
	}
}
