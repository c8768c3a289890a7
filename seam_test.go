package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTheDatabaseStopsAtTheStore holds issue 19's seam: the bot does not
// import the scheduler, neither imports a database (bbolt, pgx, or
// store/engine, which holds them), and no file outside store/engine (the
// root package, which wires things together, aside) names a transaction,
// opens one, or imports bbolt. Callers reach the database through its
// operations, declared on their side as small interfaces over the values
// of package store.
func TestTheDatabaseStopsAtTheStore(t *testing.T) {
	for _, pkg := range []string{"./bot", "./scheduler"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if (pkg == "./bot" && dep == "github.com/pollen-team/pollen/scheduler") || strings.HasPrefix(dep, "go.etcd.io/bbolt") ||
				strings.HasPrefix(dep, "github.com/jackc/pgx") || dep == "github.com/pollen-team/pollen/store/engine" {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
	forbidden := regexp.MustCompile(`store\.Tx\b|\*bbolt\.|\*bolt\.|"go\.etcd\.io/bbolt"|\.(View|Update)\(func\(tx \*`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == "store/engine" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || !strings.Contains(path, "/") {
			return nil // the root package is the wiring
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if forbidden.MatchString(line) {
				t.Errorf("%s:%d reaches past the store's operations: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
