package gitimport

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// commitMark starts every commit record in the log Read asks for. It is an
// ASCII record separator, which never starts the other records (raw entries
// start with ':'), and paths are read by position, so a path that starts
// with it cannot be mistaken for a commit.
const commitMark = "\x1e"

// logFormat is the --format Read passes: the mark and hash, then the author
// email, name and strict ISO 8601 date, then the subject, NUL-separated.
const logFormat = "%x1e%H%x00%aE%x00%aN%x00%aI%x00%s"

// ParseLog reads the output of git log as Read runs it (-z, --raw,
// logFormat): NUL-separated fields, so any path, including one
// with tabs, newlines or quotes, comes through unquoted. It keeps the order
// of the input. A malformed log is an error that names the commit and the
// field, never a panic.
func ParseLog(r io.Reader) (History, error) {
	p := parser{in: bufio.NewReaderSize(r, 64<<10)}
	if err := p.run(); err != nil {
		return History{}, fmt.Errorf("parse git log: %w", err)
	}
	return History{Commits: p.commits}, nil
}

type parser struct {
	in      *bufio.Reader
	commits []Commit
}

// next returns the next NUL-terminated field; ok is false at the end.
func (p *parser) next() (field string, ok bool, err error) {
	s, err := p.in.ReadString(0)
	switch {
	case err == nil:
		return s[:len(s)-1], true, nil
	case errors.Is(err, io.EOF):
		return s, s != "", nil // a last field without its NUL still counts
	default:
		return "", false, err
	}
}

// must returns the next field, which the current record needs.
func (p *parser) must(what string) (string, error) {
	s, ok, err := p.next()
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("%s: log ends early", p.where(what))
	}
	return s, nil
}

func (p *parser) where(what string) string {
	if len(p.commits) == 0 {
		return what
	}
	return fmt.Sprintf("commit %.12s: %s", p.commits[len(p.commits)-1].Hash, what)
}

func (p *parser) run() error {
	for {
		s, ok, err := p.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if strings.HasPrefix(s, commitMark) {
			if err := p.header(strings.TrimPrefix(s, commitMark)); err != nil {
				return err
			}
			continue
		}
		// The first entry of a commit's diff comes after a newline.
		s = strings.TrimPrefix(s, "\n")
		switch {
		case len(p.commits) == 0:
			return fmt.Errorf("expected a commit, got %q", truncate(s))
		case s == "":
			return fmt.Errorf("%s: empty field", p.where("diff"))
		case s[0] == ':':
			err = p.raw(s)
		default:
			err = fmt.Errorf("%s: unexpected field %q", p.where("diff"), truncate(s))
		}
		if err != nil {
			return err
		}
	}
}

func (p *parser) header(hash string) error {
	if hash == "" {
		return fmt.Errorf("%s: commit without a hash", p.where("header"))
	}
	var f [4]string // email, name, date, subject
	for i, what := range []string{"author email", "author name", "author date", "subject"} {
		s, ok, err := p.next()
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("commit %.12s: %s: log ends early", truncate(hash), what)
		}
		f[i] = s
	}
	when, err := time.Parse(time.RFC3339, f[2])
	if err != nil {
		return fmt.Errorf("commit %.12s: author date %q: %w", hash, truncate(f[2]), err)
	}
	p.commits = append(p.commits, Commit{Hash: hash, Email: f[0], Name: f[1], When: when, Subject: f[3]})
	return nil
}

// raw reads ":100644 100644 abc1234 def5678 R087" and the one or two paths
// that follow it.
func (p *parser) raw(meta string) error {
	fields := strings.Fields(meta)
	st := fields[len(fields)-1]
	if len(fields) < 2 || st[0] < 'A' || st[0] > 'Z' {
		return fmt.Errorf("%s: raw entry %q has no status", p.where("diff"), truncate(meta))
	}
	ch := Change{Status: Status(st[0])}
	var err error
	if ch.Status.hasTwoPaths() {
		if ch.OldPath, err = p.path(); err != nil {
			return err
		}
	}
	if ch.Path, err = p.path(); err != nil {
		return err
	}
	c := &p.commits[len(p.commits)-1]
	c.Changes = append(c.Changes, ch)
	return nil
}

func (p *parser) path() (string, error) {
	s, err := p.must("path")
	if err == nil && s == "" {
		err = fmt.Errorf("%s: empty path", p.where("diff"))
	}
	return s, err
}

// truncate keeps error messages short when the input is garbage.
func truncate(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
