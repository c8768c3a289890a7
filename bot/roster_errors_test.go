package bot

import "testing"

// A person or project whose record does not decode still exists: the
// people-side commands answer with the apology (the error is logged) and
// write nothing, never "you're not in the rotation", "there is no
// project", or a fresh record written over the damaged one.
func TestUnreadableRosterRecordsGetTheApology(t *testing.T) {
	tests := []struct {
		name         string
		bucket, key  string
		user, text   string
		wasAnswering string // what the command said before errors were told apart
	}{
		{"join over a damaged profile", "people", "UBO", "UBO", "join biweekly", "You're in the rotation, biweekly."},
		{"know", "people", "UBO", "UBO", "know etl expert", refusedNotInRoster},
		{"leave", "people", "UBO", "UBO", "leave", refusedNotInRoster},
		{"hours", "people", "UBO", "UBO", "hours 10:00-18:00", refusedNotInRoster},
		{"avoid, listing", "people", "UBO", "UBO", "avoid", refusedNotInRoster},
		{"project add over a damaged project", "projects", "etl", "UANA", "project add etl", "Added *etl*"},
		{"project remove", "projects", "etl", "UANA", "project remove etl", "There is no project named etl"},
		{"know a damaged project", "projects", "etl", "UBO", "know etl expert", "There is no project named etl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			setupTeam(t, h)
			h.damage(tt.bucket, []byte(tt.key))
			before := h.snapshot()
			if got := h.run(tt.user, tt.text); got != apology {
				t.Errorf("/pair %s: %q, want the apology (it used to start %q)", tt.text, got, tt.wasAnswering)
			}
			if h.snapshot() != before {
				t.Errorf("/pair %s wrote over a record it could not read", tt.text)
			}
		})
	}
}
