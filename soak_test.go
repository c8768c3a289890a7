package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/leakcheck"
	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// The soak's size: a short run by default (CI), a long one with -soak, and
// any size with -soak.users / -soak.rounds or POLLEN_SOAK=<rounds>
// (POLLEN_SOAK_USERS=<users>).
var (
	soakLong   = flag.Bool("soak", false, "run the long soak: 200 users, 20 rounds")
	soakUsers  = flag.Int("soak.users", 0, "soak team size (default 30, or 200 with -soak)")
	soakRounds = flag.Int("soak.rounds", 0, "soak rounds (default 8, or 20 with -soak)")
	soakSeed   = flag.Int64("soak.seed", 1, "seed of the soak's script and faults")
	soakHeap   = flag.String("soak.heapprofile", "", "write a heap profile to this `file` after the last round, before the bot stops")
)

type soakSize struct {
	users, rounds int
	seed          int64
}

func soakSizeFromFlags() soakSize {
	// Eight rounds by default: two to warm up and six to fit the heap's
	// trend to (checkHeapFlat), in about 20 s under -race on two cores.
	s := soakSize{users: 30, rounds: 8, seed: *soakSeed}
	if *soakLong {
		s.users, s.rounds = 200, 20
	}
	if n, err := strconv.Atoi(os.Getenv("POLLEN_SOAK")); err == nil && n > 0 {
		s.users, s.rounds = 200, n
	}
	if n, err := strconv.Atoi(os.Getenv("POLLEN_SOAK_USERS")); err == nil && n > 0 {
		s.users = n
	}
	if *soakUsers > 0 {
		s.users = *soakUsers
	}
	if *soakRounds > 0 {
		s.rounds = *soakRounds
	}
	s.users = max(s.users, 6)
	return s
}

// TestSoak is a scripted team issuing commands and clicking buttons for a
// number of weekly rounds while Slack misbehaves at random (429s, 5xx on
// the methods Pollen depends on, dropped sockets, disconnects). At the
// end: every command was answered, every session is legal, no proposal or
// retro went out twice, nothing was lost, the goroutines are back to what
// they were and the heap did not grow round over round.
func TestSoak(t *testing.T) {
	size := soakSizeFromFlags()
	runtime.MemProfileRate = 4096 // fine enough to tell the bot's heap from the fake's
	runtime.GC()
	base := settledGoroutinesMain(t, 0)
	var r soakReport
	t.Run("team", func(t *testing.T) { r = runSoak(t, size) })
	after := settledGoroutinesMain(t, base)
	if after > base {
		var sb strings.Builder
		pprof.Lookup("goroutine").WriteTo(&sb, 1)
		t.Errorf("goroutines: %d after the soak, %d before:\n%s", after, base, sb.String())
	}
	t.Logf("soak: %d users, %d rounds, %s; commands %d (answered %d, late %d), clicks %d, refusals checked %d, faults injected %d (+%d socket drops), duplicates %d, lost %d, goroutines %d→%d, bot's live heap by round %s KiB (trend %.0f B per action), peak heap in use %.1f MiB",
		size.users, size.rounds, r.elapsed.Round(time.Millisecond), r.commands, r.answered, r.late, r.clicks, r.refusals, r.faults, r.drops,
		r.duplicates, r.lost, base, after, r.heapSeries(), r.heapTrend, float64(r.peakHeap)/(1<<20))
}

type soakReport struct {
	elapsed                  time.Duration
	commands, answered, late int64
	clicks, faults, drops    int64
	refusals                 int64
	duplicates, lost         int
	botHeap                  []uint64 // the bot's live heap after each round
	actions                  []int64  // commands and clicks sent by the end of each round
	heapTrend                float64  // bytes per action, fitted by checkHeapFlat
	peakHeap                 uint64
}

func (r soakReport) heapSeries() string {
	parts := make([]string, len(r.botHeap))
	for i, h := range r.botHeap {
		parts[i] = fmt.Sprintf("%.0f", float64(h)/(1<<10))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// soak is one run: the world, the script's randomness and its tallies.
type soak struct {
	t     *testing.T
	w     *world
	fake  *slackfake.Server
	ctx   context.Context
	rng   *rand.Rand
	size  soakSize
	users []string

	commands, answered, late, clicks, drops atomic.Int64
	refusals, failures                      atomic.Int64
}

// soakWorkers is how many scripted people act at once.
const soakWorkers = 16

func runSoak(t *testing.T, size soakSize) soakReport {
	began := time.Now()
	fake := slackfake.New(slackfake.WithPingInterval(200 * time.Millisecond))
	t.Cleanup(fake.Close)
	zones := []string{"Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid", "UTC", "Europe/Rome"}
	s := &soak{t: t, fake: fake, rng: rand.New(rand.NewPCG(uint64(size.seed), 42)), size: size}
	for i := range size.users {
		id := fmt.Sprintf("U%04d", i)
		fake.AddUser(slackfake.User{ID: id, Name: strings.ToLower(id), DisplayName: "Person " + id, TZ: zones[i%len(zones)], IsAdmin: i == 0})
		s.users = append(s.users, id)
	}
	for i := range soakWorkers { // workspace members who never join: the strangers who click
		fake.AddUser(slackfake.User{ID: fmt.Sprintf("UX%03d", i), Name: fmt.Sprintf("x%d", i), TZ: "UTC"})
	}
	s.w = startWorld(t, fake, sunday, "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	t.Cleanup(cancel)
	s.ctx = ctx
	s.setup()
	s.tick(sunday)

	var report soakReport
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for r := range size.rounds {
		s.injectFaults(r)
		start := monday.AddDate(0, 0, 7*r)
		s.tick(start)
		s.drainAll()
		s.roundClicks(pairing.RoundID(start))
		s.commandsPhase(r)
		s.tick(start.Add(6*24*time.Hour + 11*time.Hour)) // Sunday 20:00: retros and the digest are due
		s.drainAll()
		s.retroClicks(pairing.RoundID(start))
		s.checkSessions()
		bot, inUse := botHeap(t)
		report.botHeap = append(report.botHeap, bot)
		report.actions = append(report.actions, s.commands.Load()+s.clicks.Load())
		report.peakHeap = max(report.peakHeap, inUse)
		if t.Failed() {
			t.Fatalf("round %d broke an invariant; stopping", r)
		}
	}
	fake.ClearFaults()
	s.drainAll()
	if *soakHeap != "" {
		writeHeapProfile(t, *soakHeap)
	}

	report.duplicates = s.checkNoDuplicates()
	report.lost = s.checkNothingLost(size.rounds, monday)
	s.checkEveryCommandCounted()
	if n := s.failures.Load(); n > 0 {
		t.Errorf("%d scripted actions went unanswered", n)
	}
	report.heapTrend = checkHeapFlat(t, report.botHeap, report.actions)
	for _, c := range fake.Calls("") {
		if c.Fault != "" {
			report.faults++
		}
	}
	report.commands, report.answered, report.late = s.commands.Load(), s.answered.Load(), s.late.Load()
	report.clicks, report.drops, report.refusals = s.clicks.Load(), s.drops.Load(), s.refusals.Load()
	report.elapsed = time.Since(began)
	return report
}

// setup has everyone join, the admin add a project per ten people with an
// owner, some people declare what they know, and the digest channel set.
func (s *soak) setup() {
	s.parallel(len(s.users), func(i, _ int) { s.command(s.users[i], "join") })
	admin := s.users[0]
	nProjects := max(3, len(s.users)/10)
	for p := range nProjects {
		s.command(admin, fmt.Sprintf("project add p-%02d <@%s|x>", p, s.users[(p*7+1)%len(s.users)]))
	}
	s.parallel(len(s.users)/3, func(i, _ int) {
		s.command(s.users[(i*5+2)%len(s.users)], fmt.Sprintf("know p-%02d expert", i%nProjects))
	})
	s.fake.AddChannel(slackfake.Channel{ID: "C0TEAM", Name: "team", Members: []string{admin, s.fake.BotUserID}})
	s.command(admin, "config channel <#C0TEAM|team>")
}

// injectFaults sets this round's faults: a rate of 429s or 5xx on each of
// the methods every flow depends on, drawn from the seed.
func (s *soak) injectFaults(round int) {
	s.fake.ClearFaults()
	pick := func(faults ...slackfake.Fault) slackfake.Fault { return faults[s.rng.IntN(len(faults))] }
	seed := s.size.seed*1000 + int64(round)
	s.fake.FailRate("chat.postMessage", 0.05+0.1*s.rng.Float64(), pick(slackfake.RateLimit{RetryAfter: 2 * time.Second},
		slackfake.Status{Code: 500}, slackfake.Status{Code: 503}), seed)
	s.fake.FailRate("conversations.open", 0.05+0.1*s.rng.Float64(), pick(slackfake.RateLimit{RetryAfter: time.Second},
		slackfake.Status{Code: 500}), seed+1)
	// users.info only with 5xx: a 429 there makes the handler sleep out
	// Retry-After for real, which only slows the soak down.
	s.fake.FailRate("users.info", 0.05, slackfake.Status{Code: 503}, seed+2)
}

func (s *soak) tick(at time.Time) {
	s.t.Helper()
	s.w.clock.Set(at)
	if err := s.w.app.loop.Tick(s.ctx); err != nil {
		s.t.Fatal(err)
	}
}

// drainAll drains the outbox until it is empty, moving the clock past each
// Retry-After and backoff, as the sender's own loop would wait.
func (s *soak) drainAll() {
	s.t.Helper()
	for range 2000 {
		next, err := s.w.app.sender.Drain(s.ctx)
		if err != nil {
			s.t.Fatal(err)
		}
		if s.w.outboxDepth() == 0 {
			return
		}
		if next.After(s.w.clock.Now()) {
			s.w.clock.Set(next)
		}
	}
	s.t.Errorf("the outbox did not drain: %d items left", s.w.outboxDepth())
}

// parallel runs n tasks on soakWorkers goroutines; task gets its index and
// its worker's number. Halfway through it may drop the sockets or ask the
// bot to reconnect, as Slack does.
func (s *soak) parallel(n int, task func(i, worker int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for wk := range soakWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				task(i, wk)
			}
		}()
	}
	chaos := s.rng.IntN(4)
	for i := range n {
		if i == n/2 && n > 10 {
			switch chaos {
			case 0:
				s.fake.DropWebSockets()
				s.drops.Add(1)
			case 1:
				s.fake.Disconnect("refresh_requested")
				s.drops.Add(1)
			}
		}
		next <- i
	}
	close(next)
	wg.Wait()
}

func (s *soak) fail(format string, args ...any) {
	s.failures.Add(1)
	s.t.Errorf(format, args...)
}

// command runs /pair text as user and checks it is answered: in its ack,
// or through the response URL after "Working on it…". A user runs one
// command at a time.
func (s *soak) command(user, text string) {
	s.commands.Add(1)
	ack, err := s.fake.SlashCommand(s.ctx, user, "", "/pair", text)
	switch {
	case err != nil:
		s.fail("/pair %s by %s: no ack: %v", text, user, err)
		return
	case ack.Message == nil || ack.Message.Text == "":
		s.fail("/pair %s by %s: acked without a reply", text, user)
		return
	case ack.Message.Text == "Working on it…":
		s.late.Add(1)
		if _, err := s.fake.LateReply(s.ctx, user, ack); err != nil {
			s.fail("/pair %s by %s: no answer after 'Working on it…'", text, user)
			return
		}
	}
	s.answered.Add(1)
}

func lateAnswers(fake *slackfake.Server, user string) []slackfake.Message {
	var out []slackfake.Message
	for _, m := range fake.Ephemerals(user) {
		if m.FromResponseURL {
			out = append(out, m)
		}
	}
	return out
}

// commandsPhase has half the team run a random command each.
func (s *soak) commandsPhase(round int) {
	n := len(s.users) / 2
	who := s.rng.Perm(len(s.users))[:n]
	texts := make([]string, n)
	for i := range texts {
		texts[i] = s.randomCommand(s.users[who[i]], round, i)
	}
	s.parallel(n, func(i, _ int) { s.command(s.users[who[i]], texts[i]) })
}

func (s *soak) randomCommand(user string, round, i int) string {
	nProjects := max(3, len(s.users)/10)
	proj := fmt.Sprintf("p-%02d", s.rng.IntN(nProjects))
	other := s.users[s.rng.IntN(len(s.users))]
	choices := []string{
		"me", "who " + proj, "projects", "history", "history <@" + other + "|x>", "help", "why",
		"know " + proj + " some", "know " + proj + " expert", "hours 08:00-16:00", "hours 10:00-18:00",
		"skip next", "resume", "now", "now " + proj, "review " + proj, "log <@" + other + "|x> " + proj,
		"avoid", "jion", "project add sneaky", "config length 45", "leave", "join", "join biweekly",
		string([]byte{byte(s.rng.IntN(256)), '<', byte(s.rng.IntN(256)), '&', '>'}),
	}
	if user == s.users[0] {
		choices = append(choices, fmt.Sprintf("project add r%02d-%03d <@%s|x>", round, i, other), "config length 60", "roster")
	}
	return choices[s.rng.IntN(len(choices))]
}

// roundSessions are the sessions of a round, from its record.
func (s *soak) roundSessions(id string) []pairing.Session {
	s.t.Helper()
	var out []pairing.Session
	err := s.w.db.View(func(tx *engine.Tx) error {
		r, err := tx.Round(id)
		if err != nil {
			return err
		}
		for _, sid := range r.SessionIDs {
			ss, err := tx.Session(sid)
			if err != nil {
				return fmt.Errorf("round %s names session %s: %w", id, sid, err)
			}
			out = append(out, ss)
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// clickStep is one press of a button in a session's chain.
type clickStep struct {
	user, action string
	replay       bool // send the previous click's payload again
	rating       int  // after "We paired" by a learner: submit this rating (0: skip the modal)
}

// roundClicks has the people of each session answer its proposal, one
// click after another per session, sessions side by side: mostly accepts,
// some declines, a stranger's click and a replayed one now and then.
func (s *soak) roundClicks(round string) {
	sessions := s.roundSessions(round)
	chains := make([][]clickStep, len(sessions))
	for i, ss := range sessions {
		for _, p := range ss.Participants() {
			switch x := s.rng.Float64(); {
			case x < 0.7:
				chains[i] = append(chains[i], clickStep{user: p, action: "session_accept"})
			case x < 0.8:
				chains[i] = append(chains[i], clickStep{user: p, action: "session_decline"})
			}
		}
		if s.rng.Float64() < 0.1 {
			chains[i] = append([]clickStep{{user: "stranger", action: "session_accept"}}, chains[i]...)
		}
		if len(chains[i]) > 0 && s.rng.Float64() < 0.1 {
			chains[i] = append(chains[i], clickStep{replay: true})
		}
	}
	s.parallel(len(sessions), func(i, wk int) { s.clickChain(sessions[i], "proposal", chains[i], wk) })
}

// retroClicks has one person of each session answer its retro.
func (s *soak) retroClicks(round string) {
	sessions := s.roundSessions(round)
	chains := make([][]clickStep, len(sessions))
	for i, ss := range sessions {
		p := ss.Participants()[s.rng.IntN(len(ss.Participants()))]
		switch x := s.rng.Float64(); {
		case x < 0.6:
			chains[i] = append(chains[i], clickStep{user: p, action: "retro_done", rating: s.rng.IntN(6)})
		case x < 0.75:
			chains[i] = append(chains[i], clickStep{user: p, action: "retro_missed"})
		case x < 0.85:
			chains[i] = append(chains[i], clickStep{user: p, action: "retro_reschedule"})
		}
		if s.rng.Float64() < 0.1 {
			chains[i] = append([]clickStep{{user: "stranger", action: "retro_done"}}, chains[i]...)
		}
		// A second Reschedule legitimately moves the slot again, so only
		// the other answers are replayed.
		if n := len(chains[i]); n > 0 && chains[i][n-1].action != "retro_reschedule" && s.rng.Float64() < 0.1 {
			chains[i] = append(chains[i], clickStep{replay: true})
		}
	}
	s.parallel(len(sessions), func(i, wk int) { s.clickChain(sessions[i], "retro", chains[i], wk) })
}

// clickChain presses the steps on the session's latest message of kind,
// each once the one before has had its effect. A stranger's click and a
// replayed one must be refused (checkRefused).
func (s *soak) clickChain(ss pairing.Session, kind string, steps []clickStep, worker int) {
	if len(steps) == 0 {
		return
	}
	msg, ok := s.latestMessage(ss, kind)
	if !ok {
		// A proposal always went out; a retro only once the slot was over.
		if _, sent := s.messageRef(ss.ID, outbox.Kind(kind)); kind == "proposal" || sent {
			s.fail("session %s (%s) has no %s message", ss.ID, ss.State, kind)
		}
		return
	}
	var last slackfake.Ack
	var lastUser string
	for _, st := range steps {
		user := st.user
		if user == "stranger" {
			user = fmt.Sprintf("UX%03d", worker)
		}
		if st.replay {
			user = lastUser
		}
		updates := func() int { m, _ := s.fake.Message(msg.Channel, msg.TS); return m.Updates }
		if cur, _ := s.fake.Message(msg.Channel, msg.TS); !st.replay && !slices.Contains(cur.ActionIDs(), st.action) {
			continue // an earlier click took the buttons away, as a decline does
		}
		refused := st.user == "stranger" || st.replay
		u0, e0 := updates(), len(lateAnswers(s.fake, user))
		modals0 := s.ratingModals(user)
		before := s.sessionJSON(ss.ID)
		s.clicks.Add(1)
		var err error
		if st.replay {
			last, err = s.replay(last)
		} else {
			last, err = s.fake.ClickButton(s.ctx, user, msg, st.action, "")
		}
		if err != nil {
			s.fail("%s by %s on %s: %v", st.action, user, ss.ID, err)
			return
		}
		lastUser = user
		// Done when the message changed or the clicker was told why not;
		// a decline always ends by telling, "We paired" by a learner opens
		// the rating modal.
		doneCond := func() bool { return updates() > u0 || len(lateAnswers(s.fake, user)) > e0 }
		if st.action == "session_decline" || refused {
			doneCond = func() bool { return len(lateAnswers(s.fake, user)) > e0 }
		}
		if err := s.fake.WaitFor(s.ctx, doneCond); err != nil {
			s.fail("%s by %s on %s had no effect: %v", st.action, user, ss.ID, err)
			return
		}
		if refused {
			what := "a stranger's click"
			if st.replay {
				what = "a replayed click"
			}
			if !s.checkRefused(what, ss.ID, user, msg, u0, before) {
				return
			}
			continue
		}
		if st.action == "retro_done" && slices.Contains(ss.Learners, user) && !st.replay && updates() > u0 {
			var modal slackfake.View
			if err := s.fake.WaitFor(s.ctx, func() bool {
				ms := s.ratingModalsList(user)
				if len(ms) > modals0 {
					modal = ms[len(ms)-1]
					return true
				}
				return false
			}); err != nil {
				s.fail("no rating modal for %s after We paired", user)
				return
			}
			if st.rating > 0 {
				if _, err := s.fake.SubmitView(s.ctx, user, modal.ID, map[string]map[string]string{
					"rating": {"rating_value": strconv.Itoa(st.rating)}, "note": {"note_value": "soak <!channel> & notes"}}); err != nil {
					s.fail("rating by %s: %v", user, err)
				}
			}
		}
	}
}

// refusals are how the bot answers a click that may change nothing: a
// stranger's, or a second click on an answered session.
var refusals = []string{"This session is not yours", "Nothing to change:", "Already recorded:"}

// checkRefused: the click by user was answered, privately, with a
// refusal, and neither the message nor the session changed. The bot tells
// only after its transaction, so the session read now is final.
func (s *soak) checkRefused(what, sessionID, user string, msg slackfake.Message, updates0 int, before string) bool {
	answers := lateAnswers(s.fake, user)
	got := answers[len(answers)-1].Text
	switch {
	case !slices.ContainsFunc(refusals, func(r string) bool { return strings.HasPrefix(got, r) }):
		s.fail("%s by %s on %s was answered %q, not refused", what, user, sessionID, got)
	case func() bool { m, _ := s.fake.Message(msg.Channel, msg.TS); return m.Updates != updates0 }():
		s.fail("%s by %s on %s was refused but changed the message", what, user, sessionID)
	case s.sessionJSON(sessionID) != before:
		s.fail("%s by %s on %s was refused but changed the session:\n%s\n%s", what, user, sessionID, before, s.sessionJSON(sessionID))
	default:
		s.refusals.Add(1)
		return true
	}
	return false
}

// sessionJSON is the stored session, to compare before and after a click.
func (s *soak) sessionJSON(id string) string {
	var ss pairing.Session
	if err := s.w.db.View(func(tx *engine.Tx) (err error) { ss, err = tx.Session(id); return err }); err != nil {
		s.t.Errorf("session %s: %v", id, err)
	}
	data, _ := json.Marshal(ss)
	return string(data)
}

func (s *soak) replay(a slackfake.Ack) (slackfake.Ack, error) {
	for _, f := range s.fake.Frames() {
		var env struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if f.Outgoing && json.Unmarshal(f.Data, &env) == nil && env.EnvelopeID == a.EnvelopeID {
			return s.fake.SendRaw(s.ctx, slackfake.EnvelopeInteractive, env.Payload, "")
		}
	}
	return slackfake.Ack{}, fmt.Errorf("no envelope %s to replay", a.EnvelopeID)
}

func (s *soak) ratingModals(user string) int { return len(s.ratingModalsList(user)) }

func (s *soak) ratingModalsList(user string) []slackfake.View {
	var out []slackfake.View
	for _, v := range s.fake.Views() {
		if v.CallbackID == "retro_rating" && v.User == user {
			out = append(out, v)
		}
	}
	return out
}

// latestMessage is the newest message of kind about a session.
func (s *soak) latestMessage(ss pairing.Session, kind string) (slackfake.Message, bool) {
	channel, ok := s.fake.DMChannel(ss.Participants()...)
	if !ok {
		return slackfake.Message{}, false
	}
	var found slackfake.Message
	for _, m := range s.fake.Messages(channel) {
		if m.Metadata != nil && m.Metadata.EventPayload["session_id"] == ss.ID && m.Metadata.EventPayload["kind"] == kind {
			found, ok = m, true
		}
	}
	return found, ok && found.TS != ""
}

func (s *soak) messageRef(sessionID string, kind outbox.Kind) (outbox.MessageRef, bool) {
	var ref outbox.MessageRef
	var ok bool
	s.w.db.View(func(tx *engine.Tx) (err error) { ref, ok, err = tx.Message(sessionID, kind); return err })
	return ref, ok
}

// checkSessions: every session is valid, and nobody is in two live
// sessions of the same round.
func (s *soak) checkSessions() {
	s.t.Helper()
	live := map[string]string{} // round/person → session
	for _, ss := range s.w.sessions() {
		if err := ss.Validate(); err != nil {
			s.t.Errorf("session %s is not valid: %v", ss.ID, err)
		}
		if ss.State == pairing.Accepted && len(ss.Accepted) != len(ss.Participants()) {
			s.t.Errorf("session %s is accepted by %v of %v", ss.ID, ss.Accepted, ss.Participants())
		}
		if err := legalSession(ss); err != nil {
			s.t.Errorf("session %s (%s): %v", ss.ID, ss.State, err)
		}
		if ss.Round == "" || ss.State == pairing.Skipped || ss.State == pairing.Cancelled {
			continue
		}
		for _, p := range ss.Participants() {
			key := ss.Round + "/" + p
			if other, dup := live[key]; dup {
				s.t.Errorf("%s is in two live sessions of round %s: %s and %s", p, ss.Round, other, ss.ID)
			}
			live[key] = ss.ID
		}
	}
}

// legalSession checks what Validate does not: who accepted takes part, who
// answered takes part, a rating only on a done
// session, a done date exactly on done sessions, and an open session
// accepted by everyone is accepted.
func legalSession(ss pairing.Session) error {
	var errs []error
	if len(slices.Compact(slices.Sorted(slices.Values(ss.Accepted)))) != len(ss.Accepted) {
		errs = append(errs, fmt.Errorf("accepted twice by someone: %v", ss.Accepted))
	}
	for _, p := range ss.Accepted {
		if !ss.Has(p) {
			errs = append(errs, fmt.Errorf("accepted by %s, who does not take part (%v)", p, ss.Participants()))
		}
	}
	for _, p := range ss.Responded {
		if !ss.Has(p) {
			errs = append(errs, fmt.Errorf("answered by %s, who does not take part (%v)", p, ss.Participants()))
		}
	}
	if ss.Rating != 0 && ss.State != pairing.Done {
		errs = append(errs, fmt.Errorf("rated %d but not done", ss.Rating))
	}
	if done := ss.State == pairing.Done; done == ss.DoneAt.IsZero() {
		errs = append(errs, fmt.Errorf("done at %v", ss.DoneAt))
	}
	if ss.State == pairing.Proposed && len(ss.Accepted) == len(ss.Participants()) {
		errs = append(errs, fmt.Errorf("accepted by everyone (%v) but still proposed", ss.Accepted))
	}
	return errors.Join(errs...)
}

// checkNoDuplicates: no outbox item went out twice, and no session got two
// proposals. It returns the number of duplicates.
func (s *soak) checkNoDuplicates() int {
	s.t.Helper()
	byItem, proposals := map[string]int{}, map[string]int{}
	for _, c := range s.fake.Calls("chat.postMessage") {
		if !c.OK || c.Params["metadata"] == "" {
			continue
		}
		var md struct {
			Payload map[string]any `json:"event_payload"`
		}
		if err := json.Unmarshal([]byte(c.Params["metadata"]), &md); err != nil {
			s.t.Errorf("metadata %q: %v", c.Params["metadata"], err)
			continue
		}
		if id, _ := md.Payload["outbox_id"].(string); id != "" {
			byItem[id]++
		}
		if md.Payload["kind"] == "proposal" {
			sid, _ := md.Payload["session_id"].(string)
			proposals[sid]++
		}
	}
	dups := 0
	for id, n := range byItem {
		if n > 1 {
			dups += n - 1
			s.t.Errorf("outbox item %s was sent %d times", id, n)
		}
	}
	for id, n := range proposals {
		if n > 1 {
			s.t.Errorf("session %s was proposed %d times", id, n)
		}
	}
	return dups
}

// checkNothingLost: the outbox is empty, every round was planned and its
// sessions exist, and every session of a round had its proposal sent.
func (s *soak) checkNothingLost(rounds int, monday time.Time) int {
	s.t.Helper()
	lost := 0
	if d := s.w.outboxDepth(); d != 0 {
		lost += d
		s.t.Errorf("%d outbox items never went out", d)
	}
	for r := range rounds {
		for _, ss := range s.roundSessions(pairing.RoundID(monday.AddDate(0, 0, 7*r))) {
			if _, ok := s.messageRef(ss.ID, outbox.Proposal); !ok {
				lost++
				s.t.Errorf("session %s of round %s has no proposal sent", ss.ID, ss.Round)
			}
		}
	}
	return lost
}

// checkEveryCommandCounted: the bot handled exactly as many commands as
// were sent, so none ran twice (a redelivered envelope) or not at all.
func (s *soak) checkEveryCommandCounted() {
	s.t.Helper()
	rec := httptest.NewRecorder()
	s.w.app.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	var handled float64
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "pollen_commands_total{") {
			v, _ := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			handled += v
		}
	}
	if sent := s.commands.Load(); int64(handled) != sent {
		s.t.Errorf("the bot handled %v commands; %d were sent", handled, sent)
	}
}

// botHeap is the bot's live heap after a collection: the heap profile's
// in-use bytes (scaled up from the samples) without what slackfake and the
// test script hold (the fake records every call and frame). Live bytes, not
// HeapInuse, so that fragmentation and free spans do not hide a trend.
// inUse is the whole heap in use.
func botHeap(t *testing.T) (bot, inUse uint64) {
	t.Helper()
	runtime.GC()
	runtime.GC() // the profile shows the heap as of the last completed cycle
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var sb strings.Builder
	if err := pprof.Lookup("heap").WriteTo(&sb, 1); err != nil {
		t.Fatal(err)
	}
	rate := float64(runtime.MemProfileRate)
	var ours, recBytes, recObjects float64
	var foreign bool
	flush := func() {
		if recObjects > 0 && recBytes > 0 && !foreign {
			avg := recBytes / recObjects
			ours += recBytes / (1 - math.Exp(-avg/rate))
		}
		recBytes, recObjects, foreign = 0, 0, false
	}
	for _, line := range strings.Split(sb.String(), "\n")[1:] {
		switch {
		case strings.HasPrefix(line, "# runtime.MemStats"):
			flush()
			return uint64(ours), ms.HeapInuse
		case strings.HasPrefix(line, "#"):
			if strings.Contains(line, "internal/slackfake.") || strings.Contains(line, "pollen.(*soak)") || strings.Contains(line, "pollen.TestSoak") || strings.Contains(line, "pollen.runSoak") {
				foreign = true
			}
		case strings.Contains(line, "@"):
			flush()
			var objs, bytes, a, b int64
			fmt.Sscanf(line, "%d: %d [%d: %d]", &objs, &bytes, &a, &b)
			recObjects, recBytes = float64(objs), float64(bytes)
		}
	}
	flush()
	return uint64(ours), ms.HeapInuse
}

func writeHeapProfile(t *testing.T, path string) {
	t.Helper()
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		t.Fatal(err)
	}
}

// Heap trend limits for checkHeapFlat.
const (
	// heapWarmupRounds are left out of the fit: caches, pools and the
	// metrics' label sets fill up in the first rounds.
	heapWarmupRounds = 2
	// heapBytesPerAction is the growth the bot's live heap may show per
	// command or click sent. The envelope cache keeps every envelope and its
	// reply for 15 minutes of real time (up to 10,000), so in a soak that
	// lasts seconds it only grows: by 470 to 870 bytes per action over nine
	// clean runs (seeds 1-6). More is a leak: a map that keeps 4 KiB per
	// command (about 40% of the actions) measured 2,170 bytes per action.
	heapBytesPerAction = 1400
)

// checkHeapFlat fails when the bot's live heap keeps growing with the work
// done: it fits heap = a + b·actions by least squares over the rounds after
// the warm-up (actions: commands and clicks sent so far, which grow round
// over round) and fails when the slope b exceeds heapBytesPerAction. It
// returns the slope.
func checkHeapFlat(t *testing.T, heap []uint64, actions []int64) float64 {
	t.Helper()
	if len(heap) != len(actions) {
		t.Fatalf("%d heap readings for %d rounds", len(heap), len(actions))
	}
	if len(heap) < heapWarmupRounds+4 {
		t.Logf("heap trend not checked: %d rounds; it needs at least %d", len(heap), heapWarmupRounds+4)
		return 0
	}
	xs, ys := actions[heapWarmupRounds:], heap[heapWarmupRounds:]
	var mx, my float64
	for i := range xs {
		mx += float64(xs[i])
		my += float64(ys[i])
	}
	n := float64(len(xs))
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for i := range xs {
		dx := float64(xs[i]) - mx
		sxy += dx * (float64(ys[i]) - my)
		sxx += dx * dx
	}
	if sxx == 0 {
		t.Errorf("no commands or clicks after round %d: nothing to fit the heap's trend to", heapWarmupRounds)
		return 0
	}
	slope := sxy / sxx
	if slope > heapBytesPerAction {
		t.Errorf("the bot's live heap grows with the work done: %.0f bytes per command or click (at most %d), from %.0f KiB after round %d to %.0f KiB after round %d",
			slope, heapBytesPerAction, float64(ys[0])/(1<<10), heapWarmupRounds+1, float64(ys[len(ys)-1])/(1<<10), len(heap))
	}
	return slope
}

// settledGoroutinesMain waits for the goroutine count to settle (see leakcheck.Settled).
func settledGoroutinesMain(t *testing.T, want int) int {
	t.Helper()
	return leakcheck.Settled(want, 15*time.Second)
}
