package gitimport

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

var (
	boHome = who{"Bo Chen", "bo@home.example"}
	dan    = who{"Dan Ng", "dan@example.com"}
)

// smallTeam: Ana authors a, b, c; Bo d and, from home, f; Cy e. Dan's one
// edit of a leaves him no file: Ana 3.293 + 1.098 + 0.328 − 0.321·ln 2 =
// 4.4965, Dan 3.457 − 0.321·ln 3 = 3.1043 (0.69).
func smallTeam() Result {
	return Authorship(hist(
		by(ana, 1, add("a"), add("b"), add("c")),
		by(ana, 2, mod("a")),
		by(ana, 3, mod("a")),
		by(bo, 4, add("d")),
		by(cy, 5, add("e")),
		by(dan, 6, mod("a")),
		by(boHome, 9, add("f")),
	))
}

var smallTeamMap = map[string]string{
	ana.email: "UANA", "BO@example.com": "UBO", boHome.email: "UBO", dan.email: "UDAN",
}

func counter() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("id-%d", n) }
}

func TestEvents(t *testing.T) {
	res := smallTeam()
	events, unmapped := Events(res, smallTeamMap, "churn", counter(), day(8))
	want := []pairing.Event{
		// Ana: 3 of 6 files, dated at her last commit.
		{ID: "id-1", At: day(3), Kind: pairing.EventImported, Project: "churn", Person: "UANA", Level: 0.5, Source: "git"},
		// Bo's two addresses: d and f, 2 of 6, at his last commit (day 9)
		// but no later than the import (day 8).
		{ID: "id-2", At: day(8), Kind: pairing.EventImported, Project: "churn", Person: "UBO", Level: 2.0 / 6, Source: "git"},
	}
	if len(events) != len(want) {
		t.Fatalf("events = %+v, want %+v", events, want)
	}
	for i, e := range events {
		w := want[i]
		if e.Person != w.Person || !e.At.Equal(w.At) || e.Kind != w.Kind || e.Project != w.Project ||
			math.Abs(e.Level-w.Level) > 1e-12 || e.Source != w.Source || e.ID != w.ID {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
	}
	// Cy authors a file and has no Slack user; Dan authors none and is
	// neither an event nor unmapped.
	if len(unmapped) != 1 || unmapped[0].Key != cy.email || unmapped[0].Files != 1 {
		t.Errorf("unmapped = %+v, want Cy only", unmapped)
	}
}

// TestEventsHoldAuthorship replays the imported events with the knowledge
// model and checks that the level is held from the last commit on, however
// long ago it was (authorship does not fade; pairing/doc.go says why), and
// that Author.FamiliarityAt agrees with the replay.
func TestEventsHoldAuthorship(t *testing.T) {
	res := smallTeam()
	events, _ := Events(res, smallTeamMap, "churn", counter(), day(8))
	m := pairing.DefaultModel()
	k := pairing.Replay(m, events)
	half := day(3).Add(m.HalfLife / 2)
	tests := []struct {
		name string
		at   time.Time
		want float64
	}{
		{"at her last commit", day(3), 0.5},
		{"half a half-life later", half, 0.5},
		{"one half-life later", day(3).Add(m.HalfLife), 0.5},
		{"three years later", day(3).AddDate(3, 0, 0), 0.5},
	}
	anaAuthor := res.Authors[0]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := k.F("UANA", "churn", tt.at); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("replayed F = %.6f, want %.6f", got, tt.want)
			}
			if got := anaAuthor.FamiliarityAt(m, tt.at); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Author.FamiliarityAt = %.6f, want %.6f", got, tt.want)
			}
		})
	}
}

func TestEventsEmpty(t *testing.T) {
	events, unmapped := Events(Result{}, nil, "churn", counter(), day(1))
	if len(events) != 0 || len(unmapped) != 0 {
		t.Errorf("Events of nothing = %+v, %+v", events, unmapped)
	}
}
