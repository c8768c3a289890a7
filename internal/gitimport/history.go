package gitimport

import (
	"strings"
	"time"
)

// History is a repository's history as git log reports it: non-merge
// commits, parents before children.
type History struct {
	Commits []Commit
	// Files are the paths in the tree of the last commit, when known (Read
	// sets them; nil means unknown). Authorship keeps only these files: a
	// replay of non-merge commits cannot see what merges decided, such as
	// a conflict resolved by keeping or dropping a file.
	Files []string
	// ExcludedFiles is how many files of the last commit Options.ExcludePaths
	// left out of Files.
	ExcludedFiles int
}

// Commit is one non-merge commit and the files it changed.
type Commit struct {
	Hash    string
	Email   string    // author email as git prints it, .mailmap applied
	Name    string    // author name, .mailmap applied
	When    time.Time // author date: when the author did the work
	Subject string
	Changes []Change

	// Author is the key of the person the commit counts for. Prepare sets
	// it to the canonical email of the author's alias group; when empty,
	// the lower-cased email is used.
	Author string
	// Excluded says why the commit does not count towards authorship ("bot",
	// "subject", "mass change"), or is empty when it counts. An excluded
	// commit still adds, deletes and renames files, so the file tree and
	// rename chains stay right.
	Excluded string
}

// Key is the identity the commit counts for: Author when set, otherwise the
// lower-cased email, or the lower-cased name when git has no email.
func (c Commit) Key() string {
	if c.Author != "" {
		return c.Author
	}
	return identity(c.Email, c.Name)
}

func identity(email, name string) string {
	if e := strings.ToLower(strings.TrimSpace(email)); e != "" {
		return e
	}
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// Status is the kind of change git reports for a file (the letter of
// git log --raw).
type Status byte

// Statuses. Git's type change ('T') and any other letter count as
// modifications; copies only appear if someone asks git for them.
const (
	Added    Status = 'A'
	Modified Status = 'M'
	Deleted  Status = 'D'
	Renamed  Status = 'R'
	Copied   Status = 'C'
)

// Change is what one commit did to one file.
type Change struct {
	Status  Status
	Path    string // the file's path after the commit (the deleted path for a deletion)
	OldPath string // the path before a rename or copy
}

// hasTwoPaths reports whether git prints an old and a new path for the
// status: renames and copies.
func (s Status) hasTwoPaths() bool { return s == Renamed || s == Copied }
