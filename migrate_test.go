package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/store/engine"
)

// TestMain stops the PostgreSQL server the package's tests share.
func TestMain(m *testing.M) { pgtest.Main(m) }

// pollen migrate copies the database written by d71c132 (every kind of
// record) to PostgreSQL, verifies it, refuses to copy over it again
// unless told, and copies it back to a file that holds the same records.
func TestMigrateToPostgresAndBack(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("store", "engine", "testdata", "v-d71c132", "pollen.db"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pollen.db")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	url := pgtest.Shared(t).NewDatabase(t)
	code, out, errs := runCLI(t, nil, "migrate", "-from", file, "-to", url)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("migrate to PostgreSQL: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = runCLI(t, nil, "migrate", "-from", file, "-to", url)
	if code != 1 || !strings.Contains(errs, "already holds") || !strings.Contains(errs, "-replace") || strings.Count(errs, "\n") != 1 {
		t.Errorf("a second migrate over the copy: exit %d, %q; want one line refusing it", code, errs)
	}
	if code, out, errs = runCLI(t, nil, "migrate", "-replace", "-from", file, "-to", url); code != 0 {
		t.Errorf("migrate -replace: exit %d\n%s%s", code, out, errs)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	if code, out, errs = runCLI(t, nil, "migrate", "-from", url, "-to", back); code != 0 {
		t.Fatalf("migrate back to a file: exit %d\n%s%s", code, out, errs)
	}
	digest := func(where string) ([32]byte, int) {
		t.Helper()
		db, err := engine.Open(where, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		d, n, err := db.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d, n
	}
	a, n := digest(file)
	b, m := digest(back)
	if a != b || n != m || n < 50 {
		t.Errorf("the round trip holds %d records, the original %d; equal: %v", m, n, a == b)
	}
}

// Bad input: one line and the exit code that says what kind of mistake.
func TestMigrateBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pollen.db")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no target", []string{"migrate", "-from", file}, 2, "give both -from and -to"},
		{"malformed URL", []string{"migrate", "-from", file, "-to", "postgres://u:p@127.0.0.1:notaport/db"}, 2, "not a valid PostgreSQL URL"},
		{"nobody listening", []string{"migrate", "-from", file, "-to", "postgres://u:secret@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"}, 1, "connect to"},
		{"same database", []string{"migrate", "-from", file, "-to", file}, 2, "same database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 || strings.Contains(errs, "secret") {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q, no password", code, errs, tt.code, tt.want)
			}
		})
	}
}
