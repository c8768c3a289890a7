package transfer

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Text a spreadsheet would run as a formula (OWASP's CSV injection list),
// or that looks like the escape itself.
var formulaNames = []string{
	`=HYPERLINK("https://evil.example","click")`,
	"+1+cmd|' /C calc'!A0",
	"-2+3+cmd|' /C calc'!A0",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"'=already quoted",
	"'plain apostrophe",
}

// runsAsFormula reports whether a spreadsheet would evaluate the cell.
func runsAsFormula(v string) bool {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err != nil
}

// cells parses a CSV file as any reader (pandas, a spreadsheet) would.
func cells(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	return recs
}

func TestExportedCellsDoNotRunAsFormulas(t *testing.T) {
	tm := newTeam()
	at := tm.start.AddDate(0, 0, 30)
	for i := range tm.people {
		tm.people[i].Name = formulaNames[i%len(formulaNames)]
	}
	for i := range tm.sessions {
		tm.sessions[i].Note = formulaNames[(i+2)%len(formulaNames)]
	}
	k := pairing.Replay(pairing.DefaultModel(), tm.events)
	var roster, sessions bytes.Buffer
	if err := WriteRoster(&roster, tm.people, tm.projects, k, at); err != nil {
		t.Fatal(err)
	}
	if err := WriteSessions(&sessions, tm.sessions); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"roster.csv": roster.Bytes(), "sessions.csv": sessions.Bytes()} {
		for _, rec := range cells(t, name, data) {
			for _, v := range rec {
				if runsAsFormula(v) {
					t.Errorf("%s: cell %q runs as a formula", name, v)
				}
			}
		}
	}
	// The notes stay readable: the text, behind one apostrophe.
	recs := cells(t, "sessions.csv", sessions.Bytes())
	note := slices.Index(recs[0], "note")
	for i, rec := range recs[1:] {
		if want := formulaNames[(i+2)%len(formulaNames)]; rec[note] != "'"+want {
			t.Errorf("note %q, want %q", rec[note], "'"+want)
		}
	}
	// pollen import of the roster brings every name back as it was.
	im := importCSV(t, roster.Bytes(), Known{}, at.Add(24*time.Hour))
	for i, p := range im.people {
		if p.Name != tm.people[i].Name {
			t.Errorf("%s came back as %q, want %q", p.ID, p.Name, tm.people[i].Name)
		}
	}
	if len(im.people) != len(tm.people) {
		t.Errorf("%d people came back, want %d", len(im.people), len(tm.people))
	}
}

func TestNeutraliseKeepsNumbersAndPlainText(t *testing.T) {
	for _, v := range []string{"", "-1", "+0.5", "-0.25", "Ada", "a=b", "2026-01-05", "U024BE7LH"} {
		if got := neutralise(v); got != v {
			t.Errorf("neutralise(%q) = %q, want it unchanged", v, got)
		}
	}
	for _, v := range append(formulaNames, "\tx", "\r=1", "-", "'") {
		if got := restore(neutralise(v)); got != v {
			t.Errorf("restore(neutralise(%q)) = %q", v, got)
		}
	}
}
