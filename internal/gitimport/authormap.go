package gitimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadAuthorMap reads the CSV that maps commit identities to Slack users:
// "identity,slack_user_id" per line. An identity is the email a commit
// carries, or, for authors without a real email, git's "Name <handle>"
// form or the bare handle (what git prints as the author's email). A
// header line ("email,…" or "identity,…") is optional; blank lines and lines
// starting with '#' are skipped, and a UTF-8 byte order mark (spreadsheets
// write one) is ignored. Identities are lower-cased. The same identity may
// appear twice only with the same user; one user may have many identities.
//
// A bad line does not spoil the file: the good lines are returned, and every
// bad one is described in bad ("line 4: …"), so a long file can be fixed in
// one pass while the import goes ahead. err is only for a file that cannot
// be read.
func ReadAuthorMap(r io.Reader) (m map[string]string, bad []string, err error) {
	m = make(map[string]string)
	seenAt := make(map[string]int)
	sc := bufio.NewScanner(r)
	// Each line is its own CSV record, so a broken quote spoils one line,
	// not the rest of the file.
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cr := csv.NewReader(strings.NewReader(text))
		cr.FieldsPerRecord, cr.TrimLeadingSpace = -1, true
		rec, err := cr.Read()
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				err = perr.Err
			}
			bad = append(bad, fmt.Sprintf("line %d: %v", line, err))
			continue
		}
		if h := strings.ToLower(strings.TrimSpace(rec[0])); len(m) == 0 && len(bad) == 0 && (h == "email" || h == "identity") {
			continue // the header
		}
		key, msg := checkMapping(rec)
		if msg != "" {
			bad = append(bad, fmt.Sprintf("line %d: %s", line, msg))
			continue
		}
		id := strings.TrimSpace(rec[1])
		if old, ok := m[key]; ok && old != id {
			bad = append(bad, fmt.Sprintf("line %d: %s is already mapped to %s on line %d", line, key, old, seenAt[key]))
			continue
		}
		m[key], seenAt[key] = id, line
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("read authors map: %w", err)
	}
	return m, bad, nil
}

// checkMapping returns the identity key of one record, or says what is
// wrong with it.
func checkMapping(rec []string) (key, problem string) {
	if len(rec) != 2 {
		return "", fmt.Sprintf("want 2 fields (email,slack_user_id), got %d", len(rec))
	}
	key, ok := IdentityKey(rec[0])
	id := strings.TrimSpace(rec[1])
	switch {
	case !ok:
		return "", fmt.Sprintf("%q is neither an email nor \"Name <handle>\"", truncate(strings.TrimSpace(rec[0])))
	case id == "":
		return "", "missing Slack user ID"
	case !isSlackID(id):
		return "", fmt.Sprintf("%q is not a Slack user ID (like U024BE7LH)", truncate(id))
	}
	return key, ""
}

// IdentityKey is the key a commit identity is known by: the lower-cased
// email, or handle, of "email", "handle" or "Name <email-or-handle>". ok
// is false for text that is none of these (spaces outside the brackets, an
// empty or unclosed bracket).
func IdentityKey(s string) (key string, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if !strings.HasSuffix(s, ">") {
			return "", false
		}
		s = strings.TrimSpace(s[i+1 : len(s)-1])
	}
	if s == "" || strings.ContainsAny(s, " \t<>,") {
		return "", false
	}
	return strings.ToLower(s), true
}

// isSlackID accepts Slack user IDs: U or W, then upper-case letters and
// digits.
func isSlackID(s string) bool {
	if len(s) < 2 || s[0] != 'U' && s[0] != 'W' {
		return false
	}
	for _, r := range s[1:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
