package reposync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// userinfo matches the user:password@ part of a URL.
var userinfo = regexp.MustCompile(`(://)[^/@\s]+@`)

// Redact removes credentials (user:password@) from every URL in s.
func Redact(s string) string { return userinfo.ReplaceAllString(s, "${1}") }

// git runs git in dir (when not empty) with no terminal prompt. Its error
// is one line: git's last fatal or error message, credentials redacted.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := lastMessage(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(Redact(msg))
	}
	return stdout.Bytes(), nil
}

// lastMessage picks the line of git's output that says what went wrong:
// the last "fatal:" or "error:" line, else the last line.
func lastMessage(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "fatal:") || strings.HasPrefix(l, "error:") {
			return l
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// ClonePath is where the clone of a project's repository lives.
func ClonePath(dataDir, project string) string {
	return filepath.Join(dataDir, "repos", project+".git")
}

// update clones repo into dir, or fetches its branches when dir is
// already a clone. A clone is made in a temporary directory beside dir and
// renamed into place, so a failed clone leaves nothing behind.
func update(ctx context.Context, dir, repo string) error {
	if _, err := os.Stat(dir); err == nil {
		if _, err := git(ctx, dir, "remote", "set-url", "origin", repo); err != nil {
			return err
		}
		_, err := git(ctx, dir, "fetch", "--quiet", "--prune", "origin", "+refs/heads/*:refs/heads/*")
		return err
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".clone-*")
	if err != nil {
		return err
	}
	if _, err := git(ctx, "", "clone", "--quiet", "--bare", "--filter=blob:none", "--", repo, tmp); err != nil {
		return withCleanup(err, tmp)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return withCleanup(fmt.Errorf("keeping the clone: %w", err), tmp)
	}
	return nil
}

// newCommits counts the non-merge commits from prev to head; all of
// head's when prev is empty or no longer in the history (a force-push).
func newCommits(ctx context.Context, dir, prev, head string) (int, error) {
	rng := head
	if prev != "" {
		if _, err := git(ctx, dir, "merge-base", "--is-ancestor", prev, head); err == nil {
			rng = prev + ".." + head
		}
	}
	out, err := git(ctx, dir, "rev-list", "--count", "--no-merges", rng)
	if err != nil {
		return 0, err
	}
	var n int
	_, err = fmt.Sscan(string(out), &n)
	return n, err
}

// withCleanup removes a clone that failed half-way and returns the
// failure, with the removal's error on the same line if it failed too,
// so a leftover directory is not a surprise.
func withCleanup(failure error, tmp string) error {
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("%w; removing the failed clone: %w", failure, err)
	}
	return failure
}
