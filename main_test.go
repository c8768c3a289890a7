package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/ops"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// runCLI runs a command line in-process and returns its exit code and output.
func runCLI(t *testing.T, envs map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := environment{getenv: func(k string) string { return envs[k] }, stdout: &out, stderr: &errb}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func tokens(db string) map[string]string {
	return map[string]string{"SLACK_APP_TOKEN": "xapp-1-test", "SLACK_BOT_TOKEN": "xoxb-test", "POLLEN_DB": db}
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{"version", nil, []string{"version"}, 0, "pollen dev", ""},
		{"help", nil, []string{"help"}, 0, "Usage: pollen [command]", ""},
		{"unknown command", nil, []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"run without tokens", nil, []string{"run"}, 2, "", "pollen run: SLACK_APP_TOKEN is not set"},
		{"default is run", nil, nil, 2, "", "pollen run: SLACK_APP_TOKEN is not set"},
		{"run without bot token", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, []string{"run"}, 2, "", "SLACK_BOT_TOKEN is not set"},
		{"bad flag", nil, []string{"run", "-nope"}, 2, "", "flag provided but not defined: -nope"},
		{"backup without a file", nil, []string{"backup"}, 2, "", "give exactly one file"},
		{"backup of no database", map[string]string{"POLLEN_DB": "/nonexistent/pollen.db"}, []string{"backup", "x.db"}, 1, "", "no database at /nonexistent/pollen.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.env, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantStderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stdout ~%q, stderr ~%q",
					code, out, errOut, tt.wantCode, tt.wantOut, tt.wantStderr)
			}
			if tt.wantStderr != "" && strings.Count(strings.TrimSpace(errOut), "\n") > 0 && !strings.Contains(errOut, "Usage") {
				t.Errorf("stderr is not one line: %q", errOut)
			}
		})
	}
}

func TestRunWithLockedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pollen.db")
	held, err := engine.Open(path, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	start := time.Now()
	code, _, errOut := runCLI(t, tokens(path), "run")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errOut)
	}
	if want := "pollen run: database " + path + " is in use by another Pollen process"; !strings.HasPrefix(errOut, want) {
		t.Errorf("stderr = %q, want prefix %q", errOut, want)
	}
	if strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr is not one line: %q", errOut)
	}
	if d := time.Since(start); d > engine.DefaultTimeout+2*time.Second {
		t.Errorf("took %v, lock timeout is %v", d, engine.DefaultTimeout)
	}
}

func seedDB(t *testing.T, path string) {
	t.Helper()
	db, err := engine.Open(path, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *engine.Tx) error {
		return tx.PutPerson(pairing.NewPerson("U1", "Ana", "UTC", time.Now()))
	}); err != nil {
		t.Fatal(err)
	}
}

func checkBackup(t *testing.T, path string) {
	t.Helper()
	db, err := engine.Open(path, engine.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(func(tx *engine.Tx) error { _, err := tx.Person("U1"); return err }); err != nil {
		t.Errorf("backup lacks the seeded person: %v", err)
	}
}

func TestBackupOfAStoppedBot(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "pollen.db"), filepath.Join(dir, "copy.db")
	seedDB(t, src)
	code, out, errOut := runCLI(t, map[string]string{"POLLEN_DB": src}, "backup", dst)
	if code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	checkBackup(t, dst)
}

func TestBackupWhileTheBotHoldsTheFile(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "pollen.db"), filepath.Join(dir, "copy.db")
	seedDB(t, src)
	held, err := engine.Open(src, engine.Options{}) // the running bot
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	l, err := ops.ListenBackup(ops.BackupSocket(src))
	if err != nil {
		t.Fatal(err)
	}
	srv := ops.NewBackupServer(ops.BackupHandler(held, discardLogger()))
	go srv.Serve(l)
	defer srv.Close()
	// The HTTP port is bound to one interface, not this one: the backup
	// does not go through it.
	env := map[string]string{"POLLEN_DB": src, "POLLEN_HTTP_ADDR": "192.0.2.10:8080"}
	code, out, errOut := runCLI(t, env, "backup", dst)
	if code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	checkBackup(t, dst)
	if _, err := os.Stat(dst); err != nil {
		t.Fatal(err)
	}
}

func TestChartWritesTheFourPNGs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pollen.db")
	seedDB(t, db)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCLI(t, map[string]string{"POLLEN_DB": db}, "chart", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"bus-factor.png", "familiarity.png", "sessions.png", "pairing-network.png"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f.Close()
	}
	if !strings.Contains(stdout, "mean bus factor") {
		t.Errorf("stdout: %q", stdout)
	}
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": filepath.Join(dir, "none.db")}, "chart"); code != 1 || !strings.Contains(stderr, "no database at") {
		t.Errorf("chart without a database: exit %d, %q", code, stderr)
	}
	// One rotation's charts; a rotation that is not there is one line.
	one := filepath.Join(dir, "team")
	if code, stdout, stderr := runCLI(t, map[string]string{"POLLEN_DB": db}, "chart", "-rotation", "team", "-out", one); code != 0 || !strings.Contains(stdout, "mean bus factor") {
		t.Errorf("chart -rotation team: exit %d, %q, %q", code, stdout, stderr)
	} else if _, err := os.Stat(filepath.Join(one, "bus-factor.png")); err != nil {
		t.Error(err)
	}
	code, _, stderr = runCLI(t, map[string]string{"POLLEN_DB": db}, "chart", "-rotation", "CNOPE", "-out", filepath.Join(dir, "nope"))
	if code != 1 || !strings.Contains(stderr, `no rotation "CNOPE" in the database; its rotations are team`) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("chart -rotation CNOPE: exit %d, %q; want one line and exit 1", code, stderr)
	}
}

func TestSimPrintsTheTableAndTheChart(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, nil, "sim", "-rounds", "8", "-seeds", "2", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"policy", "random", "rotation", "round-robin", "greedy", "pollen", "lower bound", "bound for 3 knowers"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	f, err := os.Open(filepath.Join(out, "sim.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("sim.png: %v", err)
	}
	code, stdout, _ = runCLI(t, nil, "sim", "-rounds", "4", "-seeds", "1", "-policy", "pollen,random", "-format", "csv")
	if code != 0 || !strings.HasPrefix(stdout, "policy,") || strings.Contains(stdout, "rotation") {
		t.Errorf("csv: exit %d\n%s", code, stdout)
	}
	for _, bad := range [][]string{{"sim", "-format", "xml"}, {"sim", "-policy", "coffee"}, {"sim", "-attendance", "2"}, {"sim", "extra"}} {
		if code, _, stderr := runCLI(t, nil, bad...); code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", bad, code, stderr)
		}
	}
}

func TestSimStartsFromTheTeamInADatabase(t *testing.T) {
	dir := t.TempDir()
	db, team := filepath.Join(dir, "team.db"), filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(team, []byte(`people:
  - {id: U0ADA, name: Ada}
  - {id: U0BO, name: Bo}
  - {id: U0CY, name: Cy}
  - {id: U0DI, name: Di}
projects:
  - {name: churn-model, owners: [U0ADA]}
  - {name: etl, owners: [U0BO]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, map[string]string{"POLLEN_DB": db}, "import", team); code != 0 {
		t.Fatalf("import: exit %d %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, nil, "sim", "-db", db, "-rounds", "6", "-seeds", "1", "-policy", "pollen", "-attendance", "1")
	if code != 0 {
		t.Fatalf("sim -db: exit %d %s", code, stderr)
	}
	// Four people and two projects with one owner each, and the bound
	// spelled out (its figures follow the knowledge model).
	for _, want := range []string{"4 people, 2 projects", "bound for 3 knowers (median seed): max(capacity "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("sim -db output lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := runCLI(t, nil, "sim", "-db", filepath.Join(dir, "none.db")); code != 1 || !strings.Contains(stderr, "no database at") {
		t.Errorf("sim -db with a missing file: exit %d, %q", code, stderr)
	}
}
