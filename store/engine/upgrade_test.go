package engine_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// oldRecord is one record of records.json: what Pollen at d71c132 wrote
// into testdata/v-d71c132/pollen.db (see gen.go there).
type oldRecord struct {
	Bucket string          `json:"bucket"`
	Key    string          `json:"key"`
	Value  json.RawMessage `json:"value,omitempty"`
	Raw    string          `json:"raw,omitempty"`
}

// openOldDB opens a copy of the database written by the main branch of
// 2026-12-04 and returns it with the records that code wrote.
func openOldDB(t *testing.T) (*engine.DB, []oldRecord) {
	t.Helper()
	dir := filepath.Join("testdata", "v-d71c132")
	data, err := os.ReadFile(filepath.Join(dir, "pollen.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pollen.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var recs []oldRecord
	js, err := os.ReadFile(filepath.Join(dir, "records.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &recs); err != nil {
		t.Fatal(err)
	}
	db, err := engine.Open(path, engine.Options{})
	if err != nil {
		t.Fatalf("open the database written by d71c132: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, recs
}

// TestOldDatabaseUpgradesWithEveryRecord opens the database written by
// d71c132 (schema 4, one team) and finds every record it wrote: the team
// is now rotation "team", each person split into a profile and a
// membership of it that join back into the person as written, each round
// and the settings under the rotation's key, everything else where it
// was, byte for byte in meaning, and nothing else but the rotation.
// Then it reads the same through the store's operations.
func TestOldDatabaseUpgradesWithEveryRecord(t *testing.T) {
	db, want := openOldDB(t)
	if len(want) < 50 {
		t.Fatalf("records.json holds %d records; the fixture should hold every kind", len(want))
	}
	got := map[string][]byte{}
	err := db.View(func(tx *engine.Tx) error {
		return tx.EachRecord(func(bucket string, k, v []byte) error {
			got[bucket+"/"+string(k)] = append([]byte{}, v...) // never nil: present
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{"meta/schema_version": true}
	var rot pairing.Rotation
	if err := json.Unmarshal(got["rotations/"+pairing.DefaultRotation], &rot); err != nil || rot.ID != pairing.DefaultRotation || !rot.Active() {
		t.Errorf("the upgraded database's one rotation: %+v (%v)", rot, err)
	}
	seen["rotations/"+pairing.DefaultRotation] = true
	for _, r := range want {
		key, err := base64.StdEncoding.DecodeString(r.Key)
		if err != nil {
			t.Fatal(err)
		}
		at := r.Bucket + "/" + string(key)
		var v []byte
		switch r.Bucket {
		case "people":
			member := "members/" + pairing.DefaultRotation + "/" + string(key)
			seen[member] = true
			v = mergeJSON(t, got[at], got[member])
		case "rounds":
			at = "rounds/" + pairing.DefaultRotation + "/" + string(key)
			v = got[at]
		case "settings":
			if string(key) == pairing.DefaultRotation { // the team's settings are the default rotation's
				at = "settings/rotation/" + pairing.DefaultRotation
			}
			v = got[at]
		case "meta":
			continue // the schema version moves on
		default:
			v = got[at]
		}
		seen[at] = true
		switch {
		case v == nil:
			t.Errorf("%s/%q is gone after the upgrade", r.Bucket, key)
		case r.Raw != "":
			if base64.StdEncoding.EncodeToString(v) != r.Raw {
				t.Errorf("%s/%q changed", r.Bucket, key)
			}
		case !jsonEqual(t, v, r.Value):
			t.Errorf("%s/%q changed:\n got %s\nwant %s", r.Bucket, key, v, r.Value)
		}
	}
	for k := range got {
		if !seen[k] {
			t.Errorf("the upgrade wrote %q, which the old database did not hold", k)
		}
	}
	checkOldRecordsThroughOperations(t, db, want)
}

// checkOldRecordsThroughOperations reads the upgraded database through the
// store's operations and compares with what d71c132 wrote.
func checkOldRecordsThroughOperations(t *testing.T, db *engine.DB, want []oldRecord) {
	t.Helper()
	var people []pairing.Person
	var rounds []pairing.Round
	var sessions []pairing.Session
	var team store.Team
	err := db.Snapshot(context.Background(), func(r store.Reader) (err error) {
		if team, err = r.Team(); err != nil {
			return err
		}
		if rounds, err = r.Rounds(); err != nil {
			return err
		}
		sessions, err = r.Sessions()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	people = team.People
	decodeAll := func(bucket string, into any) {
		t.Helper()
		var raw []json.RawMessage
		for _, r := range want {
			if r.Bucket == bucket && r.Value != nil {
				raw = append(raw, r.Value)
			}
		}
		all, _ := json.Marshal(raw)
		if err := json.Unmarshal(all, into); err != nil {
			t.Fatal(err)
		}
	}
	var wantPeople []pairing.Person
	var wantRounds []pairing.Round
	var wantSessions []pairing.Session
	var wantProjects []pairing.Project
	var wantEvents []pairing.Event
	decodeAll("people", &wantPeople)
	decodeAll("rounds", &wantRounds)
	decodeAll("sessions", &wantSessions)
	decodeAll("projects", &wantProjects)
	decodeAll("events", &wantEvents)
	for _, c := range []struct {
		what      string
		got, want any
		n         int
	}{
		{"people", people, wantPeople, len(wantPeople)},
		{"rounds", rounds, wantRounds, len(wantRounds)},
		{"sessions", sessions, wantSessions, len(wantSessions)},
		{"projects", team.Projects, wantProjects, len(wantProjects)},
		{"events", team.Events, wantEvents, len(wantEvents)},
	} {
		if c.n == 0 {
			t.Errorf("the fixture has no %s", c.what)
		}
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s read after the upgrade differ:\n got %+v\nwant %+v", c.what, c.got, c.want)
		}
	}
	if team.Settings.Channel != "C0TEAM" || len(team.Settings.Holidays) != 1 || !team.Settings.NoHeadsUp {
		t.Errorf("settings after the upgrade: %+v", team.Settings)
	}
}

// mergeJSON joins two JSON objects (a profile and its membership) into one.
func mergeJSON(t *testing.T, a, b []byte) []byte {
	t.Helper()
	if a == nil || b == nil {
		return nil
	}
	m := map[string]any{}
	for _, part := range [][]byte{a, b} {
		if err := json.Unmarshal(part, &m); err != nil {
			t.Fatalf("%s: %v", part, err)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
