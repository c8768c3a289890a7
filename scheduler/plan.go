package scheduler

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// maxPlanAttempts bounds how often planRound starts over because the
// roster changed while it was planning.
const maxPlanAttempts = 3

// errRosterChanged says that a person record changed between the read a
// plan was made from and the transaction that would save it (the store's
// SavePlan checks it in that transaction).
var errRosterChanged = store.ErrRosterChanged

// planRound plans the round and saves it, starting over when the roster
// changed while it was planning.
//
// Planning reads the team in one transaction, then asks Slack about
// statuses (seconds for a large team), plans, and saves in a second
// transaction. A /pair leave, /pair avoid, Pause or heads-up Skip committed
// in between has already been confirmed to its author, so the round must
// honour it. The save (engine.DB.SavePlan) therefore re-reads a digest of
// every person record (store.Reader.RosterDigest) inside its own
// transaction and saves only if it is the one the plan was made from;
// otherwise nothing is written and the round is planned again from the
// new roster. Starting over, rather than
// repairing the plan (dropping the sessions of whoever changed), keeps one
// planner and one set of rules: the new plan is exactly the plan that the
// roster would have got had the change come a second earlier, partners
// are paired with someone else instead of sitting out, and no rule about
// who is told what is written twice. A change after the save is too late
// for this round and is answered as such by the bot (the Skip button checks
// for the round in the transaction that records the skip). A roster that
// keeps changing fails the tick after maxPlanAttempts and the next tick,
// a minute later, tries again.
func (l *Loop) planRound(ctx context.Context, id string, settings pairing.TeamSettings, now time.Time) (int, error) {
	for attempt := 1; ; attempt++ {
		n, err := l.planRoundOnce(ctx, id, settings, now)
		if !errors.Is(err, errRosterChanged) {
			return n, err
		}
		if attempt == maxPlanAttempts {
			return 0, fmt.Errorf("round %s: %w on %d attempts in a row; the next tick tries again", id, err, attempt)
		}
		l.log.Info("the roster changed while the round was planned; planning it again", "round", id)
	}
}

// planRoundOnce reads the team, plans the round (pure), and saves the
// round, its sessions, an outbox item per proposal and per sit-out notice,
// and the round's key, all in one transaction, unless the roster changed
// since the read (errRosterChanged).
func (l *Loop) planRoundOnce(ctx context.Context, id string, settings pairing.TeamSettings, now time.Time) (int, error) {
	in, sessions, roster, err := l.planInput(ctx, id, settings, now)
	if err != nil {
		return 0, err
	}
	ghosts, away := l.leaveOut(ctx, &in, sessions, settings, now)
	plan, err := pairing.PlanRound(in)
	if err != nil {
		return 0, err
	}
	save := planRecords(in, plan, rotationField(ctx), ghosts, away, now)
	saved, err := l.db.SavePlan(ctx, store.Run{Key: roundKey(store.RotationOf(ctx), id), At: now}, roster, save.decide)
	if err != nil || !saved {
		return 0, err // !saved: planned meanwhile
	}
	l.shared.add(save.sessions)
	if l.roundPlanned != nil {
		l.roundPlanned(len(plan.Proposals))
	}
	l.log.Info("round planned", "round", id, "sessions", len(plan.Proposals), "sat_out", len(plan.SatOut))
	return save.queued, nil
}

// plannedRound is a plan as records: the round, its sessions with their
// IDs and an outbox item for each message, made before the save; decide
// then completes it with what depends on the state it is saved over.
type plannedRound struct {
	round    pairing.Round
	sessions []pairing.Session
	outbox   []outbox.Item
	// ghosts are asked whether to stay in once per key (ghostKey): the
	// item goes out only if the key is not done yet.
	ghosts []ghostAsk
	// skipNext are the people whose pending "skip next" this round spends.
	skipNext []string
	queued   int // set by decide
}

type ghostAsk struct {
	key  string
	item outbox.Item
}

// planRecords turns the planner's plan into the records saved with it: a
// session and a proposal per pair or trio, and a message for each who sat
// out through no choice of their own (a ghost's question, an away notice,
// the planner's reason).
func planRecords(in pairing.PlanInput, plan pairing.Plan, rotation string, ghosts map[string]bool, away map[string]string, now time.Time) *plannedRound {
	pr := &plannedRound{round: pairing.Round{ID: in.Round, PlannedAt: now, SatOut: plan.SatOut}}
	for _, prop := range plan.Proposals {
		s := prop.Session
		s.ID, s.CreatedAt, s.UpdatedAt = store.NewID(), now, now
		s.Value, s.Alternatives, s.Rotation = prop.Value, prop.Alternatives, rotation
		pr.sessions = append(pr.sessions, s)
		pr.round.SessionIDs = append(pr.round.SessionIDs, s.ID)
		pr.outbox = append(pr.outbox, outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, Rotation: rotation, SessionID: s.ID,
			Round: in.Round, Users: s.Participants(), CreatedAt: now})
	}
	stayedIn := map[string]time.Time{}
	for _, p := range in.People {
		stayedIn[p.ID] = p.StayedInAt
		if p.SkipNext && p.ActiveAt(in.Start) {
			pr.skipNext = append(pr.skipNext, p.ID)
		}
	}
	for _, so := range plan.SatOut {
		item := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Rotation: rotation, Round: in.Round, Users: []string{so.Person}, CreatedAt: now}
		switch {
		case ghosts[so.Person]:
			// Asked once: until they answer, they stay out without
			// another message.
			item.Kind = outbox.Ghost
			pr.ghosts = append(pr.ghosts, ghostAsk{key: ghostKey(so.Person, stayedIn[so.Person]), item: item})
			continue
		case away[so.Person] != "":
			item.Notice, item.Text = outbox.NoticeAway, away[so.Person]
		case so.Code.Priority() && in.Teams == nil: // not their own choice: say why
			// Not in a cross-team round (Teams set): its people are
			// there through their team's rotation, whose round that
			// week is their session, and most of them sit out by
			// design; "no session for you this week" would be untrue.
			item.Notice, item.Text = outbox.NoticeSatOut, so.Reason
		default:
			continue // a pause, a skip you asked for, an off week: nothing to explain
		}
		pr.outbox = append(pr.outbox, item)
	}
	return pr
}

// decide is the Change that saves the plan over the state r reads: the
// round, its sessions and messages; a ghost's question only if they were
// not asked since they stopped answering; and every pending "skip next" of
// someone in the rotation turned into a skip of this round, the round that
// runs, so the intent is spent exactly when it is honoured and a schedule
// moved after "/pair skip next" still skips the round that comes. Each
// person is read again from r, so a /pair resume since planning began is
// not undone.
func (pr *plannedRound) decide(r store.Reader) (store.Change, error) {
	c := store.Change{Sessions: pr.sessions, Rounds: []pairing.Round{pr.round}}
	c.Outbox = append(c.Outbox, pr.outbox...)
	for _, g := range pr.ghosts {
		if r.Done(g.key) {
			continue
		}
		c.Done = append(c.Done, store.Run{Key: g.key, At: g.item.CreatedAt})
		c.Outbox = append(c.Outbox, g.item)
	}
	for _, id := range pr.skipNext {
		cur, err := r.Person(id)
		if err != nil {
			return store.Change{}, fmt.Errorf("resolve skip of %s: %w", id, err)
		}
		if cur.ResolveSkipNext(pr.round.ID) {
			c.People = append(c.People, cur)
		}
	}
	pr.queued = len(c.Outbox)
	return c, nil
}

// ghostKey marks that a person was asked whether to stay in, once per
// time they stopped answering (StayedInAt changes when they answer).
func ghostKey(person string, stayedIn time.Time) string {
	return fmt.Sprintf("ghost/%s/%d", person, stayedIn.Unix())
}

// planInput loads what the planner needs.
// roster is the digest of the person records it read.
func (l *Loop) planInput(ctx context.Context, id string, settings pairing.TeamSettings, now time.Time) (in pairing.PlanInput, sessions []pairing.Session, roster [sha256.Size]byte, err error) {
	in = pairing.PlanInput{
		Round: id, Start: now.Add(l.Lead), Location: l.location,
		Settings: pairing.Settings{
			TargetBusFactor: settings.TargetBusFactor, RepeatWindow: settings.RepeatWindow,
			SessionLength: settings.SessionLength, Seed: l.Seed,
		},
	}
	err = l.db.Snapshot(ctx, func(r store.Reader) error {
		var err error
		roster = r.RosterDigest()
		if in.People, err = r.People(); err != nil {
			return err
		}
		if in.Projects, err = r.Projects(); err != nil {
			return err
		}
		if sessions, in.Knowledge, err = l.shared.read(r, l.model); err != nil {
			return err
		}
		horizon := now.AddDate(0, 0, -7*(max(settings.RepeatWindow, 1)+1))
		for _, s := range sessions {
			if s.Round != "" && s.CreatedAt.After(horizon) {
				in.Recent = append(in.Recent, s)
			}
		}
		rounds, err := r.Rounds()
		if err != nil {
			return err
		}
		if len(rounds) > 0 {
			in.SatOutLast = rounds[len(rounds)-1].Priority()
		}
		if err := crossTeam(r, store.RotationOf(ctx), &in); err != nil {
			return err
		}
		if week, err := pairing.ParseRoundID(id); err == nil {
			in.Booked = pairing.BookedElsewhere(sessions, store.RotationOf(ctx), week, week.AddDate(0, 0, 7))
		}
		in.Avoid = pairing.AvoidPairs(in.People)
		for _, p := range in.People {
			if p.SkipsRound(id) {
				in.Skip = append(in.Skip, p.ID)
			}
		}
		return nil
	})
	return in, sessions, roster, err
}

// crossTeam makes the input of a cross-team rotation's round: the people
// are its member rotations' (each with their membership there; someone in
// two of them counts for the first), each tagged with their team, and the
// projects are those more than one member rotation works on. Other
// rotations plan from their own roster as read, on the projects they list
// (every project when they list none: pairing.Rotation.Projects).
func crossTeam(r store.Reader, rot string, in *pairing.PlanInput) error {
	rotations, err := r.Rotations()
	if err != nil {
		return err
	}
	var self pairing.Rotation
	for _, x := range rotations {
		if x.ID == rot {
			self = x
		}
	}
	s, err := self.Scope(rotations, in.People, in.Projects, r.PeopleIn)
	if err != nil {
		return err
	}
	in.People, in.Projects = s.People, s.Projects
	if s.Teams != nil {
		in.Teams = s.Teams
	}
	return nil
}

// leaveOut adds to the planner's skip list the people who ignored their
// last proposals (ghosts) and those whose Slack status says they are away,
// and returns both so they can be told.
func (l *Loop) leaveOut(ctx context.Context, in *pairing.PlanInput, sessions []pairing.Session, settings pairing.TeamSettings, now time.Time) (ghosts map[string]bool, away map[string]string) {
	ghosts, away = map[string]bool{}, map[string]string{}
	var theirs map[string][]pairing.Session
	if settings.Ghosting() > 0 {
		theirs = byParticipant(sessions, in.People)
	}
	var active []string
	for _, p := range in.People {
		if !p.ActiveAt(in.Start) || p.SkipsRound(in.Round) {
			continue
		}
		if n := settings.Ghosting(); n > 0 && pairing.IgnoredInARow(p, theirs[p.ID], now) >= n {
			ghosts[p.ID] = true
			in.Skip = append(in.Skip, p.ID)
			continue
		}
		active = append(active, p.ID)
	}
	if l.away != nil && len(active) > 0 {
		away = l.away(ctx, active, settings.Away())
		for id := range away {
			in.Skip = append(in.Skip, id)
		}
	}
	return ghosts, away
}

// byParticipant is each of the people's sessions of a round, in the
// order given: what pairing.IgnoredInARow reads of a person, without
// going through the whole workspace's history once per person.
func byParticipant(sessions []pairing.Session, people []pairing.Person) map[string][]pairing.Session {
	out := make(map[string][]pairing.Session, len(people))
	for _, p := range people {
		out[p.ID] = nil
	}
	for _, s := range sessions {
		if s.Round == "" {
			continue
		}
		add := func(id string) {
			if theirs, ok := out[id]; ok {
				out[id] = append(theirs, s)
			}
		}
		add(s.Host)
		for _, id := range s.Learners {
			add(id)
		}
	}
	return out
}
