package gitimport

import (
	"maps"
	"strings"
	"testing"
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
		{"authors without an email", "identity,slack_user_id\nCy Park <cpark>,UCY\nbuildhost-dan,UDAN\n", map[string]string{"cpark": "UCY", "buildhost-dan": "UDAN"}},
		{"name and email", "Ana Lima <Ana@Example.com>,UANA\n", map[string]string{"ana@example.com": "UANA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bad, err := ReadAuthorMap(strings.NewReader(tt.in))
			if err != nil || len(bad) > 0 {
				t.Fatal(err, bad)
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
		"not an email,UBO",       // 4
		"cy@example.com,",        // 5: no ID
		"dan@example.com,dan",    // 6: not an ID
		"ANA@example.com,UOTHER", // 7: Ana again, someone else
		"eve@example.com,UEVE,x", // 8: three fields
		"fox@example.com,\"UFOX", // 9: broken quote
		"gus@example.com,UGUS",   // 10: good, after the bad ones
	}, "\n")
	m, bad, err := ReadAuthorMap(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"ana@example.com": "UANA", "gus@example.com": "UGUS"}; !maps.Equal(m, want) {
		t.Errorf("good lines = %v, want %v", m, want)
	}
	all := strings.Join(bad, "; ")
	for _, want := range []string{
		"line 3: want 2 fields", `line 4: "not an email" is neither an email nor "Name <handle>"`, "line 5: missing Slack user ID",
		`line 6: "dan" is not a Slack user ID`, "line 7: ana@example.com is already mapped to UANA on line 2",
		"line 8: want 2 fields", "line 9:",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems %q do not contain %q", all, want)
		}
	}
	if len(bad) != 7 || strings.Contains(all, "line 1") || strings.Contains(all, "line 2:") || strings.Contains(all, "line 10") {
		t.Errorf("problems %q: want 7, none on a good line", bad)
	}
}
