package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/store/engine"
)

// shortDir is a folder short enough for the socket beside a database in
// it (sun_path holds 104 bytes on macOS; t.TempDir() is longer).
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// While `pollen run` holds the bbolt file, import, import-git, export and
// chart work through its socket and answer exactly as they do on a stopped
// bot: each writing command is run on the running bot's database and on a
// copy taken before, offline, and the two answers compared; the bot itself
// sees the imported team without a restart; export and chart while it runs
// write the same bytes as once it has stopped. team.csv and team.yaml are
// the README's examples (Import a team), and every command is typed as the
// README's commands table has it.
func TestCommandsWhileTheBotRuns(t *testing.T) {
	repo := gitRepo(t)
	dir := shortDir(t)
	live, off := filepath.Join(dir, "pollen.db"), filepath.Join(dir, "off.db")
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	fake.AddUser(slackfake.User{ID: "UADMIN", Name: "boss", TZ: "UTC", IsAdmin: true})
	imported := []string{"U024BE7LH", "U0G9QF9C6", "U0KEN7HQ1"} // the README's team
	for _, id := range imported {
		fake.AddUser(slackfake.User{ID: id, Name: strings.ToLower(id), TZ: "UTC"})
	}
	addr, stop := startRunDB(t, fake, live)
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := fake.WaitFor(ctx, func() bool { code, _ := get(addr, "/healthz"); return code == http.StatusOK }); err != nil {
		t.Fatal("never healthy")
	}
	if code, out, errOut := runCLI(t, map[string]string{"POLLEN_DB": live}, "backup", off); code != 0 {
		t.Fatalf("pollen backup: exit %d %q %q", code, out, errOut)
	}

	team := writeFile(t, filepath.Join(dir, "team.csv"), readmeBlock(t, "csv"))
	teamYAML := writeFile(t, filepath.Join(dir, "team.yaml"), readmeBlock(t, "yaml"))
	bad := writeFile(t, filepath.Join(dir, "bad.csv"), "kind,person,name,tz,hours,cadence\n"+
		"person,U1,A,Mars/Olympus,9-5,monthly\n"+
		"person,U2,B,Europe/Berlin,09:00-17:00,weekly\n")
	authors := writeFile(t, filepath.Join(dir, "authors.csv"), "email,slack_user_id\nana@example.com,U024BE7LH\nbo@example.com,U0G9QF9C6\n")
	gitArgs := []string{"import-git", "-project", "models", "-repo", repo, "-authors", authors}
	for _, step := range []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"import", bad}, 1, "nothing was imported"},
		{[]string{"import", team}, 0, "imported " + team + ": 3 people, 2 projects, 5 familiarity events"},
		{[]string{"import", teamYAML}, 0, "imported " + teamYAML + ": 3 people, 2 projects"},
		{append(append([]string{}, gitArgs...), "-dry-run"), 0, "Dry run: nothing written (2 familiarity events would be new)."},
		{gitArgs, 0, "Wrote 2 familiarity events (0 already in the log were skipped)."},
		{gitArgs, 0, "Wrote 0 familiarity events (2 already in the log were skipped)."},
	} {
		start := time.Now()
		code, out, errOut := runCLI(t, map[string]string{"POLLEN_DB": live}, step.args...)
		took := time.Since(start)
		if code != step.wantCode || !strings.Contains(out+errOut, step.want) {
			t.Fatalf("%v while the bot runs: exit %d, want %d with %q\nstdout: %s\nstderr: %s", step.args, code, step.wantCode, step.want, out, errOut)
		}
		start = time.Now()
		offCode, offOut, offErr := runCLI(t, map[string]string{"POLLEN_DB": off}, step.args...)
		t.Logf("%s: %v with the bot running, %v offline", step.args[0], took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if offCode != code || offOut != out || offErr != errOut {
			t.Errorf("%v answers differently while the bot runs:\nrunning: exit %d\n%s%s\nstopped: exit %d\n%s%s", step.args, code, out, errOut, offCode, offOut, offErr)
		}
	}

	// The bot reads what was imported, without a restart, and sends the
	// new people their welcome at once (the sender is woken, not left to
	// its next minute).
	welcomed := func(id string) bool {
		ch, ok := fake.DMChannel(id)
		if !ok {
			return false
		}
		for _, m := range fake.Messages(ch) {
			if strings.Contains(m.AllText(), "Welcome to Pollen!") {
				return true
			}
		}
		return false
	}
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := fake.WaitFor(wctx, func() bool {
		return welcomed(imported[0]) && welcomed(imported[1]) && welcomed(imported[2])
	}); err != nil {
		t.Errorf("the imported people were not welcomed while the bot runs")
	}
	ack, err := fake.SlashCommand(ctx, "UADMIN", "", "/pair", "roster")
	if err != nil || ack.Message == nil {
		t.Fatalf("/pair roster: %+v, %v", ack, err)
	}
	for _, id := range []string{"U1", "U2"} { // bad.csv's: its good row too
		if strings.Contains(ack.Message.Text, "<@"+id+">") {
			t.Errorf("/pair roster has %s from the file that was refused:\n%s", id, ack.Message.Text)
		}
	}
	for _, id := range imported {
		if !strings.Contains(ack.Message.Text, "<@"+id+">") {
			t.Errorf("/pair roster lacks the imported %s:\n%s", id, ack.Message.Text)
		}
	}
	if ack, err = fake.SlashCommand(ctx, "UADMIN", "", "/pair", "who models"); err != nil || ack.Message == nil || !strings.Contains(ack.Message.Text, "from git history") {
		t.Errorf("/pair who models does not show the git import: %+v, %v", ack, err)
	}

	report := func(when string) map[string][]byte {
		files := map[string][]byte{}
		for _, cmd := range []string{"export", "chart"} {
			out := filepath.Join(dir, when, cmd)
			start := time.Now()
			if code, stdout, errOut := runCLI(t, nil, cmd, "-db", live, "-out", out); code != 0 { // as the README has them
				t.Fatalf("pollen %s %s: exit %d %q %q", cmd, when, code, stdout, errOut)
			}
			t.Logf("%s with the bot %s: %v", cmd, when, time.Since(start).Round(time.Millisecond))
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				files[cmd+"/"+e.Name()] = b
			}
		}
		return files
	}
	running := report("running")
	if !bytes.Contains(running["export/roster.csv"], []byte("U0KEN7HQ1")) {
		t.Errorf("the export while the bot runs lacks the imported team:\n%s", running["export/roster.csv"])
	}
	stopped = true
	if code := stop(); code != 0 {
		t.Fatalf("run: exit %d", code)
	}
	after := report("stopped")
	if len(running) != len(after) || len(running) < 8 {
		t.Errorf("files while running %d, after %d", len(running), len(after))
	}
	for name, b := range after {
		if !bytes.Equal(running[name], b) {
			t.Errorf("%s differs between the bot running and stopped", name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".pollen-snapshot-*")); len(left) > 0 {
		t.Errorf("copies left behind: %v", left)
	}
}

// A database held by a Pollen whose socket does not answer (here: held
// with no socket at all) gets one line naming the socket and exit 1 from
// each command, and nothing is written.
func TestCommandsOnAHeldDatabaseWithoutASocket(t *testing.T) {
	dir := shortDir(t)
	path := filepath.Join(dir, "pollen.db")
	held, err := engine.Open(path, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	team := writeFile(t, filepath.Join(dir, "team.csv"), readmeBlock(t, "csv"))
	repo := gitRepo(t)
	t.Run("each command", func(t *testing.T) { // at once: each waits for the lock
		for _, args := range [][]string{
			{"import", team},
			{"import-git", "-project", "etl", "-repo", repo},
			{"export", "-out", filepath.Join(dir, "export")},
			{"chart", "-out", filepath.Join(dir, "charts")},
		} {
			t.Run(args[0], func(t *testing.T) {
				t.Parallel()
				code, _, errOut := runCLI(t, map[string]string{"POLLEN_DB": path}, args...)
				if code != 1 || !strings.Contains(errOut, path+" is held by a running Pollen and its socket "+path+".sock did not") {
					t.Errorf("exit %d, stderr %q", code, errOut)
				}
				if strings.Count(errOut, "\n") != 1 {
					t.Errorf("stderr is not one line: %q", errOut)
				}
			})
		}
	})
	var people int
	held.View(func(tx *engine.Tx) error { p, err := tx.People(); people = len(p); return err })
	if people != 0 {
		t.Errorf("%d people written", people)
	}
}

// A copy's folder left behind by a command killed while reading it is
// removed by a later command once it is stale; a fresh one (a command
// reading right now) and other files beside the database are not.
func TestStaleSnapshotFoldersAreSwept(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, age time.Duration) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "pollen.db"), []byte("copy"), 0o600); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := mk(snapshotPrefix+"killed", 2*time.Hour)
	fresh := mk(snapshotPrefix+"reading", time.Minute)
	other := mk("pollen-backups", 48*time.Hour)
	sweepSnapshots(dir, time.Now().Add(-staleSnapshot))
	for p, want := range map[string]bool{stale: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists=%v after the sweep, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
