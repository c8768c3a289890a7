package gitimport

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// day is midnight UTC plus ten hours on 2024-01-d: the tests' clock.
func day(d int) time.Time { return time.Date(2024, 1, d, 10, 0, 0, 0, time.UTC) }

// who is a commit author in the test repositories.
type who struct{ name, email string }

var (
	ana = who{"Ana Lúcia Lima", "ana@example.com"} // not ASCII, on purpose
	bo  = who{"Bo Chen", "bo@example.com"}
	cy  = who{"Cy Park", "cy@example.com"}
	mia = who{"Mia Merger", "mia@example.com"}
	bot = who{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"}
)

// testRepo is a git repository a test builds in a temporary directory,
// with every author, committer and date set explicitly.
type testRepo struct {
	t   *testing.T
	dir string
}

// isolateGit keeps the user's and the system's git configuration out of
// the test, for the git commands the test runs and for Read.
func isolateGit(t *testing.T) {
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

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	isolateGit(t)
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git(who{}, time.Time{}, "-c", "init.defaultBranch=main", "init", "-q")
	return r
}

// git runs a git command in the repository as the author at the time.
func (r *testRepo) git(as who, at time.Time, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	date := fmt.Sprintf("@%d +0000", at.Unix())
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME="+as.name, "GIT_AUTHOR_EMAIL="+as.email, "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME="+as.name, "GIT_COMMITTER_EMAIL="+as.email, "GIT_COMMITTER_DATE="+date,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// write creates or replaces a file in the work tree.
func (r *testRepo) write(path, content string) {
	r.t.Helper()
	full := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// remove deletes a file from the work tree.
func (r *testRepo) remove(path string) {
	r.t.Helper()
	if err := os.Remove(filepath.Join(r.dir, path)); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits it as the author on the day.
func (r *testRepo) commit(as who, d int, msg string) {
	r.t.Helper()
	r.git(as, day(d), "add", "-A")
	r.git(as, day(d), "commit", "-q", "-m", msg)
}

// lines returns n distinct lines starting with tag, so that edits and
// renames are recognisable by git's rename detection.
func lines(tag string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s line %d\n", tag, i)
	}
	return b.String()
}

// buildTeamRepo builds the history most tests use. Day by day:
//
//	 1 Ana  add model.py, etl.py, requirements.txt   "initial"
//	 2 Ana  edit model.py
//	 3 Bo   edit model.py
//	 4 Bo   rename etl.py → pipeline/etl.py and edit it
//	 5 Bo   edit pipeline/etl.py
//	 6 Cy   add scratch.py and logo.png (binary)
//	 7 Cy   delete scratch.py
//	 8 bot  edit requirements.txt                    "Bump numpy"
//	 9 bot  edit requirements.txt                    "Bump pandas"
//	10 Bo   add features.py, on branch feature
//	11 Ana  edit model.py, on main
//	12 Mia  merge feature into main (--no-ff)
//	13 Bo   edit model.py, pipeline/etl.py, features.py "style: reformat"
func buildTeamRepo(t *testing.T) *testRepo {
	r := newTestRepo(t)
	r.write("model.py", lines("model", 20))
	r.write("etl.py", lines("etl", 20))
	r.write("requirements.txt", "numpy==1.0\npandas==2.0\n")
	r.commit(ana, 1, "initial")
	r.write("model.py", lines("model", 22))
	r.commit(ana, 2, "model: two more features")
	r.write("model.py", lines("model", 23))
	r.commit(bo, 3, "model: one more feature")
	r.remove("etl.py")
	r.write("pipeline/etl.py", lines("etl", 21)) // 20 of 21 lines kept: a rename
	r.commit(bo, 4, "move etl into pipeline/")
	r.write("pipeline/etl.py", lines("etl", 22))
	r.commit(bo, 5, "etl: load parquet")
	r.write("scratch.py", "print('hi')\n")
	r.write("logo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
	r.commit(cy, 6, "scratch and logo")
	r.remove("scratch.py")
	r.commit(cy, 7, "drop scratch")
	r.write("requirements.txt", "numpy==1.1\npandas==2.0\n")
	r.commit(bot, 8, "Bump numpy")
	r.write("requirements.txt", "numpy==1.1\npandas==2.1\n")
	r.commit(bot, 9, "Bump pandas")
	r.git(bo, day(10), "checkout", "-q", "-b", "feature")
	r.write("features.py", lines("features", 10))
	r.commit(bo, 10, "features: first cut")
	r.git(ana, day(11), "checkout", "-q", "main")
	r.write("model.py", lines("model", 24))
	r.commit(ana, 11, "model: tune")
	r.git(mia, day(12), "merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature")
	r.write("model.py", lines("model", 24)+"\n")
	r.write("pipeline/etl.py", lines("etl", 22)+"\n")
	r.write("features.py", lines("features", 10)+"\n")
	r.commit(bo, 13, "style: reformat")
	return r
}
