package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// An outbox record that does not decode is set aside with one error log and
// one count; the messages around it are still sent, and later drains do not
// report it again.
func TestSenderSetsAsideAnUndecodableRecordAndSendsTheRest(t *testing.T) {
	db, err := engine.Open(filepath.Join(t.TempDir(), "pollen.db"), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	first := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"UA"}, CreatedAt: now}
	badID := uuid.MustParse(store.NewID())
	last := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Users: []string{"UB"}, CreatedAt: now}
	save(t, db, store.Change{Outbox: []outbox.Item{first}})
	// Damaged on disk while the bot runs (Open sets aside what it finds at
	// start).
	if err := db.PutRaw(context.Background(), "outbox", badID[:], []byte(`{"id": "`+badID.String()+`", "kind": 42`)); err != nil {
		t.Fatal(err)
	}
	save(t, db, store.Change{Outbox: []outbox.Item{last}})

	var logs bytes.Buffer
	d := &scripted{}
	s := NewSender(db, d, func() time.Time { return now }, slog.New(slog.NewTextHandler(&logs, nil)))
	dropped := map[string]int{}
	s.OnDropped = func(kind string) { dropped[kind]++ }
	for range 3 {
		if _, err := s.Drain(context.Background()); err != nil {
			t.Fatalf("drain: %v", err)
		}
	}
	if len(d.calls) != 2 || d.calls[0].ID != first.ID || d.calls[1].ID != last.ID {
		t.Errorf("delivered %+v, want the two good items", d.calls)
	}
	if dropped["undecodable"] != 1 || len(dropped) != 1 {
		t.Errorf("counted %v, want one undecodable", dropped)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d error logs, want 1:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "outbox/") {
		t.Errorf("the log does not name the record:\n%s", logs.String())
	}
	snapshot(t, db, func(r store.Reader) {
		if r.OutboxDepth() != 0 {
			t.Errorf("outbox depth %d, want 0", r.OutboxDepth())
		}
		if r.SetAsideCount() != 1 {
			t.Errorf("%d records set aside, want 1 (kept, not deleted)", r.SetAsideCount())
		}
	})
}
