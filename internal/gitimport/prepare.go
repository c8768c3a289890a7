package gitimport

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Options say which part of the history counts.
type Options struct {
	// Since limits the history to commits made after it (git log --since,
	// which uses the committer date). Files nobody touched since then are
	// not part of the result. Zero means the whole history.
	Since time.Time
	// ExcludeAuthors drops the commits whose author email or name matches
	// any pattern, for bots; see Bots.
	ExcludeAuthors []*regexp.Regexp
	// ExcludeSubjects drops the commits whose subject matches any pattern,
	// for mass reformatting ("^style:", "black", "gofmt").
	ExcludeSubjects []*regexp.Regexp
	// ExcludePaths leaves the files whose path matches any pattern out of
	// the project: vendored code, generated files, data ("^vendor/",
	// "\\.ipynb$"). They count for nobody and are not among the files the
	// shares and the truck factor are computed over. It applies to
	// History.Files, which Read always sets.
	ExcludePaths []*regexp.Regexp
	// MaxFiles drops the commits that modify or rename more than MaxFiles
	// existing files: reformatting, licence headers, moving a tree. Files a
	// commit adds do not count towards it, so an initial import keeps its
	// first authorship. Zero means no limit.
	MaxFiles int
	// Aliases groups emails: emails with the same value are one author. The
	// author map (email → Slack user ID) can be passed as it is, so that a
	// person's work and personal addresses count together.
	Aliases map[string]string
	// SeparateNames stops authors with the same name from being merged.
	// By default they are one author (case and spacing ignored, and names
	// that say nothing about a person, such as "root" or "unknown",
	// excepted): people commit from work and home addresses, and GitHub's
	// web editor uses a noreply address, far more often than two people on
	// one project share a name. The repository's .mailmap is always
	// applied, by git.
	SeparateNames bool
}

// DefaultOptions are the options pollen import-git and the repository sync
// use unless told otherwise: bots excluded, commits that change more than
// 100 existing files dropped as mass changes, authors merged by email,
// .mailmap and name.
func DefaultOptions() Options {
	return Options{ExcludeAuthors: []*regexp.Regexp{Bots}}
}

// Bots matches the author names and emails of common bots: GitHub Apps
// ("dependabot[bot]"), Renovate, pre-commit.ci and GitHub Actions.
var Bots = regexp.MustCompile(`(?i)\[bot\]|^(dependabot|renovate|pre-commit-ci|github-actions)\b`)

// Excluded reasons, as Prepare writes them into Commit.Excluded.
const (
	ExcludedBot        = "bot"
	ExcludedSubject    = "subject"
	ExcludedMassChange = "mass change"
)

// Prepare applies opts to a parsed history, as Read does: it marks excluded
// commits and sets every commit's Author to its alias group's key. Since is
// not applied here: git applies it while walking the history. The input is
// not modified.
func Prepare(h History, opts Options) History {
	out := History{Commits: slices.Clone(h.Commits), Files: h.Files, ExcludedFiles: h.ExcludedFiles}
	if len(opts.ExcludePaths) > 0 && h.Files != nil {
		out.Files = slices.DeleteFunc(slices.Clone(h.Files), func(path string) bool {
			return slices.ContainsFunc(opts.ExcludePaths, func(re *regexp.Regexp) bool { return re.MatchString(path) })
		})
		out.ExcludedFiles += len(h.Files) - len(out.Files)
	}
	keys := aliasKeys(out.Commits, opts)
	for i := range out.Commits {
		c := &out.Commits[i]
		c.Author = keys[identity(c.Email, c.Name)]
		c.Excluded = opts.exclusion(*c)
	}
	return out
}

func (o Options) exclusion(c Commit) string {
	for _, re := range o.ExcludeAuthors {
		if re.MatchString(c.Email) || re.MatchString(c.Name) {
			return ExcludedBot
		}
	}
	for _, re := range o.ExcludeSubjects {
		if re.MatchString(c.Subject) {
			return ExcludedSubject
		}
	}
	if o.MaxFiles > 0 {
		n := 0
		for _, ch := range c.Changes {
			if ch.Status != Added && ch.Status != Deleted && ch.Status != Copied {
				n++
			}
		}
		if n > o.MaxFiles {
			return ExcludedMassChange
		}
	}
	return ""
}

// aliasKeys maps every identity in the commits to the key of its alias
// group: the identity with the most commits in the group, the smallest on a
// tie, so the key is usually the address the person uses most.
func aliasKeys(commits []Commit, opts Options) map[string]string {
	aliases := foldKeys(opts.Aliases)
	counts := make(map[string]int)
	uf := unionFind{}
	byAlias := make(map[string]string) // alias value or name → first identity seen
	join := func(label, id string) {
		if first, ok := byAlias[label]; ok {
			uf.union(first, id)
		} else {
			byAlias[label] = id
		}
	}
	for _, c := range commits {
		id := identity(c.Email, c.Name)
		counts[id]++
		uf.add(id)
		if v, ok := aliases[strings.ToLower(strings.TrimSpace(c.Email))]; ok {
			join("alias\x00"+v, id)
		}
		if name := normalName(c.Name); !opts.SeparateNames && name != "" {
			join("name\x00"+name, id)
		}
	}
	best := make(map[string]string) // root → key
	for id, n := range counts {
		r := uf.find(id)
		k, ok := best[r]
		if !ok || n > counts[k] || n == counts[k] && id < k {
			best[r] = id
		}
	}
	keys := make(map[string]string, len(counts))
	for id := range counts {
		keys[id] = best[uf.find(id)]
	}
	return keys
}

// normalName is the name an author is merged by: lower case, single
// spaces, or "" for a name that does not tell people apart.
func normalName(name string) string {
	n := identity("", name)
	if anonymousNames[n] {
		return ""
	}
	return n
}

// anonymousNames are author names that machines and default set-ups give
// to anyone.
var anonymousNames = map[string]bool{
	"": true, "root": true, "unknown": true, "user": true, "admin": true, "administrator": true,
	"ubuntu": true, "none": true, "(no author)": true, "nobody": true, "your name": true, "github": true,
}

// foldKeys returns m keyed by lower-cased, trimmed email, so lookups
// ignore case and stray spaces. On a clash the smaller value wins, so the
// result does not depend on map order.
func foldKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		k = strings.ToLower(strings.TrimSpace(k))
		if old, ok := out[k]; k == "" || ok && old < v {
			continue
		}
		out[k] = v
	}
	return out
}

// unionFind groups identities that are the same person.
type unionFind map[string]string

func (u unionFind) add(x string) {
	if _, ok := u[x]; !ok {
		u[x] = x
	}
}

func (u unionFind) find(x string) string {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[max(ra, rb)] = min(ra, rb)
	}
}
