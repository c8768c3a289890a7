package bot

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/reposync"
	"github.com/pollen-team/pollen/pairing"
)

// gitOrigin makes a repository of two commits by Ana, served as a file://
// remote that allows blobless clones, with git's user configuration kept
// out.
func gitOrigin(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "gitconfig"))
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Ana", "GIT_AUTHOR_EMAIL=ana@example.com",
			"GIT_COMMITTER_NAME=Ana", "GIT_COMMITTER_EMAIL=ana@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("-c", "init.defaultBranch=main", "init", "-q")
	git("config", "uploadpack.allowFilter", "true")
	for _, f := range []string{"a.go", "b.go"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("package lib\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", f)
		git("commit", "-q", "-m", "add "+f)
	}
	return "file://" + dir
}

// dmTo waits for the n-th message of the bot's DM with the user.
func (h *harness) dmTo(user string, n int) string {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ch, ok := h.fake.DMChannel(user); ok {
			if msgs := h.fake.Messages(ch); len(msgs) >= n {
				return msgs[n-1].Text
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("no DM number %d to %s", n, user)
	return ""
}

// The running bot syncs a project's repository when it is added and when
// an admin asks, and tells the admin in one line; a repository it cannot
// fetch is one line too and changes no knowledge.
func TestProjectSyncThroughTheBot(t *testing.T) {
	repo := gitOrigin(t)
	data := t.TempDir()
	h := newHarnessWith(t, func(c *Config) {
		db := c.DB
		c.Callbacks.SyncProject = func(ctx context.Context, project string) (string, error) {
			res, err := reposync.Sync(ctx, db, project, reposync.Options{DataDir: data, Mapping: map[string]string{"ana@example.com": "UANA"}})
			return res.String(), err
		}
	})
	if got := h.run("UANA", "project add lib "+repo); !strings.Contains(got, "will DM you the result") {
		t.Fatalf("project add answered %q", got)
	}
	if got := h.dmTo("UANA", 1); !strings.HasPrefix(got, "lib: synced to ") || !strings.Contains(got, "2 new commits") {
		t.Errorf("first sync DM = %q", got)
	}
	imported := 0
	for _, e := range h.events() {
		if e.Kind == pairing.EventImported && e.Project == "lib" && e.Person == "UANA" {
			imported++
		}
	}
	if imported != 1 {
		t.Errorf("%d imported events for Ana on lib, want 1", imported)
	}

	if got := h.run("UANA", "project sync lib"); got != "Syncing *lib* from its repository; I'll DM you the result." {
		t.Errorf("project sync answered %q", got)
	}
	if got := h.dmTo("UANA", 2); !strings.Contains(got, "up to date") {
		t.Errorf("second sync DM = %q, want up to date", got)
	}

	before := len(h.events())
	h.run("UANA", "project add gone file:///nonexistent/gone.git")
	got := h.dmTo("UANA", 3)
	if !strings.HasPrefix(got, "Sync failed, the project's knowledge is unchanged: sync gone from file:///nonexistent/gone.git") || strings.Contains(got, "\n") {
		t.Errorf("failed sync DM = %q, want one line saying so", got)
	}
	if after := len(h.events()); after != before {
		t.Errorf("a failed sync changed the log: %d events, was %d", after, before)
	}
	if got := h.run("UANA", "project sync nothing"); !strings.Contains(got, "nothing") {
		t.Errorf("sync of an unknown project answered %q", got)
	}
}

func TestProjectSyncNotSetUp(t *testing.T) {
	h := newHarness(t)
	if got := h.run("UANA", "project sync etl"); got != "Repository sync is not set up on this Pollen." {
		t.Errorf("got %q", got)
	}
}
