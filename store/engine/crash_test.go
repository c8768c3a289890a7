package engine

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

const crashEnv = "POLLEN_STORE_CRASH_DB"

// TestCrashWriter is the child process of TestCrashLosesNothing: it writes a
// session and its knowledge event in one transaction, over and over, and
// prints each session's ID once its transaction has committed. Run on its
// own, it does nothing.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child process of TestCrashLosesNothing")
	}
	db, err := Open(path, Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	for {
		s := pairing.Session{ID: store.NewID(), Kind: pairing.Pair, Project: "churn", Host: "U1", Learners: []string{"U2"},
			State: pairing.Done, CreatedAt: t0, UpdatedAt: t0, DoneAt: t0, Note: string(make([]byte, rand.IntN(3000)))}
		err := db.Update(func(tx *Tx) error {
			if err := tx.PutSession(s); err != nil {
				return err
			}
			_, err := tx.AppendEvent(pairing.SessionEvent(s))
			return err
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		fmt.Println(s.ID) // acknowledged: committed and fsynced
	}
}

// TestCrashLosesNothing kills a writing process with SIGKILL at random
// moments and checks, after every kill, that the file opens, passes bbolt's
// consistency check, holds every acknowledged write, and holds no session
// without its event or event without its session.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "pollen.db")
	r := rand.New(rand.NewPCG(1, 2))
	acked := map[string]bool{}
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for the first acknowledged write, then kill at a random moment.
		first := <-lines
		acked[first] = true
		kill := time.After(time.Duration(5+r.IntN(120)) * time.Millisecond)
	read:
		for {
			select {
			case id, ok := <-lines:
				if !ok {
					break read
				}
				acked[id] = true
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			}
		}
		cmd.Wait()

		db, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", round+1, err)
		}
		if err := db.Check(); err != nil {
			t.Fatalf("kill %d: inconsistent file: %v", round+1, err)
		}
		var sessions []pairing.Session
		var events []pairing.Event
		if err := db.View(func(tx *Tx) (err error) {
			if sessions, err = tx.Sessions(); err != nil {
				return err
			}
			events, err = tx.Events()
			return err
		}); err != nil {
			t.Fatalf("kill %d: read: %v", round+1, err)
		}
		db.Close()
		have := map[string]bool{}
		for _, s := range sessions {
			if err := s.Validate(); err != nil {
				t.Fatalf("kill %d: half-written session: %v", round+1, err)
			}
			have[s.ID] = true
		}
		for id := range acked {
			if !have[id] {
				t.Fatalf("kill %d: acknowledged session %s is lost", round+1, id)
			}
		}
		if len(events) != len(sessions) {
			t.Fatalf("kill %d: %d sessions but %d events: a transaction was split", round+1, len(sessions), len(events))
		}
		for _, e := range events {
			if !have[e.SessionID] {
				t.Fatalf("kill %d: event %s without its session", round+1, e.ID)
			}
		}
	}
	t.Logf("%d acknowledged writes survived 8 SIGKILLs", len(acked))
}
