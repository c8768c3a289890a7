package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// walkthroughStep is one numbered step of the README's first-round
// walkthrough: who runs it and the /pair commands it names.
type walkthroughStep struct {
	n        int
	everyone bool
	commands []string
}

var (
	stepRE     = regexp.MustCompile(`^(\d+)\. (.*)$`)
	pairCodeRE = regexp.MustCompile("`(/pair [^`]+)`")
)

// readmeSection returns the text of the README's "## heading" section, up
// to the next section, so a test can run the README's own examples.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// readWalkthrough reads the /pair commands of the README's "Your first round
// in ten minutes", step by step, exactly as written there.
func readWalkthrough(t *testing.T) []walkthroughStep {
	t.Helper()
	section := readmeSection(t, "Your first round in ten minutes")
	var steps []walkthroughStep
	for _, line := range strings.Split(section, "\n") {
		m := stepRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		st := walkthroughStep{n: len(steps) + 1, everyone: strings.HasPrefix(m[2], "Everyone:")}
		for _, c := range pairCodeRE.FindAllStringSubmatch(m[2], -1) {
			st.commands = append(st.commands, c[1])
		}
		steps = append(steps, st)
	}
	return steps
}

// asTyped turns a command as the README writes it into what Slack sends the
// app: @name and #channel become the escaped mentions Slack substitutes, and
// a choice "a|b" becomes the pick'th alternative.
func asTyped(t *testing.T, fake *slackfake.Server, users map[string]string, channels map[string]string, command string, pick int) string {
	t.Helper()
	words := strings.Fields(strings.TrimPrefix(command, "/pair "))
	for i, w := range words {
		switch {
		case strings.HasPrefix(w, "@"):
			id, ok := users[w[1:]]
			if !ok {
				t.Fatalf("README command %q names %s, who is not in the test team", command, w)
			}
			words[i] = "<@" + id + "|" + w[1:] + ">"
		case strings.HasPrefix(w, "#"):
			id, ok := channels[w[1:]]
			if !ok {
				t.Fatalf("README command %q names channel %s, which the test does not have", command, w)
			}
			words[i] = "<#" + id + "|" + w[1:] + ">"
		case strings.Contains(w, "|") && !strings.HasPrefix(w, "\""):
			alts := strings.Split(w, "|")
			words[i] = alts[pick%len(alts)]
		}
	}
	return strings.Join(words, " ")
}

// TestReadmeFirstRoundWalkthrough runs every /pair command of the README's
// "Your first round in ten minutes" through Slack (slackfake and the real
// slack-go client), as the README says: admin steps by an admin, "Everyone"
// steps by each person. Every command must be accepted, and the last step
// must put a round's proposals in people's DMs at once, exactly once: the
// schedule's own instant that week plans nothing more. The README cannot
// drift from the bot again without this test failing.
func TestReadmeFirstRoundWalkthrough(t *testing.T) {
	// Monday 30 November 2026, 07:00 UTC: before the 09:00 Berlin round the
	// walkthrough's schedule names.
	start := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)
	w := newWorld(t, start, "")
	w.at(start) // the scheduler's epoch: nothing is due
	people := team[:4]
	admin := people[0].ID
	users := map[string]string{}
	for _, u := range team {
		users[u.Name] = u.ID
	}
	w.fake.AddChannel(slackfake.Channel{ID: "C0TEAM", Name: "data-team", Members: []string{admin, w.fake.BotUserID}})
	channels := map[string]string{"data-team": "C0TEAM"}

	steps := readWalkthrough(t)
	ran := 0
	var roundNow bool
	for _, st := range steps {
		for _, c := range st.commands {
			runners := []string{admin}
			if st.everyone {
				runners = runners[:0]
				for _, p := range people {
					runners = append(runners, p.ID)
				}
			}
			for i, who := range runners {
				typed := asTyped(t, w.fake, users, channels, c, i)
				reply := w.pair(who, typed)
				if strings.Contains(reply, "Try: `") || strings.Contains(reply, "Only admins") || strings.Contains(reply, "went wrong") {
					t.Errorf("step %d: %s (typed by %s as %q) was refused:\n%s", st.n, c, who, typed, reply)
				}
				ran++
			}
			roundNow = roundNow || c == "/pair round now"
		}
	}
	if ran < 10 || !roundNow {
		t.Fatalf("the walkthrough ran %d commands (round now: %v); the README section lost its steps", ran, roundNow)
	}
	w.drain()

	sessions := w.sessions()
	if len(sessions) == 0 {
		t.Fatal("the walkthrough planned no session")
	}
	for _, s := range sessions {
		if _, ok := w.messageOf(s, "proposal"); !ok {
			t.Errorf("session %s on %s: no proposal DM after the walkthrough", s.ID, s.Project)
		}
	}
	if got := w.pair(admin, "round now"); !strings.Contains(got, "already exists") {
		t.Errorf("a second /pair round now was not refused: %s", got)
	}
	if got := w.pair(people[1].ID, "round now"); !strings.Contains(got, "Only admins") {
		t.Errorf("/pair round now by someone who is not an admin: %s", got)
	}
	w.at(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)) // 09:00 in Berlin: the schedule's instant
	if n := len(w.sessions()); n != len(sessions) {
		t.Errorf("the scheduled round planned again after /pair round now: %d sessions, want %d", n, len(sessions))
	}
}
