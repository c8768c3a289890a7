package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// The workspace of issue 20's acceptance benchmark: benchRotations
// rotations of benchMembers people each, all due in the same minute.
const (
	benchRotations = 50
	benchMembers   = 40
	benchProjects  = 60 // workspace-wide; each rotation works on a few, some shared
	benchWeeks     = 12 // weeks of done sessions behind the round
)

// benchZones are the rotations' time zones; each rotation's schedule is
// written in its own zone for the same UTC minute.
var benchZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata", "America/Los_Angeles", "Australia/Sydney"}

// BenchmarkTickRotations is issue 20's acceptance: a workspace with 50
// rotations of 40 people each (owners, git imports and 12 weeks of done
// sessions as knowledge, projects of their own and shared ones, seven
// time zones), every rotation's round due in the same minute, planned and
// queued by one Tick. The target is under 2 s per Tick on the project's
// machine. Each iteration starts from a copy of the same database, made
// outside the timer.
func BenchmarkTickRotations(b *testing.B) {
	due := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // a Monday
	template := filepath.Join(b.TempDir(), "template.db")
	buildRotationsWorkspace(b, template, due)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "pollen.db")
		copyFile(b, template, path)
		db, err := engine.Open(path, engine.Options{Log: log})
		if err != nil {
			b.Fatal(err)
		}
		now := due.Add(30 * time.Second)
		w := &wakes{}
		loop := NewLoop(db, w, func() time.Time { return now }, log)
		b.StartTimer()
		if err := loop.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		checkEveryRotationPlanned(b, db)
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// buildRotationsWorkspace writes the benchmark's workspace to path.
func buildRotationsWorkspace(b *testing.B, path string, due time.Time) {
	b.Helper()
	db, err := engine.Open(path, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var projects []pairing.Project
	for i := range benchProjects {
		projects = append(projects, pairing.Project{Name: fmt.Sprintf("proj%02d", i), Since: due.AddDate(-1, 0, 0)})
	}
	// The scheduler's epoch: it has run for a while already.
	epoch := store.Run{Key: epochKey, At: due.AddDate(0, -6, 0)}
	save(b, db, store.Change{Projects: projects, Values: map[string]any{epochKey: epoch}})
	for r := range benchRotations {
		rot := pairing.Rotation{ID: pairing.DefaultRotation}
		if r > 0 {
			id := fmt.Sprintf("C%04d", r)
			rot = pairing.Rotation{ID: id, Channel: id, StartedAt: due.AddDate(0, -6, 0)}
		}
		// Its own three projects, and two of the ten shared libraries.
		own := []string{projects[10+r%50].Name, projects[10+(r+1)%50].Name, projects[10+(r+2)%50].Name}
		rot.Projects = append(own, projects[r%10].Name, projects[(r+3)%10].Name)
		zone := benchZones[r%len(benchZones)]
		loc, err := time.LoadLocation(zone)
		if err != nil {
			b.Fatal(err)
		}
		local := due.In(loc)
		st := pairing.DefaultTeamSettings()
		st.Schedule = fmt.Sprintf("%d %d * * %s", local.Minute(), local.Hour(), local.Weekday().String()[:3])
		st.TimeZone, st.Channel, st.NoHeadsUp = zone, rot.Channel, true
		c := store.Change{Settings: &st}
		if r > 0 {
			c.Rotations = []pairing.Rotation{rot}
		}
		var people []string
		for m := range benchMembers {
			id := fmt.Sprintf("U%02d%02d", r, m)
			people = append(people, id)
			c.People = append(c.People, pairing.NewPerson(id, id, zone, due.AddDate(-1, 0, 0)))
			// Each knows one of the rotation's projects from git, and
			// owns another now and then.
			c.Events = append(c.Events, pairing.Event{ID: store.NewID(), At: due.AddDate(0, -9, m), Kind: pairing.EventImported,
				Source: "git", Person: id, Project: rot.Projects[m%len(rot.Projects)], Level: 0.3 + float64(m%5)/10})
			if m%4 == 0 {
				c.Events = append(c.Events, pairing.Event{ID: store.NewID(), At: due.AddDate(0, -8, m), Kind: pairing.EventOwner,
					Person: id, Project: rot.Projects[(m/4)%len(rot.Projects)]})
			}
		}
		c.Sessions, c.Events = benchHistory(rot, people, due, c.Events)
		rctx := store.WithRotation(ctx, rot.ID)
		if _, err := db.Apply(rctx, func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// benchHistory is benchWeeks weeks of done pairs in the rotation, each
// with its knowledge event.
func benchHistory(rot pairing.Rotation, people []string, due time.Time, events []pairing.Event) ([]pairing.Session, []pairing.Event) {
	var sessions []pairing.Session
	for w := benchWeeks; w > 0; w-- {
		at := due.AddDate(0, 0, -7*w).Add(5 * time.Hour)
		for i := 0; i+1 < len(people); i += 2 {
			host, learner := people[(i+w)%len(people)], people[(i+w+1)%len(people)]
			s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: rot.Projects[(i/2+w)%len(rot.Projects)],
				Host: host, Learners: []string{learner}, Round: pairing.RoundID(at), Slot: at, Length: time.Hour,
				State: pairing.Done, Rotation: rotationName(rot.ID), CreatedAt: at.Add(-48 * time.Hour), UpdatedAt: at, DoneAt: at.Add(time.Hour)}
			sessions = append(sessions, s)
			events = append(events, pairing.SessionEvent(s))
		}
	}
	return sessions, events
}

// checkEveryRotationPlanned fails the benchmark unless the Tick planned
// every rotation's round, so the figure is the cost of the work asked.
func checkEveryRotationPlanned(b *testing.B, db *engine.DB) {
	b.Helper()
	round := pairing.RoundID(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	err := db.Snapshot(context.Background(), func(r store.Reader) error {
		rotations, err := r.Rotations()
		if err != nil {
			return err
		}
		if len(rotations) != benchRotations {
			return fmt.Errorf("%d rotations, want %d", len(rotations), benchRotations)
		}
		for _, rot := range rotations {
			if !r.Done(roundKey(rot.ID, round)) {
				return fmt.Errorf("rotation %s: round %s not planned", rot.ID, round)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		b.Fatal(err)
	}
}
