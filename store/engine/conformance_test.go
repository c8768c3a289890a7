package engine_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/store/engine"
	"github.com/pollen-team/pollen/store/storetest"
)

// TestConformance runs the store's conformance suite on bbolt, each case
// on a new database file.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		})
		return db
	})
}

// TestConformancePostgres runs the same suite, unchanged, on PostgreSQL:
// the package's throwaway server, a new database per case.
func TestConformancePostgres(t *testing.T) {
	srv := pgtest.Shared(t)
	storetest.Run(t, func(t *testing.T) storetest.Store {
		db, err := engine.Open(srv.NewDatabase(t), engine.Options{Timeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("%v\n%s", err, srv.Log())
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		})
		return db
	})
}
