package gitimport

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/pairing"
)

func TestReadAuthorMap(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"header", "email,slack_user_id\nana@example.com,UANA\n", map[string]string{"ana@example.com": "UANA"}},
		{"no header", "ana@example.com,UANA\nbo@example.com,UBO\n", map[string]string{"ana@example.com": "UANA", "bo@example.com": "UBO"}},
		{"spreadsheet export", "\ufeffEmail,Slack User ID\r\nAna@Example.com , UANA\r\n", map[string]string{"ana@example.com": "UANA"}},
		{"comments, blank lines, quotes", "# team\n\n\"ana@example.com\",\"UANA\"\n\n# bots have no Slack user\n", map[string]string{"ana@example.com": "UANA"}},
		{"one person, two emails", "ana@example.com,UANA\nana@home.example,UANA\n", map[string]string{"ana@example.com": "UANA", "ana@home.example": "UANA"}},
		{"the same line twice", "ana@example.com,UANA\nana@example.com,UANA\n", map[string]string{"ana@example.com": "UANA"}},
		{"enterprise user", "ana@example.com,W012A3CDE\n", map[string]string{"ana@example.com": "W012A3CDE"}},
		{"empty", "", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadAuthorMap(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadAuthorMapReportsEveryBadLine(t *testing.T) {
	in := strings.Join([]string{
		"email,slack_user_id",    // 1: header
		"ana@example.com,UANA",   // 2
		"bo@example.com",         // 3: one field
		"not-an-email,UBO",       // 4
		"cy@example.com,",        // 5: no ID
		"dan@example.com,dan",    // 6: not an ID
		"ANA@example.com,UOTHER", // 7: Ana again, someone else
		"eve@example.com,UEVE,x", // 8: three fields
		"fox@example.com,\"UFOX", // 9: broken quote
	}, "\n")
	_, err := ReadAuthorMap(strings.NewReader(in))
	if !errors.Is(err, pairing.ErrInvalid) {
		t.Fatalf("err = %v, want a pairing.ErrInvalid", err)
	}
	for _, want := range []string{
		"line 3: want 2 fields", `line 4: "not-an-email" is not an email`, "line 5: missing Slack user ID",
		`line 6: "dan" is not a Slack user ID`, "line 7: ana@example.com is already mapped to UANA on line 2",
		"line 8: want 2 fields", "line 9:",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "line 1") || strings.Contains(err.Error(), "line 2:") {
		t.Errorf("error %q blames a good line", err)
	}
}
