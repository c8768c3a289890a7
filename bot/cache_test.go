package bot

import (
	"testing"
	"time"
)

func TestEnvelopeCacheForgetsOldAndExcessEntries(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	c := newEnvelopeCache(3, time.Minute, func() time.Time { return now })
	steps := []struct {
		advance  time.Duration
		id       string
		wantSeen bool
	}{
		{0, "a", false},
		{0, "a", true},                 // a redelivery within the minute
		{30 * time.Second, "b", false}, // a is 30 s old
		{0, "a", true},
		{45 * time.Second, "c", false}, // a is 75 s old: forgotten
		{0, "a", false},
		{0, "d", false}, // b, c, a, d: four, so b goes
		{0, "b", false},
		{0, "d", true},
	}
	for i, st := range steps {
		now = now.Add(st.advance)
		e, seen := c.begin(st.id)
		if seen != st.wantSeen {
			t.Fatalf("step %d (%s): seen = %v, want %v", i, st.id, seen, st.wantSeen)
		}
		if !seen {
			e.finish(st.id)
		}
	}
}
