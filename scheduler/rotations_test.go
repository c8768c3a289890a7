package scheduler

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// rotationSetup puts a rotation with its members and settings.
func rotationSetup(t *testing.T, db *engine.DB, rot pairing.Rotation, schedule, zone string, people ...pairing.Person) {
	t.Helper()
	st := pairing.DefaultTeamSettings()
	st.Schedule, st.TimeZone, st.Channel, st.NoHeadsUp = schedule, zone, rot.Channel, true
	ctx := store.WithRotation(context.Background(), rot.ID)
	c := store.Change{People: people, Settings: &st}
	if rot.ID != pairing.DefaultRotation {
		c.Rotations = []pairing.Rotation{rot}
	}
	if _, err := db.Apply(ctx, func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
		t.Fatal(err)
	}
}

func sessionsOf(t *testing.T, db *engine.DB) []pairing.Session {
	t.Helper()
	var out []pairing.Session
	if err := db.Snapshot(context.Background(), func(r store.Reader) (err error) { out, err = r.Sessions(); return err }); err != nil {
		t.Fatal(err)
	}
	return out
}

// Two rotations on different days and zones each plan their own members
// at their own time; Cy, in both, gets at most one session in the week;
// and the second rotation's keys do not collide with the first's.
func TestRotationsPlanTheirOwnMembersAtTheirOwnTime(t *testing.T) {
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	now := monday
	loop, db, _ := testLoop(t, &now)
	know := func(who, project string) pairing.Event {
		return pairing.Event{ID: store.NewID(), At: monday.AddDate(0, 0, -7), Kind: pairing.EventOwner, Person: who, Project: project}
	}
	p := func(id string) pairing.Person { return pairing.NewPerson(id, id, "UTC", monday.AddDate(0, -1, 0)) }
	save(t, db, store.Change{Projects: []pairing.Project{{Name: "forecast"}, {Name: "ranker"}},
		Events: []pairing.Event{know("UANA", "forecast"), know("UCY", "forecast"), know("UDI", "ranker"), know("UCY", "ranker")}})
	rotationSetup(t, db, pairing.Rotation{ID: pairing.DefaultRotation}, "0 9 * * MON", "Europe/Berlin", p("UANA"), p("UBO"), p("UCY"))
	rotationSetup(t, db, pairing.Rotation{ID: "C0ML", Channel: "C0ML", StartedAt: monday}, "0 10 * * WED", "Asia/Tokyo", p("UDI"), p("UED"), p("UCY"))

	now = monday.AddDate(0, 0, -1) // the scheduler starts on Sunday: its epoch
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC) // Monday 09:30 in Berlin
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := sessionsOf(t, db)
	if len(first) == 0 {
		t.Fatal("the default rotation planned nothing on its Monday")
	}
	for _, s := range first {
		if s.Rotation != "" || s.Has("UDI") || s.Has("UED") {
			t.Errorf("Monday's round (the default rotation) holds %+v", s)
		}
	}
	if !done(t, db, "round/2026-W49") || done(t, db, "round/C0ML/2026-W49") {
		t.Fatal("after Monday: the default rotation's round should be done and C0ML's not")
	}
	booked := map[string]bool{}
	for _, s := range first {
		for _, id := range s.Participants() {
			booked[id] = true
		}
	}

	now = time.Date(2026, 12, 2, 1, 30, 0, 0, time.UTC) // Wednesday 10:30 in Tokyo
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	var second []pairing.Session
	for _, s := range sessionsOf(t, db) {
		if s.Rotation == "C0ML" {
			second = append(second, s)
		}
	}
	if len(second) == 0 {
		t.Fatal("C0ML planned nothing on its Wednesday")
	}
	for _, s := range second {
		for _, id := range s.Participants() {
			if id == "UANA" || id == "UBO" {
				t.Errorf("C0ML's round holds %s, who is not a member: %+v", id, s)
			}
			if booked[id] {
				t.Errorf("%s has a session in both rotations this week", id)
			}
		}
	}
	proposals := 0
	for _, it := range queued(t, db) {
		if it.Kind == outbox.Proposal && it.Rotation == "C0ML" {
			proposals++
		}
	}
	if proposals != len(second) {
		t.Errorf("%d proposals carry rotation C0ML, want one per session (%d)", proposals, len(second))
	}
}

// A cross-team rotation pairs people of different member rotations, on
// the projects more than one of them works on.
func TestCrossTeamRotationPairsAcrossTeamsOnSharedCode(t *testing.T) {
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	now := monday
	loop, db, _ := testLoop(t, &now)
	p := func(id string) pairing.Person { return pairing.NewPerson(id, id, "UTC", monday.AddDate(0, -1, 0)) }
	var events []pairing.Event
	for i, k := range [][2]string{{"UA1", "dataops"}, {"UA1", "forecast"}, {"UA2", "forecast"}, {"UB1", "ranker"}, {"UB2", "ranker"}, {"UB2", "dataops"}} {
		events = append(events, pairing.Event{ID: store.NewID(), At: monday.AddDate(0, 0, -7-i), Kind: pairing.EventOwner, Person: k[0], Project: k[1]})
	}
	save(t, db, store.Change{Projects: []pairing.Project{{Name: "dataops"}, {Name: "forecast"}, {Name: "ranker"}}, Events: events})
	rotationSetup(t, db, pairing.Rotation{ID: pairing.DefaultRotation}, "0 9 1 1 *", "UTC") // the default rotation: idle
	rotationSetup(t, db, pairing.Rotation{ID: "C0A", Channel: "C0A", Projects: []string{"forecast", "dataops"}}, "0 9 1 1 *", "UTC", p("UA1"), p("UA2"), p("UA3"))
	rotationSetup(t, db, pairing.Rotation{ID: "C0B", Channel: "C0B", Projects: []string{"ranker", "dataops"}}, "0 9 1 1 *", "UTC", p("UB1"), p("UB2"), p("UB3"))
	rotationSetup(t, db, pairing.Rotation{ID: "C0X", Channel: "C0X", Across: []string{"C0A", "C0B"}}, "0 9 * * MON", "UTC")

	now = monday.AddDate(0, 0, -1) // the scheduler's epoch
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	now = monday.Add(90 * time.Minute)
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	team := map[string]string{"UA1": "A", "UA2": "A", "UA3": "A", "UB1": "B", "UB2": "B", "UB3": "B"}
	var got []pairing.Session
	for _, s := range sessionsOf(t, db) {
		if s.Rotation != "C0X" {
			t.Errorf("a session of rotation %q: only the cross-team rotation was due", s.Rotation)
			continue
		}
		got = append(got, s)
		if s.Project != "dataops" {
			t.Errorf("cross-team session on %s; only dataops is shared", s.Project)
		}
		seen := map[string]bool{}
		for _, id := range s.Participants() {
			if seen[team[id]] {
				t.Errorf("session %s holds two people of team %s", fmt.Sprint(s.Participants()), team[id])
			}
			seen[team[id]] = true
		}
	}
	if len(got) == 0 {
		t.Fatal("the cross-team rotation planned nothing, though A and B share dataops")
	}
}

// Two rotations due in the same minute are planned by one Tick from one
// read of the workspace's sessions (workspaceReads): the second still
// sees whom the first booked, so Cy, in both, gets one session.
func TestRotationsDueInOneTickDoNotDoubleBook(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := monday.AddDate(0, 0, -1)
	loop, db, _ := testLoop(t, &now)
	know := func(who, project string) pairing.Event {
		return pairing.Event{ID: store.NewID(), At: monday.AddDate(0, 0, -7), Kind: pairing.EventOwner, Person: who, Project: project}
	}
	p := func(id string) pairing.Person { return pairing.NewPerson(id, id, "UTC", monday.AddDate(0, -1, 0)) }
	save(t, db, store.Change{Projects: []pairing.Project{{Name: "forecast"}, {Name: "ranker"}},
		Events: []pairing.Event{know("UCY", "forecast"), know("UCY", "ranker")}})
	rotationSetup(t, db, pairing.Rotation{ID: pairing.DefaultRotation}, "0 9 * * MON", "UTC", p("UANA"), p("UCY"))
	rotationSetup(t, db, pairing.Rotation{ID: "C0ML", Channel: "C0ML", StartedAt: monday}, "0 9 * * MON", "UTC", p("UDI"), p("UCY"))
	if err := loop.Tick(context.Background()); err != nil { // the epoch
		t.Fatal(err)
	}
	now = monday.Add(30 * time.Second)
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !done(t, db, "round/2026-W49") || !done(t, db, "round/C0ML/2026-W49") {
		t.Fatal("both rotations' rounds should be done after the Tick")
	}
	var cy []pairing.Session
	for _, s := range sessionsOf(t, db) {
		if s.Has("UCY") {
			cy = append(cy, s)
		}
	}
	if len(cy) != 1 {
		t.Errorf("Cy has %d sessions this week across the two rotations, want 1: %+v", len(cy), cy)
	}
}

// One Tick reads the open sessions once and gives each rotation its own:
// each session is reminded at 08:00 in its own rotation's zone, once,
// named after its rotation.
func TestRotationsEachRemindTheirOwnSessionsInOneTick(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := monday
	loop, db, _ := testLoop(t, &now)
	rotationSetup(t, db, pairing.Rotation{ID: pairing.DefaultRotation}, "0 9 1 1 *", "UTC")
	rotationSetup(t, db, pairing.Rotation{ID: "C0ML", Channel: "C0ML", StartedAt: monday}, "0 9 1 1 *", "Asia/Tokyo")
	rotationSetup(t, db, pairing.Rotation{ID: "C0BI", Channel: "C0BI", StartedAt: monday}, "0 9 1 1 *", "America/New_York")
	wednesday := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	session := func(rotation string) pairing.Session {
		return pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "etl", Host: "UANA", Learners: []string{"UBO"}, Rotation: rotation,
			Round: "2026-W49", Slot: wednesday, Length: time.Hour, State: pairing.Accepted, CreatedAt: monday, UpdatedAt: monday}
	}
	byRotation := map[string]pairing.Session{"": session(""), "C0ML": session("C0ML"), "C0BI": session("C0BI")}
	save(t, db, store.Change{Sessions: []pairing.Session{byRotation[""], byRotation["C0ML"], byRotation["C0BI"]}})
	steps := []struct {
		at   time.Time
		want []string // the rotations whose session has its reminder by then
	}{
		{time.Date(2026, 12, 1, 22, 30, 0, 0, time.UTC), nil},
		{time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC), []string{"C0ML"}},             // 08:30 in Tokyo
		{time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC), []string{"", "C0ML"}},          // 08:30 in UTC
		{time.Date(2026, 12, 2, 13, 30, 0, 0, time.UTC), []string{"", "C0BI", "C0ML"}}, // 08:30 in New York
	}
	for _, step := range steps {
		now = step.at
		if err := loop.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range queued(t, db) {
			if it.Kind != outbox.Reminder {
				continue
			}
			if it.SessionID != byRotation[it.Rotation].ID {
				t.Errorf("the reminder of session %s names rotation %q", it.SessionID, it.Rotation)
			}
			got = append(got, it.Rotation)
		}
		slices.Sort(got)
		if !slices.Equal(got, step.want) {
			t.Errorf("at %v: reminders of rotations %q, want %q", step.at, got, step.want)
		}
	}
}

// A rotation that lists its projects plans its rounds on those only: the
// workspace's other projects, though someone there could teach them, are
// another team's. A rotation that lists none plans on every project.
func TestRotationPlansOnTheProjectsItLists(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := monday.AddDate(0, 0, -1)
	loop, db, _ := testLoop(t, &now)
	know := func(who, project string) pairing.Event {
		return pairing.Event{ID: store.NewID(), At: monday.AddDate(0, 0, -7), Kind: pairing.EventOwner, Person: who, Project: project}
	}
	p := func(id string) pairing.Person { return pairing.NewPerson(id, id, "UTC", monday.AddDate(0, -1, 0)) }
	save(t, db, store.Change{Projects: []pairing.Project{{Name: "forecast"}, {Name: "ranker"}},
		Events: []pairing.Event{know("UA1", "forecast"), know("UA1", "ranker"), know("UB1", "forecast"), know("UB1", "ranker")}})
	rotationSetup(t, db, pairing.Rotation{ID: pairing.DefaultRotation}, "0 9 1 1 *", "UTC") // idle
	rotationSetup(t, db, pairing.Rotation{ID: "C0A", Channel: "C0A", Projects: []string{"ranker"}}, "0 9 * * MON", "UTC", p("UA1"), p("UA2"), p("UA3"), p("UA4"))
	rotationSetup(t, db, pairing.Rotation{ID: "C0B", Channel: "C0B"}, "0 9 * * MON", "UTC", p("UB1"), p("UB2"), p("UB3"), p("UB4"))
	if err := loop.Tick(context.Background()); err != nil { // the epoch
		t.Fatal(err)
	}
	now = monday.Add(30 * time.Second)
	if err := loop.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	projects := map[string]map[string]bool{}
	for _, s := range sessionsOf(t, db) {
		if projects[s.Rotation] == nil {
			projects[s.Rotation] = map[string]bool{}
		}
		projects[s.Rotation][s.Project] = true
	}
	if len(projects["C0A"]) == 0 || projects["C0A"]["forecast"] {
		t.Errorf("#a, which lists ranker only, planned sessions on %v", projects["C0A"])
	}
	if !projects["C0B"]["forecast"] {
		t.Errorf("#b, which lists no project, planned sessions on %v; want forecast among them", projects["C0B"])
	}
}
