package reposync

import (
	"context"
	"fmt"
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

// isolateGit keeps the user's and the system's git configuration out of
// the test.
func isolateGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "gitconfig"))
}

// origin is a repository the test commits to and serves as a file://
// remote that allows filters (a blobless clone).
type origin struct {
	t   testing.TB
	dir string
	n   int // commits so far
}

func newOrigin(t testing.TB) *origin {
	t.Helper()
	isolateGit(t)
	o := &origin{t: t, dir: t.TempDir()}
	o.git("", "-c", "init.defaultBranch=main", "init", "-q")
	o.git("", "config", "uploadpack.allowFilter", "true")
	return o
}

func (o *origin) url() string { return "file://" + o.dir }

func (o *origin) git(author string, args ...string) string {
	o.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", o.dir}, args...)...)
	at := fmt.Sprintf("@%d +0000", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(o.n)*time.Hour).Unix())
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME="+author, "GIT_AUTHOR_EMAIL="+strings.ToLower(author)+"@example.com",
		"GIT_COMMITTER_NAME="+author, "GIT_COMMITTER_EMAIL="+strings.ToLower(author)+"@example.com",
		"GIT_AUTHOR_DATE="+at, "GIT_COMMITTER_DATE="+at)
	out, err := cmd.CombinedOutput()
	if err != nil {
		o.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// commit writes a line to the file as the author and commits it.
func (o *origin) commit(author, path string) {
	o.t.Helper()
	o.n++
	full := filepath.Join(o.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		o.t.Fatal(err)
	}
	f, err := os.OpenFile(full, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		o.t.Fatal(err)
	}
	fmt.Fprintf(f, "line %d of %s by %s\n", o.n, path, author)
	f.Close()
	o.git(author, "add", "-A")
	o.git(author, "commit", "-q", "-m", fmt.Sprintf("change %d", o.n))
}

var mapping = map[string]string{"ana@example.com": "U1ANA", "bo@example.com": "U2BO"}

// newStore opens a store with project p following repo.
func newStore(t testing.TB, repo string) *engine.DB {
	t.Helper()
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	write(t, db, store.Change{Projects: []pairing.Project{{Name: "p", RepoURL: repo}}})
	return db
}

// write commits c in one operation.
func write(t testing.TB, db *engine.DB, c store.Change) {
	t.Helper()
	if _, err := db.Apply(context.Background(), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
		t.Fatal(err)
	}
}

// state is what a sync may change: the events, the synced commit and the
// store's version (any write moves it).
type state struct {
	events  int
	synced  string
	version uint64
}

func stateOf(t testing.TB, db *engine.DB) state {
	t.Helper()
	var s state
	err := db.SnapshotStat(context.Background(), func(st store.Stat, r store.Reader) error {
		ev, err := r.Events()
		if err != nil {
			return err
		}
		p, err := r.Project("p")
		s = state{len(ev), p.Synced, st.Version}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sync(t *testing.T, db *engine.DB, dataDir string) Result {
	t.Helper()
	res, err := Sync(context.Background(), db, "p", Options{DataDir: dataDir, Mapping: mapping})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSyncImportsOnlyWhatIsNew(t *testing.T) {
	o := newOrigin(t)
	for i := range 6 {
		o.commit([]string{"Ana", "Bo"}[i%2], fmt.Sprintf("pkg/f%d.go", i%3))
	}
	db, data := newStore(t, o.url()), t.TempDir()

	first := sync(t, db, data)
	head := strings.TrimSpace(o.git("", "rev-parse", "HEAD"))
	if first.Unchanged || first.NewCommits != 6 || first.Head != head || first.Written == 0 {
		t.Fatalf("first sync = %+v, want 6 new commits to %s and events written", first, head)
	}
	if got := strings.TrimSpace(o.git("", "-C", ClonePath(data, "p"), "config", "remote.origin.promisor")); got != "true" {
		t.Errorf("the clone is not blobless (remote.origin.promisor = %q)", got)
	}
	after := stateOf(t, db)
	if after.synced != head || after.events != first.Written {
		t.Errorf("store after the first sync = %+v, want synced %s and %d events", after, head, first.Written)
	}
	// The project's history starts at the repository's first commit.
	firstAt, _, _ := strings.Cut(o.git("", "log", "--reverse", "--format=%aI"), "\n")
	var p pairing.Project
	if err := db.Snapshot(context.Background(), func(r store.Reader) (err error) { p, err = r.Project("p"); return err }); err != nil {
		t.Fatal(err)
	}
	if want, err := time.Parse(time.RFC3339, strings.TrimSpace(firstAt)); err != nil || !p.Since.Equal(want) {
		t.Errorf("the project starts %v, want its first commit %v (%v)", p.Since, want, err)
	}

	second := sync(t, db, data)
	if !second.Unchanged || second.Written != 0 {
		t.Errorf("second sync of an unchanged repository = %+v, want unchanged", second)
	}
	if again := stateOf(t, db); again != after {
		t.Errorf("the second sync wrote: store %+v, was %+v", again, after)
	}

	for i := range 10 {
		o.commit("Bo", fmt.Sprintf("pkg/new%d.go", i))
	}
	third := sync(t, db, data)
	head = strings.TrimSpace(o.git("", "rev-parse", "HEAD"))
	if third.Unchanged || third.NewCommits != 10 || third.Head != head {
		t.Errorf("sync after ten commits = %+v, want 10 new commits to %s", third, head)
	}
	if s := stateOf(t, db); s.synced != head || s.events <= after.events {
		t.Errorf("store after ten commits = %+v, want synced %s and new events", s, head)
	}
	if !strings.Contains(third.String(), "10 new commits") {
		t.Errorf("the report %q does not count the new commits", third.String())
	}
}

func TestSyncFailureLeavesKnowledge(t *testing.T) {
	o := newOrigin(t)
	o.commit("Ana", "a.go")
	o.commit("Bo", "b.go")
	db, data := newStore(t, o.url()), t.TempDir()
	sync(t, db, data)
	before := stateOf(t, db)

	o.commit("Ana", "c.go")
	if err := os.RemoveAll(o.dir); err != nil { // the repository is deleted
		t.Fatal(err)
	}
	tests := []struct{ name, url, want string }{
		{"deleted repository", o.url(), "sync p from file://"},
		{"bad URL", "file:///nonexistent/repo.git", "nonexistent"},
		{"credentials", "https://pollen:s3cret-token@127.0.0.1:1/team/repo.git", "https://127.0.0.1:1/team/repo.git"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, db, store.Change{Projects: []pairing.Project{{Name: "p", RepoURL: tt.url, Synced: before.synced}}})
			version := stateOf(t, db).version
			_, err := Sync(context.Background(), db, "p", Options{DataDir: data, Mapping: mapping})
			if err == nil {
				t.Fatal("sync succeeded")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, tt.want) || strings.Contains(msg, "s3cret") {
				t.Errorf("error %q: want one line with %q and no credentials", msg, tt.want)
			}
			if s := stateOf(t, db); s.events != before.events || s.synced != before.synced || s.version != version {
				t.Errorf("a failed sync wrote: store %+v, was %+v (version %d)", s, before, version)
			}
		})
	}
}

func TestSyncFirstCloneFailureLeavesNoClone(t *testing.T) {
	isolateGit(t)
	db, data := newStore(t, "file:///nonexistent/repo.git"), t.TempDir()
	if _, err := Sync(context.Background(), db, "p", Options{DataDir: data}); err == nil {
		t.Fatal("sync of a missing repository succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(data, "repos"))
	if len(entries) != 0 {
		t.Errorf("a failed clone left %v behind", entries)
	}
}

func TestSyncProjectWithoutRepository(t *testing.T) {
	isolateGit(t)
	db := newStore(t, "")
	_, err := Sync(context.Background(), db, "p", Options{DataDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "has no repository") {
		t.Errorf("err = %v, want the project has no repository", err)
	}
}

func TestRedact(t *testing.T) {
	got := Redact("fatal: unable to access 'https://x-access-token:ghp_abc@github.com/o/r.git/': 403")
	if want := "fatal: unable to access 'https://github.com/o/r.git/': 403"; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}
