package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// readmeBlock returns the fenced code block of a language in the README's
// "Import a team" section.
func readmeBlock(t *testing.T, lang string) string {
	t.Helper()
	section := readmeSection(t, "Import a team")
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("the Import a team section has no %s example", lang)
	}
	return m[1]
}

// TestReadmeImportExamplesImport: the README's example CSV and YAML import
// as they are, give the same team, and importing again over people already
// there keeps them.
func TestReadmeImportExamplesImport(t *testing.T) {
	for _, lang := range []string{"csv", "yaml"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "pollen.db")
			file := filepath.Join(dir, "team."+lang)
			if err := os.WriteFile(file, []byte(readmeBlock(t, lang)), 0o600); err != nil {
				t.Fatal(err)
			}
			for i := range 2 { // the second time, everyone is already there
				code, out, stderr := runCLI(t, tokens(db), "import", file)
				if code != 0 || !strings.Contains(out, "3 people, 2 projects") {
					t.Fatalf("import %d of the README's %s: exit %d, %q, %q", i+1, lang, code, out, stderr)
				}
			}
			d, err := engine.Open(db, engine.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var grace pairing.Person
			d.View(func(tx *engine.Tx) (err error) { grace, err = tx.Person("U0G9QF9C6"); return err })
			if grace.Cadence != pairing.Biweekly || grace.TZ != "America/New_York" || grace.Status != pairing.Active {
				t.Errorf("Grace after importing the README's %s: %+v", lang, grace)
			}
		})
	}
}

// TestAFailedImportLeavesNoFileAndCountsRows: a bad file writes nothing,
// not even an empty database, and the summary counts bad rows, not the
// problems in them.
func TestAFailedImportLeavesNoFileAndCountsRows(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pollen.db")
	file := filepath.Join(dir, "team.csv")
	os.WriteFile(file, []byte("kind,person,name,tz,hours,cadence\n"+
		"person,U1,A,Mars/Olympus,9-5,monthly\n"+ // three problems in one row
		"person,U2,B,Europe/Berlin,09:00-17:00,weekly\n"+
		"person,U3,C,UTC,25:00-26:00,weekly\n"), 0o600)
	code, _, stderr := runCLI(t, tokens(db), "import", file)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "2 bad rows") {
		t.Errorf("the summary does not count 2 bad rows: %s", stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a failed import left %s behind (%v)", db, err)
	}
}
