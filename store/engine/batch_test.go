package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// A write that PostgreSQL refuses only when it is sent (at flush: here a
// key longer than its index allows) fails the Apply that made it, not
// the others of its group commit: they are run again alone and commit.
func TestARefusedWriteFailsOnlyItsOwnApply(t *testing.T) {
	db, _ := openPostgresTemp(t)
	ctx := context.Background()
	release, queued := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() { // holds the batcher busy until the others are queued, so they share the next batch
		_, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
			<-release
			return store.Change{Values: map[string]any{"first": 1}}, nil
		})
		first <- err
	}()
	time.Sleep(50 * time.Millisecond) // the first Apply is in its batch, alone
	long := make([]byte, 3000)        // random, so PostgreSQL cannot compress it under its index's limit
	for i := range long {
		long[i] = "abcdefghijklmnopqrstuvwxyz"[rand.IntN(26)]
	}
	keys := []string{"a", string(long), "b"}
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Go(func() {
			_, errs[i] = db.Apply(ctx, func(store.Reader) (store.Change, error) {
				return store.Change{Values: map[string]any{key: i}}, nil
			})
		})
	}
	go func() {
		for db.batch.pendingLen() < len(keys) {
			time.Sleep(time.Millisecond)
		}
		close(queued)
	}()
	<-queued
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatalf("the first Apply: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Fatalf("Applies of a, a 3000-byte key and b = %v; want only the long key refused", errs)
	}
	for _, key := range []string{"a", "b"} {
		var v int
		if err := db.Snapshot(ctx, func(r store.Reader) error {
			ok, err := r.Setting(key, &v)
			if err == nil && !ok {
				err = fmt.Errorf("%s was not written", key)
			}
			return err
		}); err != nil {
			t.Error(err)
		}
	}
}

// An Apply whose context ends while it waits for a batch (an earlier one
// holds the batcher for 1.5 s) returns with the context's error without
// waiting for it (within a second of its 100 ms deadline, however loaded
// the machine), and its decision never runs, on both backends.
func TestAnApplyStopsWaitingWhenItsContextEnds(t *testing.T) {
	pg, _ := openPostgresTemp(t)
	for name, db := range map[string]*DB{"bbolt": openTemp(t), "postgres": pg} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			release, held := make(chan struct{}), make(chan struct{})
			first := make(chan error, 1)
			go func() {
				_, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) {
					close(held)
					<-release
					return store.Change{Values: map[string]any{"first": 1}}, nil
				})
				first <- err
			}()
			<-held // the batcher is busy with the first Apply, for 1.5 s
			time.AfterFunc(1500*time.Millisecond, func() { close(release) })
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			ran := false
			start := time.Now()
			_, err := db.Apply(ctx, func(store.Reader) (store.Change, error) {
				ran = true
				return store.Change{Values: map[string]any{"late": 1}}, nil
			})
			waited := time.Since(start)
			if err := <-first; err != nil {
				t.Fatal(err)
			}
			if !errors.Is(err, context.DeadlineExceeded) || waited > time.Second {
				t.Fatalf("an Apply whose context ended while queued = %v after %v; want the deadline's error at once", err, waited)
			}
			time.Sleep(50 * time.Millisecond) // the batcher's next turn, if it had kept the call
			var v int
			if err := db.Snapshot(context.Background(), func(r store.Reader) error {
				ok, err := r.Setting("late", &v)
				if ok || ran {
					return fmt.Errorf("the abandoned Apply ran (%v) or wrote (%v)", ran, ok)
				}
				return err
			}); err != nil {
				t.Error(err)
			}
		})
	}
}
