package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Every command that opens the database answers a damaged file with one
// line ("… is damaged: …; restore a backup with …") and exit 1: no panic,
// no SIGBUS, no partial output with exit 0, no fresh database over it.
// (import-git opens the database the same way, through engine.Open.)
func TestDamagedDatabaseOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	team := filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(team, []byte(`people:
  - {id: U0ADA, name: Ada, tz: Europe/Berlin, hours: "09:00-17:00"}
  - {id: U0BO, name: Bo, tz: America/New_York, hours: "09:00-17:00"}
projects:
  - {name: churn-model, owners: [U0ADA]}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": good}, "import", team); code != 0 {
		t.Fatalf("import: exit %d %s", code, stderr)
	}
	file, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := 4096
	damages := map[string][]byte{
		"truncated to 8 KiB": bytes.Clone(file[:8*1024]),
		"empty":              {},
		"both meta pages": func() []byte {
			f := bytes.Clone(file)
			f[16] ^= 0xff
			f[pageSize+16] ^= 0xff
			return f
		}(),
	}
	for name, damaged := range damages {
		commands := map[string][]string{
			"run":    {"run"},
			"export": {"export", "-out", filepath.Join(dir, name+"-export")},
			"chart":  {"chart", "-out", filepath.Join(dir, name+"-chart")},
			"backup": {"backup", filepath.Join(dir, name+"-backup.db")},
			"import": {"import", team},
			"sim":    {"sim", "-rounds", "2", "-seeds", "1"},
		}
		for cmd, args := range commands {
			t.Run(name+"/"+cmd, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "pollen.db")
				if err := os.WriteFile(path, damaged, 0o600); err != nil {
					t.Fatal(err)
				}
				if cmd == "sim" {
					args = append(args, "-db", path)
				}
				code, stdout, stderr := runCLI(t, tokens(path), args...)
				if code != 1 || !strings.HasPrefix(stderr, "pollen "+cmd+": "+path+" is damaged: ") ||
					!strings.Contains(stderr, "restore a backup") || strings.Count(stderr, "\n") != 1 {
					t.Errorf("exit %d, stderr %q; want exit 1 and one line saying %s is damaged", code, stderr, path)
				}
				if stdout != "" {
					t.Errorf("partial output: %q", stdout)
				}
				if after, _ := os.ReadFile(path); !bytes.Equal(after, damaged) {
					t.Error("the damaged file was changed")
				}
			})
		}
	}

	// A record that does not decode: read-only commands refuse with the
	// same line; a command that writes sets it aside and works on.
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, file, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(bad, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("people")).Put([]byte("U0BO"), []byte("{not json")) }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if code, stdout, stderr := runCLI(t, tokens(bad), "export", "-out", filepath.Join(dir, "bad-export")); code != 1 || stdout != "" ||
		!strings.Contains(stderr, "is damaged: record people/") {
		t.Errorf("export of a bad record: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, tokens(bad), "import", team); code != 0 {
		t.Errorf("import over a bad record: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, tokens(bad), "export", "-out", filepath.Join(dir, "bad-export")); code != 0 {
		t.Errorf("export after the record was set aside: exit %d, %s", code, stderr)
	}
}
