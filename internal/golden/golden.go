// Package golden holds the tests' golden files: output compared with a file
// under testdata/, rewritten instead when the test runs with -update. Only
// test code imports it.
package golden

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

// Update is the -update flag: rewrite the golden files instead of
// comparing with them.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Read returns the golden file at path, after writing got there with
// -update.
func Read(t testing.TB, path string, got []byte) []byte {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	return want
}

// Check fails the test when got differs from the golden file at path,
// showing both.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if want := Read(t, path, got); !bytes.Equal(got, want) {
		t.Errorf("%s differs (rerun with -update if the change is intended):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
