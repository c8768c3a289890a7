package store_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pollen-team/pollen/store"
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
func openOldDB(t *testing.T) (*store.DB, []oldRecord) {
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
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open the database written by d71c132: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, recs
}

func TestOldDatabaseOpensWithEveryRecord(t *testing.T) {
	db, want := openOldDB(t)
	if len(want) < 50 {
		t.Fatalf("records.json holds %d records; the fixture should hold every kind", len(want))
	}
	got := map[string][]byte{}
	err := db.View(func(tx *store.Tx) error {
		return tx.EachRecord(func(bucket string, k, v []byte) error {
			got[bucket+"/"+base64.StdEncoding.EncodeToString(k)] = append([]byte(nil), v...)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range want {
		v, ok := got[r.Bucket+"/"+r.Key]
		if !ok {
			t.Errorf("%s/%s is gone after the upgrade", r.Bucket, r.Key)
			continue
		}
		if r.Raw != "" {
			if base64.StdEncoding.EncodeToString(v) != r.Raw {
				t.Errorf("%s/%s changed", r.Bucket, r.Key)
			}
			continue
		}
		if !jsonEqual(t, v, r.Value) {
			t.Errorf("%s/%s changed:\n got %s\nwant %s", r.Bucket, r.Key, v, r.Value)
		}
	}
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
