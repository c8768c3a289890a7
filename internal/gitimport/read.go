package gitimport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// ErrNoCommits is the error Read returns for a repository whose current
// branch has no commits yet.
var ErrNoCommits = errors.New("the repository has no commits yet")

// Read reads the history of the current branch of the repository at
// repoPath: it runs git log and parses it (ParseLog), lists the files of
// the last commit into History.Files, and applies opts (Prepare). It is the
// only function here that does I/O. It needs git on the PATH; when git
// fails, the error carries git's message.
func Read(ctx context.Context, repoPath string, opts Options) (History, error) {
	out, err := runGit(ctx, repoPath, "rev-parse", "--quiet", "--verify", "HEAD^{commit}")
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return History{}, fmt.Errorf("git in %s: %w", repoPath, ErrNoCommits)
	}
	if err != nil {
		return History{}, err
	}
	head := strings.TrimSpace(string(out))
	h, err := readLog(ctx, repoPath, head, opts)
	if err != nil {
		return History{}, err
	}
	// Read the tree of the same commit: HEAD may have moved meanwhile.
	tree, err := runGit(ctx, repoPath, "ls-tree", "-r", "-z", "--name-only", "--full-tree", head)
	if err != nil {
		return History{}, err
	}
	h.Files = strings.Split(strings.TrimSuffix(string(tree), "\x00"), "\x00")
	if len(tree) == 0 {
		h.Files = []string{}
	}
	return Prepare(h, opts), nil
}

// readLog streams git log into ParseLog.
func readLog(ctx context.Context, repoPath, head string, opts Options) (History, error) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", logArgs(repoPath, head, opts)...)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{buf: &stderr, n: 4 << 10}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return History{}, fmt.Errorf("git log in %s: %w", repoPath, err)
	}
	if err := cmd.Start(); err != nil {
		return History{}, fmt.Errorf("git log in %s: %w", repoPath, err)
	}
	h, perr := ParseLog(out)
	if perr != nil {
		cancel() // git may still be writing: stop it
	}
	werr := cmd.Wait()
	switch {
	case parent.Err() != nil:
		return History{}, fmt.Errorf("git log in %s: %w", repoPath, parent.Err())
	case perr != nil:
		return History{}, fmt.Errorf("git log in %s: %w", repoPath, perr)
	case werr != nil:
		return History{}, fmt.Errorf("git log in %s: %w: %s", repoPath, werr, strings.TrimSpace(stderr.String()))
	}
	return h, nil
}

// logArgs are the arguments of the git log command Read runs:
//
//   - --no-merges: a merge's changes are already in the commits it merges;
//     counting it again would make whoever clicks "merge" a co-author of
//     everything.
//   - --raw says whether a file was added, modified, deleted or renamed.
//     It reads only trees, never file contents, so it works in a partial
//     (blobless) clone; line counts (--numstat) would need every historical
//     blob, and the authorship model does not use them. Rename detection
//     still compares the contents of added and deleted files: in a blobless
//     clone git fetches just those blobs from the promisor remote.
//   - --find-renames follows files across renames, whatever diff.renames
//     says; -z keeps paths as they are, with no quoting.
//   - --date-order --reverse: oldest first, never a child before its parent.
//   - The other flags neutralise configuration that would change the
//     output (i18n.logOutputEncoding, log.showSignature, log.showRoot,
//     diff.relative, color.ui, textconv).
func logArgs(repoPath, head string, opts Options) []string {
	args := []string{
		"-C", repoPath, "log",
		"--no-merges", "--root", "--encoding=UTF-8", "--date-order", "--reverse",
		"--raw", "--find-renames", "-z",
		"--no-color", "--no-show-signature", "--no-relative", "--no-textconv", "--no-ext-diff",
		"--format=" + logFormat,
	}
	if !opts.Since.IsZero() {
		args = append(args, "--since="+opts.Since.UTC().Format(time.RFC3339))
	}
	return append(args, head, "--")
}

// runGit runs a short git command in the repository and returns its
// output.
func runGit(ctx context.Context, repoPath string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", repoPath}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{buf: &stderr, n: 4 << 10}
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("git %s in %s: %w", args[0], repoPath, ctx.Err())
	}
	if err != nil {
		return nil, fmt.Errorf("git %s in %s: %w: %s", args[0], repoPath, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// limitedWriter keeps the first n bytes and drops the rest, so a chatty git
// cannot fill memory through stderr.
type limitedWriter struct {
	buf *bytes.Buffer
	n   int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	k := min(len(p), l.n)
	l.buf.Write(p[:k])
	l.n -= k
	return len(p), nil
}
