package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// datedCommit is one commit of a test repository: who, which file, when.
type datedCommit struct {
	name, email, file string
	at                time.Time
}

// commitTo adds commits to the repository at dir (creating it if needed)
// with real git, each dated as given.
func commitTo(t *testing.T, dir string, commits ...datedCommit) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	git := func(c datedCommit, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		date := c.at.Format(time.RFC3339)
		cmd.Env = append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
			"GIT_AUTHOR_NAME="+c.name, "GIT_AUTHOR_EMAIL="+c.email, "GIT_COMMITTER_NAME="+c.name, "GIT_COMMITTER_EMAIL="+c.email)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		git(datedCommit{}, "init", "-q")
	}
	for _, c := range commits {
		p := filepath.Join(dir, c.file)
		old, _ := os.ReadFile(p)
		if err := os.WriteFile(p, append(old, c.name+"\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		git(c, "add", c.file)
		git(c, "commit", "-q", "-m", c.name+" changes "+c.file)
	}
}

// TestImportGitRecordsFirstCommitAfterSessionOnce: Cy learns pricing from
// Ana in a done session and commits for the first time nine days later:
// that is recorded once, as evidence the session taught something. Bo, who
// committed before his session, is not evidence. Importing the same
// history again, or a history with more of Cy's commits, records nothing
// new.
func TestImportGitRecordsFirstCommitAfterSessionOnce(t *testing.T) {
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -40)
	at := func(d int) time.Time { return day.AddDate(0, 0, d) }
	repo := t.TempDir()
	commitTo(t, repo,
		datedCommit{"Ana", "ana@example.com", "price.py", at(0)},
		datedCommit{"Bo", "bo@example.com", "tax.py", at(2)},
		datedCommit{"Cy", "cy@example.com", "price.py", at(19)},
		datedCommit{"Bo", "bo@example.com", "tax.py", at(20)})
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "pollen.db")
	db, err := engine.Open(dbPath, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *engine.Tx) error {
		for _, p := range []pairing.Person{pairing.NewPerson("UANA", "Ana", "UTC", day), pairing.NewPerson("UBO", "Bo", "UTC", day),
			pairing.NewPerson("UCY", "Cy", "UTC", day)} {
			if err := tx.PutPerson(p); err != nil {
				return err
			}
		}
		for _, e := range []pairing.Event{
			{ID: store.NewID(), At: at(10), Kind: pairing.EventSession, Project: "pricing", SessionID: "s-cy", SessionKind: pairing.Pair, Host: "UANA", Learners: []string{"UCY"}},
			{ID: store.NewID(), At: at(10), Kind: pairing.EventSession, Project: "pricing", SessionID: "s-bo", SessionKind: pairing.Pair, Host: "UANA", Learners: []string{"UBO"}},
		} {
			if _, err := tx.AppendEvent(e); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	authors := filepath.Join(dir, "authors.csv")
	os.WriteFile(authors, []byte("ana@example.com,UANA\nbo@example.com,UBO\ncy@example.com,UCY\n"), 0o644)
	env := map[string]string{"POLLEN_DB": dbPath}
	importGit := func() string {
		t.Helper()
		code, out, errOut := runCLI(t, env, "import-git", "-project", "pricing", "-repo", repo, "-authors", authors)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		return out
	}
	committed := func() []pairing.Event {
		t.Helper()
		db, err := engine.Open(dbPath, engine.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var events []pairing.Event
		if err := db.View(func(tx *engine.Tx) (err error) { events, err = tx.Events(); return err }); err != nil {
			t.Fatal(err)
		}
		var out []pairing.Event
		for _, e := range events {
			if e.Kind == pairing.EventCommitted {
				out = append(out, e)
			}
		}
		return out
	}

	code, out, errOut := runCLI(t, env, "import-git", "-project", "pricing", "-repo", repo, "-authors", authors, "-dry-run")
	if code != 0 || !strings.Contains(out, "First commits after sessions that would be recorded: 1") {
		t.Errorf("a dry run does not say what it would record: exit %d %s\n%s", code, errOut, out)
	}
	if got := committed(); len(got) != 0 {
		t.Errorf("a dry run wrote evidence: %+v", got)
	}
	if out := importGit(); !strings.Contains(out, "First commits after sessions recorded: 1") {
		t.Errorf("the import does not say it recorded Cy's first commit:\n%s", out)
	}
	got := committed()
	if len(got) != 1 || got[0].Person != "UCY" || got[0].SessionID != "s-cy" || got[0].Host != "UANA" || !got[0].At.Equal(at(19)) {
		t.Fatalf("evidence after the first import = %+v, want Cy's commit of day 19 after session s-cy with Ana", got)
	}
	if out := importGit(); strings.Contains(out, "First commits after sessions") {
		t.Errorf("a second import of the same history says it recorded evidence:\n%s", out)
	}
	commitTo(t, repo, datedCommit{"Cy", "cy@example.com", "tax.py", at(25)})
	importGit()
	if got := committed(); len(got) != 1 {
		t.Errorf("after importing again with a later commit of Cy's, %d evidence events, want still 1: %+v", len(got), got)
	}

	// The export gives the outcome measure: of the two sessions, Cy's was
	// followed by his first commit within 30 days; Bo had committed before.
	exported := filepath.Join(dir, "export")
	if code, _, errOut := runCLI(t, env, "export", "-out", exported); code != 0 {
		t.Fatalf("export: exit %d %s", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(exported, "outcomes.csv"))
	if want := "project,sessions_done,followed_by_commit_30d,share\npricing,2,1,0.500\nall,2,1,0.500\n"; err != nil || string(data) != want {
		t.Errorf("outcomes.csv = %q, %v; want %q", data, err, want)
	}
}
