package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// manualClock is the injected clock of the weekly-loop tests.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *manualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// world is the whole app against a fake Slack, driven by hand: the test
// moves the clock, calls the loop's Tick and drains the outbox, as cron and
// the sender goroutine would.
type world struct {
	t     *testing.T
	fake  *slackfake.Server
	db    *engine.DB
	app   *app
	clock *manualClock
}

var team = []slackfake.User{
	{ID: "UANA", Name: "ana", DisplayName: "Ana", TZ: "Europe/Berlin", IsAdmin: true},
	{ID: "UBO", Name: "bo", DisplayName: "Bo", TZ: "Europe/London"},
	{ID: "UCY", Name: "cy", DisplayName: "Cy", TZ: "Europe/Paris"},
	{ID: "UDI", Name: "di", DisplayName: "Di", TZ: "Europe/Madrid"},
	{ID: "UEVE", Name: "eve", DisplayName: "Eve", TZ: "Europe/Rome"},
	{ID: "UFOX", Name: "fox", DisplayName: "Fox", TZ: "UTC"},
}

func newWorld(t *testing.T, start time.Time, dbPath string) *world {
	t.Helper()
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	for _, u := range team {
		fake.AddUser(u)
	}
	return startWorld(t, fake, start, dbPath)
}

func startWorld(t *testing.T, fake *slackfake.Server, start time.Time, dbPath string) *world {
	t.Helper()
	if dbPath == "" {
		dbPath = filepath.Join(t.TempDir(), "pollen.db")
	}
	db, err := engine.Open(dbPath, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := &manualClock{t: start}
	cfg := config.Config{AppToken: config.Secret(fake.AppToken), BotToken: config.Secret(fake.BotToken), APIURL: fake.APIURL(), DB: dbPath}
	a := newApp(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.bot.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		fake.CheckViolations(t)
		db.Close()
	})
	w := &world{t: t, fake: fake, db: db, app: a, clock: clock}
	if err := fake.WaitConnected(w.ctx(), 1); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	w.t.Cleanup(cancel)
	return ctx
}

func (w *world) pair(user, text string) string {
	w.t.Helper()
	ack, err := w.fake.SlashCommand(w.ctx(), user, "", "/pair", text)
	if err != nil || ack.Message == nil {
		w.t.Fatalf("/pair %s: %v", text, err)
	}
	if ack.Message.Text != "Working on it…" {
		return ack.Message.Text
	}
	late, err := w.fake.LateReply(w.ctx(), user, ack) // held up past the ack budget
	if err != nil {
		w.t.Fatalf("/pair %s: %v", text, err)
	}
	return late.Text
}

// at moves the clock, runs the scheduler and drains the outbox.
func (w *world) at(t time.Time) {
	w.t.Helper()
	w.clock.Set(t)
	if err := w.app.loop.Tick(w.ctx()); err != nil {
		w.t.Fatal(err)
	}
	w.drain()
}

func (w *world) drain() {
	w.t.Helper()
	if _, err := w.app.sender.Drain(w.ctx()); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) sessions() []pairing.Session {
	w.t.Helper()
	var ss []pairing.Session
	if err := w.db.View(func(tx *engine.Tx) (err error) { ss, err = tx.Sessions(); return err }); err != nil {
		w.t.Fatal(err)
	}
	return ss
}

func (w *world) outboxDepth() int {
	var n int
	w.db.View(func(tx *engine.Tx) error { n = tx.OutboxDepth(); return nil })
	return n
}

// proposalOf finds the DM that proposed a session.
func (w *world) messageOf(s pairing.Session, kind string) (slackfake.Message, bool) {
	channel, ok := w.fake.DMChannel(s.Participants()...)
	if !ok {
		return slackfake.Message{}, false
	}
	for _, m := range w.fake.Messages(channel) {
		if m.Metadata != nil && m.Metadata.EventPayload["session_id"] == s.ID && m.Metadata.EventPayload["kind"] == kind {
			return m, true
		}
	}
	return slackfake.Message{}, false
}

// setup builds a four-person team: two owners of one project each and two
// newcomers, so a round is two pair sessions.
func (w *world) setup() {
	w.t.Helper()
	for _, u := range team[:4] {
		w.pair(u.ID, "join")
	}
	w.pair("UANA", "project add churn-model <@UANA|ana>")
	w.pair("UANA", "project add etl <@UBO|bo>")
	w.fake.AddChannel(slackfake.Channel{ID: "C0TEAM", Name: "data-team", Members: []string{"UANA", w.fake.BotUserID}})
	w.pair("UANA", "config channel <#C0TEAM|data-team>")
}

// Sunday 29 November 2026 12:00 UTC; the default schedule is Mondays 09:00 UTC.
var sunday = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func TestAWeekFromPlanToRetroToDigest(t *testing.T) {
	w := newWorld(t, sunday, "")
	w.setup()
	w.at(sunday) // first tick: the scheduler's epoch; nothing is due
	if n := len(w.sessions()); n != 0 {
		t.Fatalf("%d sessions before the first round", n)
	}

	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	w.at(monday)
	sessions := w.sessions()
	if len(sessions) != 2 {
		t.Fatalf("round planned %d sessions for 4 people, want 2", len(sessions))
	}
	if d := w.outboxDepth(); d != 0 {
		t.Fatalf("outbox still holds %d items after draining", d)
	}
	for _, s := range sessions {
		m, ok := w.messageOf(s, "proposal")
		if !ok {
			t.Fatalf("no proposal DM for session %s", s.ID)
		}
		text := m.AllText()
		for _, want := range []string{s.Project, "<@" + s.Host + ">", "_Why:_", "Accept", "Can't this week"} {
			if !strings.Contains(text, want) {
				t.Errorf("proposal lacks %q:\n%s", want, text)
			}
		}
		if s.Slot.IsZero() || !s.Slot.After(monday) {
			t.Errorf("session slot %v is not in the round's week", s.Slot)
		}
	}
	w.at(monday.Add(time.Minute)) // ticking again plans nothing twice
	if n := len(w.sessions()); n != 2 {
		t.Fatalf("a second tick made %d sessions", n)
	}

	// Everyone in the first session accepts; a stranger's click is refused.
	s := sessions[0]
	m, _ := w.messageOf(s, "proposal")
	stranger := ""
	for _, u := range team[:4] {
		if !s.Has(u.ID) {
			stranger = u.ID
			break
		}
	}
	w.fake.ClickButton(w.ctx(), stranger, m, "session_accept", s.ID)
	for _, p := range s.Participants() {
		if _, err := w.fake.ClickButton(w.ctx(), p, m, "session_accept", s.ID); err != nil {
			t.Fatal(err)
		}
		w.fake.WaitFor(w.ctx(), func() bool { x, _ := w.fake.Message(m.Channel, m.TS); return strings.Contains(x.AllText(), "<@"+p+">") })
	}
	if err := w.fake.WaitFor(w.ctx(), func() bool { return w.session(s.ID).State == pairing.Accepted }); err != nil {
		t.Fatalf("session not accepted after everyone accepted: %v", err)
	}
	if got := w.session(s.ID); slices.Contains(got.Accepted, stranger) {
		t.Fatal("the stranger's click was counted")
	}

	// The morning of the slot brings a reminder; after the slot, the retro.
	w.at(time.Date(s.Slot.Year(), s.Slot.Month(), s.Slot.Day(), 8, 0, 0, 0, time.UTC).Add(-time.Minute))
	w.at(s.Slot.Add(-time.Minute))
	morning := time.Date(s.Slot.Year(), s.Slot.Month(), s.Slot.Day(), 8, 0, 0, 0, time.UTC)
	if _, ok := w.messageOf(s, "reminder"); ok != s.CreatedAt.Before(morning) {
		t.Errorf("reminder sent = %v for a session proposed %v with its slot at %v", ok, s.CreatedAt, s.Slot)
	}
	w.at(s.Slot.Add(s.Length + 16*time.Minute))
	retro, ok := w.messageOf(s, "retro")
	if !ok {
		t.Fatal("no retro after the slot")
	}
	learner := s.Learners[0]
	if _, err := w.fake.ClickButton(w.ctx(), learner, retro, "retro_done", s.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.fake.WaitFor(w.ctx(), func() bool { return w.session(s.ID).State == pairing.Done }); err != nil {
		t.Fatal("We paired did not mark the session done")
	}
	var modal slackfake.View
	if err := w.fake.WaitFor(w.ctx(), func() bool {
		for _, v := range w.fake.Views() {
			if v.CallbackID == "retro_rating" && v.User == learner {
				modal = v
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal("no rating modal for the learner")
	}
	ack, err := w.fake.SubmitView(w.ctx(), learner, modal.ID, map[string]map[string]string{"rating": {"rating_value": "5"}, "note": {"note_value": "learned the feature store"}})
	if err != nil || ack.ResponseAction == "errors" {
		t.Fatalf("rating: %+v, %v", ack, err)
	}
	if got := w.session(s.ID); got.Rating != 5 || got.Note != "learned the feature store" {
		t.Errorf("rating not saved: %+v", got)
	}
	if got := w.pair(learner, "who "+s.Project); !strings.Contains(got, "<@"+learner+"> (0.52, from 1 session)") {
		t.Errorf("learner's familiarity after a session rated 5 (want 0.525): %s", got)
	}

	// Friday 16:00: the digest goes to the team channel, once.
	friday := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	w.at(friday)
	w.at(friday.Add(time.Minute))
	var posts []slackfake.Message
	for _, m := range w.fake.Messages("C0TEAM") {
		if m.ThreadTS == "" {
			posts = append(posts, m)
		}
	}
	if len(posts) != 1 || !strings.Contains(posts[0].AllText(), "Sessions done: 1") || !strings.Contains(posts[0].AllText(), "churn-model 1 → 2") {
		t.Fatalf("digest posts: %d, %v", len(posts), posts)
	}
	var chart bool
	for _, u := range w.fake.Uploads() {
		chart = chart || (u.Filename == "bus-factor.png" && u.Channel == "C0TEAM" && u.ThreadTS == posts[0].TS && u.Completed)
	}
	if !chart {
		t.Error("the digest has no bus factor chart in its thread")
	}
}

func (w *world) session(id string) pairing.Session {
	w.t.Helper()
	var s pairing.Session
	if err := w.db.View(func(tx *engine.Tx) (err error) { s, err = tx.Session(id); return err }); err != nil {
		w.t.Fatal(err)
	}
	return s
}
