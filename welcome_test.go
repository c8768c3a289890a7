package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
)

// welcomes counts the welcome DMs a person got.
func (w *world) welcomes(user string) int {
	n := 0
	for _, m := range w.dmsTo(user) {
		if strings.Contains(m.AllText(), "Welcome to Pollen!") {
			n++
		}
	}
	return n
}

// TestWelcomeOnceOnJoin: the first /pair join brings one welcome DM (what
// Pollen is, hours, what you know, how to leave); leaving and joining again
// does not bring a second.
func TestWelcomeOnceOnJoin(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.pair("UBO", "join")
	w.drain()
	if n := w.welcomes("UBO"); n != 1 {
		t.Fatalf("%d welcome DMs after joining, want 1", n)
	}
	got := w.dmsTo("UBO")[0].AllText()
	for _, want := range []string{"pair or review session", "/pair hours", "/pair know", "/pair leave", "Europe/London"} {
		if !strings.Contains(got, want) {
			t.Errorf("the welcome lacks %q:\n%s", want, got)
		}
	}
	w.pair("UBO", "leave")
	w.pair("UBO", "join")
	w.pair("UBO", "join biweekly")
	w.drain()
	if n := w.welcomes("UBO"); n != 1 {
		t.Errorf("%d welcome DMs after leaving and joining again, want 1", n)
	}
}

// TestImportedPeopleAreWelcomedBeforeTheirHeadsUp: people loaded with
// pollen import get the welcome as their first message from Pollen, before
// the heads-up of their first round, and once.
func TestImportedPeopleAreWelcomedBeforeTheirHeadsUp(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pollen.db")
	csv := filepath.Join(dir, "team.csv")
	os.WriteFile(csv, []byte("kind,person,name,tz,project,owners,level\n"+
		"person,UBO,Bo,Europe/London,,,\n"+
		"person,UCY,Cy,Europe/Paris,,,\n"+
		"project,,,,etl,UBO,\n"+
		"familiarity,UCY,,,etl,,some\n"), 0o600)
	if code, _, stderr := runCLI(t, tokens(db), "import", csv); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, tokens(db), "import", csv); code != 0 { // again: nobody is new
		t.Fatalf("second import: exit %d: %s", code, stderr)
	}
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	for _, u := range team {
		fake.AddUser(u)
	}
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) // the working day before Monday's round
	w := startWorld(t, fake, friday, db)
	w.at(friday)
	for _, user := range []string{"UBO", "UCY"} {
		dms := w.dmsTo(user)
		if len(dms) < 2 {
			t.Fatalf("%s got %d DMs, want the welcome and the heads-up", user, len(dms))
		}
		if !strings.Contains(dms[0].AllText(), "Welcome to Pollen!") {
			t.Errorf("%s's first message from Pollen is not the welcome:\n%s", user, dms[0].AllText())
		}
		if !strings.Contains(dms[1].AllText(), "Heads-up") {
			t.Errorf("%s's second message is not the heads-up:\n%s", user, dms[1].AllText())
		}
		if n := w.welcomes(user); n != 1 {
			t.Errorf("%s got %d welcomes, want 1", user, n)
		}
	}
}
