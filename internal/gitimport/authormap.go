package gitimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pollen-team/pollen/pairing"
)

// ReadAuthorMap reads the CSV that maps commit emails to Slack users:
// "email,slack_user_id" per line. A header line ("email,…") is optional;
// blank lines and lines starting with '#' are skipped, and a UTF-8 byte
// order mark (spreadsheets write one) is ignored. Emails are lower-cased.
// The same email may appear twice only with the same user; one user may
// have many emails.
//
// Every bad line is reported, with its line number, in one
// pairing.ErrInvalid error, so a long file can be fixed in one pass.
func ReadAuthorMap(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	m := make(map[string]string)
	seenAt := make(map[string]int)
	var bad []string
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			bad = append(bad, fmt.Sprintf("line %d: %v", perr.Line, perr.Err))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read authors map: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if strings.EqualFold(strings.TrimSpace(rec[0]), "email") {
				continue
			}
		}
		if msg := checkMapping(rec); msg != "" {
			bad = append(bad, fmt.Sprintf("line %d: %s", line, msg))
			continue
		}
		email, id := strings.ToLower(strings.TrimSpace(rec[0])), strings.TrimSpace(rec[1])
		if old, ok := m[email]; ok && old != id {
			bad = append(bad, fmt.Sprintf("line %d: %s is already mapped to %s on line %d", line, email, old, seenAt[email]))
			continue
		}
		m[email], seenAt[email] = id, line
	}
	if len(bad) > 0 {
		return nil, pairing.Errorf(pairing.CodeInvalid, "authors map: %s", strings.Join(bad, "; "))
	}
	return m, nil
}

// checkMapping says what is wrong with one record, or "" if nothing is.
func checkMapping(rec []string) string {
	if len(rec) != 2 {
		return fmt.Sprintf("want 2 fields (email,slack_user_id), got %d", len(rec))
	}
	email, id := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
	switch {
	case !strings.Contains(email, "@") || strings.ContainsAny(email, " \t"):
		return fmt.Sprintf("%q is not an email", truncate(email))
	case id == "":
		return "missing Slack user ID"
	case !isSlackID(id):
		return fmt.Sprintf("%q is not a Slack user ID (like U024BE7LH)", truncate(id))
	}
	return ""
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
