package transfer

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
	"github.com/pollen-team/pollen/pairing"
)

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// open opens a file under testdata/ for the test's duration.
func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// ids returns a generator of distinct UUID v7-shaped IDs, in order.
func ids() func() string {
	n := 0
	return func() string {
		n++
		return fmt.Sprintf("019b0000-0000-7000-8000-%012d", n)
	}
}

// team is a small, fixed history: a team of four (one paused, one who
// left), three projects (one retired), owners, declarations, two done
// sessions (one rated afterwards) and one proposed.
type team struct {
	people   []pairing.Person
	projects []pairing.Project
	sessions []pairing.Session
	events   []pairing.Event
	start    time.Time // a Monday
}

func newTeam() team {
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	grace := pairing.NewPerson("U0G9QF9C6", "Grace Hopper", "America/New_York", t0)
	grace.Status, grace.PausedUntil, grace.Cadence = pairing.Paused, t0.Add(60*day), pairing.Biweekly
	grace.Hours = pairing.WorkingHours{Start: 8*60 + 30, End: 16*60 + 30}
	linus := pairing.NewPerson("U0LINUS01", "Linus", "Europe/Helsinki", t0)
	linus.Status = pairing.Left
	kj := pairing.NewPerson("W012A3CDE", "", "UTC", t0)
	kj.Hours = pairing.WorkingHours{Start: 10 * 60, End: 24 * 60}
	people := []pairing.Person{pairing.NewPerson("U024BE7LH", "Ada Lovelace, Countess", "Europe/Berlin", t0), grace, linus, kj}

	projects := []pairing.Project{
		{Name: "churn-model", RepoURL: "https://github.com/acme/churn", Owners: []string{"U024BE7LH"}},
		{Name: "feature-store", RepoURL: "git@github.com:acme/features.git", Owners: []string{"U0G9QF9C6", "U0LINUS01"}},
		{Name: "legacy-etl", Owners: []string{"U0LINUS01"}, Retired: true},
	}
	s1 := pairing.Session{
		ID: "019b8f00-0000-7000-8000-000000000001", Kind: pairing.Pair, Project: "churn-model", Host: "U024BE7LH",
		Learners: []string{"W012A3CDE"}, Round: "2026-W03", Slot: t0.Add(7 * day), Length: time.Hour, State: pairing.Done,
		Rating: 5, Note: `walked through "features.py", then the tests`, CreatedAt: t0.Add(3 * day), DoneAt: t0.Add(7*day + time.Hour),
	}
	s2 := pairing.Session{
		ID: "019b8f00-0000-7000-8000-000000000002", Kind: pairing.Review, Project: "feature-store", Host: "U0G9QF9C6",
		Learners: []string{"W012A3CDE", "U024BE7LH"}, State: pairing.Done, CreatedAt: t0.Add(14 * day), DoneAt: t0.Add(14*day + 2*time.Hour),
	}
	s3 := pairing.Session{
		ID: "019b8f00-0000-7000-8000-000000000003", Kind: pairing.Pair, Project: "churn-model", Host: "U024BE7LH",
		Learners: []string{"U0G9QF9C6"}, Round: "2026-W05", Slot: t0.Add(21 * day).In(time.FixedZone("CET", 3600)),
		State: pairing.Proposed, CreatedAt: t0.Add(17 * day), Rotation: "C0ML",
	}
	unrated := s1
	unrated.Rating = 0
	events := []pairing.Event{
		{ID: "019b8f00-0000-7000-8000-0000000000e1", At: t0, Kind: pairing.EventOwner, Project: "churn-model", Person: "U024BE7LH"},
		{ID: "019b8f00-0000-7000-8000-0000000000e2", At: t0, Kind: pairing.EventOwner, Project: "feature-store", Person: "U0G9QF9C6"},
		{ID: "019b8f00-0000-7000-8000-0000000000e3", At: t0, Kind: pairing.EventOwner, Project: "feature-store", Person: "U0LINUS01"},
		{ID: "019b8f00-0000-7000-8000-0000000000e4", At: t0, Kind: pairing.EventOwner, Project: "legacy-etl", Person: "U0LINUS01"},
		{ID: "019b8f00-0000-7000-8000-0000000000e5", At: t0.Add(day), Kind: pairing.EventDeclared, Project: "churn-model", Person: "W012A3CDE", Level: 0.4},
		{ID: "019b8f00-0000-7000-8000-0000000000e6", At: t0.Add(day), Kind: pairing.EventDeclared, Project: "churn-model", Person: "U0G9QF9C6", Level: 0.4999},
		pairing.SessionEvent(unrated),
		{ID: "019b8f00-0000-7000-8000-0000000000e7", At: t0.Add(9 * day), Kind: pairing.EventRated, SessionID: s1.ID, Rating: 5},
		pairing.SessionEvent(s2),
	}
	return team{people: people, projects: projects, sessions: []pairing.Session{s1, s2, s3}, events: events, start: t0}
}
