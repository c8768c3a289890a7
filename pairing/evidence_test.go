package pairing

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestCommitEvidence(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	session := func(id string, d int, host string, learners ...string) Event {
		return Event{ID: id, At: day(d), Kind: EventSession, Project: "p", SessionID: id, Host: host, Learners: learners}
	}
	tests := []struct {
		name   string
		log    []Event
		firsts map[string]time.Time
		want   string // person/session/host per event
	}{
		{"first commit after a session", []Event{session("s1", 0, "ana", "cy")}, map[string]time.Time{"cy": day(9)}, "[cy/s1/ana]"},
		{"the latest session before the commit", []Event{session("s1", 0, "ana", "cy"), session("s2", 5, "bo", "cy"), session("s3", 12, "ana", "cy")},
			map[string]time.Time{"cy": day(9)}, "[cy/s2/bo]"},
		{"a commit before the session is not evidence", []Event{session("s1", 10, "ana", "cy")}, map[string]time.Time{"cy": day(9)}, "[]"},
		{"a commit at the session's instant is not after it", []Event{session("s1", 9, "ana", "cy")}, map[string]time.Time{"cy": day(9)}, "[]"},
		{"the host's commit is not evidence", []Event{session("s1", 0, "ana", "cy")}, map[string]time.Time{"ana": day(9)}, "[]"},
		{"a session on another project does not count", []Event{{ID: "x", At: day(0), Kind: EventSession, Project: "q", Host: "ana", Learners: []string{"cy"}}},
			map[string]time.Time{"cy": day(9)}, "[]"},
		{"recorded once", []Event{session("s1", 0, "ana", "cy"), {ID: "c", At: day(9), Kind: EventCommitted, Project: "p", Person: "cy"}},
			map[string]time.Time{"cy": day(20)}, "[]"},
		{"git saw them commit before the session", []Event{
			{ID: "g", At: day(-3), Kind: EventImported, Source: "git", Project: "p", Person: "cy", Level: 0.1}, session("s1", 0, "ana", "cy")},
			map[string]time.Time{"cy": day(9)}, "[]"},
		{"git's first sight of them after the session does not rule it out", []Event{
			session("s1", 0, "ana", "cy"), {ID: "g", At: day(9), Kind: EventImported, Source: "git", Project: "p", Person: "cy", Level: 0.1}},
			map[string]time.Time{"cy": day(9)}, "[cy/s1/ana]"},
		{"trio learners each, in person order", []Event{session("s1", 0, "ana", "dee", "cy")},
			map[string]time.Time{"dee": day(3), "cy": day(4)}, "[cy/s1/ana dee/s1/ana]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			got := CommitEvidence(tt.log, "p", tt.firsts, func() string { n++; return fmt.Sprint("id", n) })
			var s []string
			for _, e := range got {
				if e.Kind != EventCommitted || e.Project != "p" || !e.At.Equal(tt.firsts[e.Person]) || e.ID == "" {
					t.Errorf("bad event %+v", e)
				}
				s = append(s, e.Person+"/"+e.SessionID+"/"+e.Host)
			}
			if fmt.Sprint(s) != tt.want && !(len(s) == 0 && tt.want == "[]") {
				t.Errorf("got %v, want %s", s, tt.want)
			}
		})
	}
}

// TestCommitEvidenceInTheModel: a first commit after a session lifts the
// learner to CommitLevel (above a declared "some"), never lowers a higher
// familiarity, fades like a session and leaves a git import's hold alone.
func TestCommitEvidenceInTheModel(t *testing.T) {
	m := DefaultModel()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	sess := Event{ID: "s", At: t0, Kind: EventSession, SessionKind: Pair, Project: "p", Host: "ana", Learners: []string{"cy"}}
	commit := Event{ID: "c", At: t0.AddDate(0, 0, 9), Kind: EventCommitted, Project: "p", Person: "cy", SessionID: "s", Host: "ana"}
	k := Replay(m, []Event{sess, commit})
	if f := k.F("cy", "p", commit.At); math.Abs(f-m.CommitLevel) > 1e-9 || f <= m.Some {
		t.Errorf("after a session and a first commit f = %.3f, want %.2f (> some %.2f)", f, m.CommitLevel, m.Some)
	}
	if !k.Knows("cy", "p", commit.At) {
		t.Error("a learner whose first commit followed a session does not count as a knower")
	}
	if o := k.Origin("cy", "p"); o != "from a commit after a session" {
		t.Errorf("origin %q", o)
	}
	if f := k.F("cy", "p", commit.At.Add(m.HalfLife)); math.Abs(f-m.CommitLevel/2) > 1e-9 {
		t.Errorf("a year later f = %.3f, want it faded to %.3f", f, m.CommitLevel/2)
	}
	high := Event{ID: "d", At: t0.Add(-time.Hour), Kind: EventDeclared, Project: "p", Person: "cy", Level: m.Expert}
	if f := Replay(m, []Event{high, sess, commit}).F("cy", "p", commit.At); f < 0.9 {
		t.Errorf("a commit lowered an expert's f to %.3f", f)
	}
	held := Event{ID: "g", At: t0.Add(-time.Hour), Kind: EventImported, Source: "git", Project: "p", Person: "cy", Level: 0.45}
	late := commit.At.Add(10 * m.HalfLife)
	if f := Replay(m, []Event{held, sess, commit}).F("cy", "p", late); f < 0.45-1e-9 {
		t.Errorf("a commit cleared the git hold: f = %.3f ten half-lives later, want at least 0.45", f)
	}
}

func TestOutcomes(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	events := []Event{
		{ID: "1", At: day(0), Kind: EventSession, Project: "p", Learners: []string{"cy"}},          // followed on day 9
		{ID: "2", At: day(0), Kind: EventSession, Project: "p", Learners: []string{"bo"}},          // followed on day 31: too late
		{ID: "3", At: day(0), Kind: EventSession, Project: "q", Learners: []string{"cy"}},          // cy's commit is to p, not q
		{ID: "4", At: day(50), Kind: EventSession, Project: "q", Learners: []string{"di"}},         // 10 days old, not followed yet: not counted
		{ID: "5", At: day(50), Kind: EventSession, Project: "q", Learners: []string{"eve", "fay"}}, // fay committed on day 52
		{ID: "c1", At: day(9), Kind: EventCommitted, Project: "p", Person: "cy"},
		{ID: "c2", At: day(31), Kind: EventCommitted, Project: "p", Person: "bo"},
		{ID: "c3", At: day(52), Kind: EventCommitted, Project: "q", Person: "fay"},
	}
	got := Outcomes(events, OutcomeWindow, day(60))
	want := map[string]Outcome{"p": {Sessions: 2, Followed: 1}, "q": {Sessions: 2, Followed: 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Outcomes = %v, want %v", got, want)
	}
	if tot := TotalOutcome(got); tot != (Outcome{4, 2}) || tot.Share() != 0.5 {
		t.Errorf("total %+v share %.2f, want 2 of 4", tot, tot.Share())
	}
	if (Outcome{}).Share() != 0 {
		t.Error("the share of no sessions is not 0")
	}
}
