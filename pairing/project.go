package pairing

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// MaxProjectNameLen is the longest project name Pollen accepts.
const MaxProjectNameLen = 64

var projectNameRE = regexp.MustCompile(`^[a-z0-9._-]+$`)

// Project is a codebase that people can learn. Names are unique and
// compared case-insensitively, so they are stored in lower case.
type Project struct {
	Name    string   `json:"name"`
	RepoURL string   `json:"repo_url,omitempty"`
	Owners  []string `json:"owners,omitempty"` // Slack user IDs; owners start with f = 1
	Retired bool     `json:"retired,omitempty"`
	// Since is when the project's history begins: when it was added to
	// Pollen, or its first commit when its history came from git. Zero
	// for projects saved before Pollen recorded it (see Start).
	Since time.Time `json:"since,omitzero"`
	// Synced is the last commit of RepoURL whose history was imported by
	// a sync (internal/reposync); empty before the first.
	Synced string `json:"synced,omitempty"`
}

// ProjectName normalises and validates a project name typed by a user.
func ProjectName(s string) (string, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	switch {
	case name == "":
		return "", Errorf(CodeInvalid, "a project needs a name: letters, digits, '.', '_' or '-', at most %d characters", MaxProjectNameLen)
	case len(name) > MaxProjectNameLen:
		return "", Errorf(CodeInvalid, "project names are at most %d characters; %q has %d", MaxProjectNameLen, truncate(name, 20)+"…", len(name))
	case !projectNameRE.MatchString(name):
		return "", Errorf(CodeInvalid, "%q is not a project name: use only letters, digits, '.', '_' or '-'", truncate(s, 40))
	}
	return name, nil
}

// RepoURL validates a repository address: an http(s), ssh or git URL, the
// scp-like form git@host:path, or a repository on the bot's host (a
// file:// URL or an absolute path), which the bot syncs like any other.
func RepoURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if strings.HasPrefix(s, "/") && !strings.ContainsAny(s, "\n\r\t") && !strings.HasPrefix(s, "//") {
		return s, nil
	}
	if user, rest, ok := strings.Cut(s, "@"); ok && !strings.Contains(user, "/") && !strings.Contains(s, "://") {
		if host, path, ok := strings.Cut(rest, ":"); ok && host != "" && path != "" {
			return s, nil
		}
	}
	u, err := url.Parse(s)
	if err == nil && u.Host != "" {
		switch u.Scheme {
		case "http", "https", "ssh", "git":
			return s, nil
		}
	}
	if err == nil && u.Scheme == "file" && u.Host == "" && len(u.Path) > 1 {
		return s, nil
	}
	return "", Errorf(CodeInvalid, "%q is not a repository URL: use https://host/path, git@host:path or /path/on/this/host", truncate(s, 60))
}

// Validate checks the name and the repository URL.
func (p Project) Validate() error {
	name, err := ProjectName(p.Name)
	if err != nil {
		return err
	}
	if name != p.Name {
		return Errorf(CodeInvalid, "project name %q must be stored in lower case", p.Name)
	}
	_, err = RepoURL(p.RepoURL)
	return err
}

// IsOwner reports whether the person owns the project.
func (p Project) IsOwner(person string) bool {
	for _, o := range p.Owners {
		if o == person {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
