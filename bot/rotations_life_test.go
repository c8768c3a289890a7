package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// rotationWrites is the bot's real store with a look at each Apply that
// writes a rotation, just before it commits: what Slack showed by then,
// or a failed write.
type rotationWrites struct {
	Store
	mu      sync.Mutex
	onWrite func(store.Change) error
}

func (w *rotationWrites) Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error) {
	return w.Store.Apply(ctx, func(r store.Reader) (store.Change, error) {
		c, err := decide(r)
		if err == nil && len(c.Rotations) > 0 {
			w.mu.Lock()
			hook := w.onWrite
			w.mu.Unlock()
			if hook != nil {
				err = hook(c)
			}
		}
		return c, err
	})
}

func (w *rotationWrites) set(hook func(store.Change) error) {
	w.mu.Lock()
	w.onWrite = hook
	w.mu.Unlock()
}

// newWatchedHarness is a harness whose bot writes through rotationWrites.
func newWatchedHarness(t *testing.T) (*harness, *rotationWrites) {
	t.Helper()
	w := &rotationWrites{}
	h := newHarnessWith(t, func(c *Config) { w.Store = c.DB; c.DB = w })
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA", "UBO"}})
	return h, w
}

// The intro of a rotation is posted only once the rotation is stored: a
// Join clicked as soon as it shows finds the rotation; a write that fails
// leaves no intro behind; an intro that fails after the write says so, and
// the rotation runs.
func TestRotationIntroIsPostedAfterTheWrite(t *testing.T) {
	t.Run("the write comes first", func(t *testing.T) {
		h, w := newWatchedHarness(t)
		var intros atomic.Int64
		intros.Store(-1)
		w.set(func(store.Change) error { intros.Store(int64(len(h.fake.Messages("CFORE")))); return nil })
		if got := h.runIn("UANA", "CFORE", "rotation start").Text; !strings.Contains(got, "I posted its intro") {
			t.Fatalf("rotation start: %q", got)
		}
		if n := intros.Load(); n != 0 {
			t.Fatalf("%d intros were in the channel when the rotation was written, want 0", n)
		}
		intro := h.fake.Messages("CFORE")
		if len(intro) != 1 {
			t.Fatalf("intro: %+v", intro)
		}
		if _, err := h.fake.ClickButton(h.ctx(), "UBO", intro[0], actionRotationJoin, ""); err != nil {
			t.Fatal(err)
		}
		if err := h.fake.WaitFor(h.ctx(), func() bool { _, in := h.memberIn("CFORE", "UBO"); return in }); err != nil {
			t.Fatal("Join on the intro did not join the rotation")
		}
	})
	t.Run("a failed write posts nothing", func(t *testing.T) {
		h, w := newWatchedHarness(t)
		w.set(func(store.Change) error { return errors.New("disk full") })
		got := h.runIn("UANA", "CFORE", "rotation start").Text
		if strings.Contains(got, "Started") {
			t.Fatalf("rotation start over a failed write: %q", got)
		}
		if n := len(h.fake.Messages("CFORE")); n != 0 {
			t.Fatalf("a failed write left %d intros in the channel", n)
		}
		if _, ok := h.rotationOf("CFORE"); ok {
			t.Fatal("a failed write recorded the rotation")
		}
	})
	t.Run("a failed intro after the write", func(t *testing.T) {
		h, _ := newWatchedHarness(t)
		h.fake.FailNext("chat.postMessage", 1, slackfake.SlackError{Code: "fatal_error"})
		got := h.runIn("UANA", "CFORE", "rotation start").Text
		if !strings.Contains(got, "could not post its intro") || !strings.Contains(got, "`/pair join`") {
			t.Fatalf("rotation start whose intro failed: %q", got)
		}
		if rot, ok := h.rotationOf("CFORE"); !ok || !rot.Active() {
			t.Fatal("the rotation is not running")
		}
	})
}

// /pair rotation start in a channel whose rotation was stopped resumes it
// as it was: its members, settings and start date; only a schedule the
// command gives changes. Its intro is posted again.
func TestRotationStartResumesAStoppedRotation(t *testing.T) {
	h := newHarness(t)
	h.fake.AddChannel(slackfake.Channel{ID: "CFORE", Name: "forecasting", Members: []string{h.fake.BotUserID, "UANA", "UBO"}})
	h.runIn("UANA", "CFORE", "rotation start biweekly wednesday 10:30")
	if got := h.runIn("UBO", "CFORE", "join biweekly").Text; !strings.Contains(got, "Welcome") {
		t.Fatalf("join: %q", got)
	}
	h.runIn("UANA", "CFORE", "config length 45")
	first, _ := h.rotationOf("CFORE")
	h.runIn("UANA", "CFORE", "rotation stop")

	got := h.runIn("UANA", "CFORE", "rotation start").Text
	if !strings.Contains(got, "Restarted this channel's rotation where it stopped: its 1 member, settings and history are as they were") {
		t.Fatalf("restart: %q", got)
	}
	rot, _ := h.rotationOf("CFORE")
	if !rot.Active() || !rot.StartedAt.Equal(first.StartedAt) {
		t.Fatalf("restarted rotation %+v, was %+v", rot, first)
	}
	if p, in := h.memberIn("CFORE", "UBO"); !in || p.Cadence != pairing.Biweekly || p.Status == pairing.Left {
		t.Fatalf("Bo after the restart: %+v (in %v)", p, in)
	}
	s, err := h.db.Settings(store.WithRotation(h.ctx(), "CFORE"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Schedule != "30 10 * * WED" || s.SessionLength != 45*time.Minute || s.Channel != "CFORE" {
		t.Fatalf("settings after the restart: %+v", s)
	}
	if n := len(h.fake.Messages("CFORE")); n != 2 {
		t.Fatalf("%d intros, want the first and the restart's", n)
	}

	h.runIn("UANA", "CFORE", "rotation stop")
	h.runIn("UANA", "CFORE", "rotation start friday 14:00")
	if s, _ := h.db.Settings(store.WithRotation(h.ctx(), "CFORE")); s.Schedule != "0 14 * * FRI" || s.SessionLength != 45*time.Minute {
		t.Fatalf("a restart with a schedule: %+v", s)
	}
}
