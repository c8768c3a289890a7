package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/store/engine"
)

// A database with every kind of record (the one d71c132 wrote, upgraded)
// goes from bbolt to PostgreSQL and back, and each copy holds the same
// records, byte for byte, and reads the same through the operations.
func TestCopyRoundTripsEveryRecordBetweenBackends(t *testing.T) {
	src, _ := openOldDB(t)
	pg, err := engine.Open(pgtest.Shared(t).NewDatabase(t), engine.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if n, err := pg.Records(); err != nil || n != 0 {
		t.Fatalf("a new PostgreSQL database holds %d records (%v), want none", n, err)
	}
	back, err := engine.Open(filepath.Join(t.TempDir(), "back.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()

	want, records, err := src.Digest()
	if err != nil || records < 50 {
		t.Fatalf("source digest: %d records, %v", records, err)
	}
	if n, err := src.CopyTo(pg); err != nil || n != records {
		t.Fatalf("copy to PostgreSQL: %d of %d records, %v", n, records, err)
	}
	if n, err := pg.CopyTo(back); err != nil || n != records {
		t.Fatalf("copy back to bbolt: %d of %d records, %v", n, records, err)
	}
	for name, db := range map[string]*engine.DB{"postgres": pg, "bbolt again": back} {
		got, n, err := db.Digest()
		if err != nil || got != want || n != records {
			t.Errorf("%s: %d records, digest equal %v (%v)", name, n, got == want, err)
		}
		team, err := db.LoadTeam(context.Background())
		if err != nil || len(team.People) != 5 || len(team.Projects) != 3 || team.Settings.Channel != "C0TEAM" {
			t.Errorf("%s reads back %d people, %d projects, channel %q (%v)", name, len(team.People), len(team.Projects), team.Settings.Channel, err)
		}
	}
	if n, err := pg.Records(); err != nil || n == 0 {
		t.Errorf("the copied PostgreSQL database counts %d records (%v)", n, err)
	}
	// Copying over a database that holds records replaces them all.
	if n, err := back.CopyTo(pg); err != nil || n != records {
		t.Fatalf("second copy: %d, %v", n, err)
	}
	if got, _, _ := pg.Digest(); got != want {
		t.Error("a second copy over the same target does not hold the same records")
	}
}
