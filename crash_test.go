package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
	"github.com/pollen-team/pollen/store/engine"
)

// TestPollenProcess is `pollen run` as a child process of the crash tests.
// Run on its own it does nothing.
func TestPollenProcess(t *testing.T) {
	if os.Getenv("POLLEN_TEST_PROCESS") != "1" {
		t.Skip("child process of the crash tests")
	}
	os.Exit(run(untilSignalled(), environment{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}, []string{"run"}))
}

// seedTeam writes n people (UTC, default hours) and n/2 projects, each
// owned by one of the first n/2 people, and a schedule that is due every
// minute with the scheduler's epoch an hour ago, so the first tick of a
// starting Pollen plans a round of n/2 sessions.
//
// The child runs on the real clock and a round is keyed by its ISO week, so
// a test that straddles Monday 00:00 UTC would rightly plan a second round:
// it waits until the new week has begun.
func seedTeam(t *testing.T, fake *slackfake.Server, path string, n int) {
	t.Helper()
	now := time.Now().UTC()
	monday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, (8-int(now.Weekday()))%7)
	if wait := monday.Sub(now); wait > 0 && wait < 3*time.Minute {
		t.Logf("waiting %v for the ISO week to turn", wait.Round(time.Second))
		time.Sleep(wait + time.Second)
	}
	seedTeamTB(t, fake, path, n, time.Now())
}

func seedTeamTB(t testing.TB, fake *slackfake.Server, path string, n int, now time.Time) {
	t.Helper()
	db, err := engine.Open(path, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *engine.Tx) error {
		for i := range n {
			id := fmt.Sprintf("U%04d", i)
			fake.AddUser(slackfake.User{ID: id, Name: strings.ToLower(id), TZ: "UTC"})
			if err := tx.PutPerson(pairing.NewPerson(id, id, "UTC", now.AddDate(0, 0, -30))); err != nil {
				return err
			}
			if i < n/2 {
				name := fmt.Sprintf("project-%03d", i)
				if err := tx.PutProject(pairing.Project{Name: name, Owners: []string{id}}); err != nil {
					return err
				}
				if _, err := tx.AppendEvent(pairing.Event{ID: store.NewID(), At: now.AddDate(0, 0, -30), Kind: pairing.EventOwner, Project: name, Person: id}); err != nil {
					return err
				}
			}
		}
		s := pairing.DefaultTeamSettings()
		s.Schedule = "* * * * *"
		s.Digest = "0 0 1 1 *"
		if err := tx.PutSettings(s); err != nil {
			return err
		}
		return tx.PutSetting("scheduler/epoch", store.Run{Key: "scheduler/epoch", At: now.Add(-time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// startPollen starts `pollen run` in a child process against the fake.
func startPollen(t *testing.T, fake *slackfake.Server, dbPath string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPollenProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "POLLEN_TEST_PROCESS=1",
		"SLACK_APP_TOKEN="+fake.AppToken, "SLACK_BOT_TOKEN="+fake.BotToken, "SLACK_API_URL="+fake.APIURL(),
		"POLLEN_DB="+dbPath, "POLLEN_HTTP_ADDR=127.0.0.1:0", "POLLEN_LOG_LEVEL=warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// proposalsSent counts successful proposal posts per session ID.
func proposalsSent(fake *slackfake.Server) map[string]int {
	counts := map[string]int{}
	for _, c := range fake.Calls("chat.postMessage") {
		if c.OK && strings.Contains(c.Params["metadata"], `"kind":"proposal"`) {
			_, rest, _ := strings.Cut(c.Params["metadata"], `"session_id":"`)
			id, _, _ := strings.Cut(rest, `"`)
			counts[id]++
		}
	}
	return counts
}

// TestSIGKILLWhileSendingARoundLosesAndDuplicatesNothing kills the bot
// process at random points while it sends a round of 100 proposals, three
// times, and restarts it each time; in the end every session's proposal is
// in Slack exactly once.
func TestSIGKILLWhileSendingARoundLosesAndDuplicatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	fake.FailRate("chat.postMessage", 1, slackfake.Delay{D: 3 * time.Millisecond}, 1) // spread the sends out
	dbPath := filepath.Join(t.TempDir(), "pollen.db")
	seedTeam(t, fake, dbPath, 200)
	r := rand.New(rand.NewPCG(3, 4))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	kills := 0
	for kills < 3 {
		cmd := startPollen(t, fake, dbPath)
		sent := len(proposalsSent(fake))
		target := sent + 5 + r.IntN(25)
		err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= target })
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if err != nil {
			t.Fatalf("kill %d: the bot never got to %d proposals (has %d)", kills+1, target, len(proposalsSent(fake)))
		}
		kills++
	}
	cmd := startPollen(t, fake, dbPath)
	err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 100 })
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if err != nil {
		t.Fatalf("after restarts only %d of 100 proposals arrived", len(proposalsSent(fake)))
	}
	db, err := engine.Open(dbPath, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sessions []pairing.Session
	var depth int
	db.View(func(tx *engine.Tx) (err error) { depth = tx.OutboxDepth(); sessions, err = tx.Sessions(); return err })
	counts := proposalsSent(fake)
	if len(sessions) != 100 {
		t.Fatalf("%d sessions, want 100 (one round)", len(sessions))
	}
	for _, s := range sessions {
		if counts[s.ID] != 1 {
			t.Errorf("session %s was proposed %d times", s.ID, counts[s.ID])
		}
	}
	if depth != 0 {
		t.Errorf("%d items left in the outbox", depth)
	}
	t.Logf("3 SIGKILLs during the round; %d proposals, each exactly once", len(counts))
}

// TestSIGTERMDuringARoundLosesNoOutboxEntry stops the bot with SIGTERM
// while it sends a round: it exits cleanly, every proposal is either in
// Slack or still in the outbox, and a restart sends the rest, each once.
func TestSIGTERMDuringARoundLosesNoOutboxEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	defer fake.Close()
	fake.FailRate("chat.postMessage", 1, slackfake.Delay{D: 5 * time.Millisecond}, 1)
	dbPath := filepath.Join(t.TempDir(), "pollen.db")
	seedTeam(t, fake, dbPath, 200)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	cmd := startPollen(t, fake, dbPath)
	if err := fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 30 }); err != nil {
		t.Fatal("the round never started going out")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v (want a clean exit 0)", err)
	}
	sent := len(proposalsSent(fake))
	db, err := engine.Open(dbPath, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var depth int
	db.View(func(tx *engine.Tx) error { depth = tx.OutboxDepth(); return nil })
	db.Close()
	if sent+depth != 100 || sent == 100 {
		t.Fatalf("after SIGTERM: %d sent + %d in the outbox; want 100 with some still waiting", sent, depth)
	}

	cmd = startPollen(t, fake, dbPath)
	err = fake.WaitFor(ctx, func() bool { return len(proposalsSent(fake)) >= 100 })
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if err != nil {
		t.Fatalf("after the restart only %d proposals arrived", len(proposalsSent(fake)))
	}
	for id, n := range proposalsSent(fake) {
		if n != 1 {
			t.Errorf("session %s proposed %d times", id, n)
		}
	}
	t.Logf("SIGTERM after %d of 100 proposals, %d kept in the outbox and sent after the restart", sent, depth)
}
