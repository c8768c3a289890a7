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
// plan was made from and the transaction that would save it.
var errRosterChanged = errors.New("the roster changed while the round was planned")

// planRound plans the round and saves it, starting over when the roster
// changed while it was planning.
//
// Planning reads the team in one transaction, then asks Slack about
// statuses (seconds for a large team), plans, and saves in a second
// transaction. A /pair leave, /pair avoid, Pause or heads-up Skip committed
// in between has already been confirmed to its author, so the round must
// honour it. The save therefore re-reads a digest of every person record
// (store.Tx.RosterDigest) inside its own transaction and saves only if it
// is the one the plan was made from; otherwise nothing is written and the
// round is planned again from the new roster. Starting over, rather than
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
	in, sessions, roster, err := l.planInput(id, settings, now)
	if err != nil {
		return 0, err
	}
	ghosts, away := l.leaveOut(ctx, &in, sessions, settings, now)
	stayedIn := map[string]time.Time{}
	for _, p := range in.People {
		stayedIn[p.ID] = p.StayedInAt
	}
	plan, err := pairing.PlanRound(in)
	if err != nil {
		return 0, err
	}
	queued, wrote := 0, false
	err = l.db.Update(func(tx *store.Tx) error {
		if tx.Done(roundKey(id)) {
			return nil // planned meanwhile
		}
		if tx.RosterDigest() != roster {
			return errRosterChanged
		}
		wrote = true
		round := pairing.Round{ID: id, PlannedAt: now, SatOut: plan.SatOut}
		for _, pr := range plan.Proposals {
			s := pr.Session
			s.ID, s.CreatedAt, s.UpdatedAt = store.NewID(), now, now
			s.Value, s.Alternatives = pr.Value, pr.Alternatives
			if err := tx.PutSession(s); err != nil {
				return err
			}
			round.SessionIDs = append(round.SessionIDs, s.ID)
			if err := tx.PutOutbox(outbox.Item{ID: store.NewID(), Kind: outbox.Proposal, SessionID: s.ID,
				Round: id, Users: s.Participants(), CreatedAt: now}); err != nil {
				return err
			}
			queued++
		}
		for _, so := range plan.SatOut {
			item := outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Round: id, Users: []string{so.Person}, CreatedAt: now}
			switch {
			case ghosts[so.Person]:
				// Asked once: until they answer, they stay out without
				// another message.
				key := ghostKey(so.Person, stayedIn[so.Person])
				if tx.Done(key) {
					continue
				}
				if err := tx.MarkDone(store.Run{Key: key, At: now}); err != nil {
					return err
				}
				item.Kind = outbox.Ghost
			case away[so.Person] != "":
				item.Notice, item.Text = outbox.NoticeAway, away[so.Person]
			case so.Code.Priority(): // not their own choice: say why
				item.Notice, item.Text = outbox.NoticeSatOut, so.Reason
			default:
				continue // a pause, a skip you asked for, an off week: nothing to explain
			}
			if err := tx.PutOutbox(item); err != nil {
				return err
			}
			queued++
		}
		if err := tx.PutRound(round); err != nil {
			return err
		}
		if err := resolveSkipNext(tx, in.People, id, in.Start); err != nil {
			return err
		}
		return tx.MarkDone(store.Run{Key: roundKey(id), At: now})
	})
	if err != nil || !wrote {
		return 0, err
	}
	if l.OnRoundPlanned != nil {
		l.OnRoundPlanned(len(plan.Proposals))
	}
	l.log.Info("round planned", "round", id, "sessions", len(plan.Proposals), "sat_out", len(plan.SatOut))
	return queued, nil
}

// resolveSkipNext turns every pending "skip next" of someone in the
// rotation into a skip of this round, the round that runs, in the round's
// own transaction: the intent is spent exactly when it is honoured, so a
// schedule moved after "/pair skip next" still skips the round that comes.
// Each person is read again inside the transaction, so a /pair resume
// since planning began is not undone.
func resolveSkipNext(tx *store.Tx, people []pairing.Person, round string, start time.Time) error {
	for _, p := range people {
		if !p.SkipNext || !p.ActiveAt(start) {
			continue
		}
		cur, err := tx.Person(p.ID)
		if err != nil {
			return fmt.Errorf("resolve skip of %s: %w", p.ID, err)
		}
		if cur.ResolveSkipNext(round) {
			if err := tx.PutPerson(cur); err != nil {
				return err
			}
		}
	}
	return nil
}

// ghostKey marks that a person was asked whether to stay in, once per
// time they stopped answering (StayedInAt changes when they answer).
func ghostKey(person string, stayedIn time.Time) string {
	return fmt.Sprintf("ghost/%s/%d", person, stayedIn.Unix())
}

// planInput loads what the planner needs.
// roster is the digest of the person records it read.
func (l *Loop) planInput(id string, settings pairing.TeamSettings, now time.Time) (in pairing.PlanInput, sessions []pairing.Session, roster [sha256.Size]byte, err error) {
	in = pairing.PlanInput{
		Round: id, Start: now.Add(l.Lead), Location: l.location,
		Settings: pairing.Settings{
			TargetBusFactor: settings.TargetBusFactor, RepeatWindow: settings.RepeatWindow,
			SessionLength: settings.SessionLength, Seed: l.Seed,
		},
	}
	err = l.db.View(func(tx *store.Tx) error {
		var err error
		roster = tx.RosterDigest()
		if in.People, err = tx.People(); err != nil {
			return err
		}
		if in.Projects, err = tx.Projects(); err != nil {
			return err
		}
		events, err := tx.Events()
		if err != nil {
			return err
		}
		in.Knowledge = pairing.Replay(l.model, events)
		if sessions, err = tx.Sessions(); err != nil {
			return err
		}
		horizon := now.AddDate(0, 0, -7*(max(settings.RepeatWindow, 1)+1))
		for _, s := range sessions {
			if s.Round != "" && s.CreatedAt.After(horizon) {
				in.Recent = append(in.Recent, s)
			}
		}
		rounds, err := tx.Rounds()
		if err != nil {
			return err
		}
		if len(rounds) > 0 {
			in.SatOutLast = rounds[len(rounds)-1].Priority()
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

// leaveOut adds to the planner's skip list the people who ignored their
// last proposals (ghosts) and those whose Slack status says they are away,
// and returns both so they can be told.
func (l *Loop) leaveOut(ctx context.Context, in *pairing.PlanInput, sessions []pairing.Session, settings pairing.TeamSettings, now time.Time) (ghosts map[string]bool, away map[string]string) {
	ghosts, away = map[string]bool{}, map[string]string{}
	var active []string
	for _, p := range in.People {
		if !p.ActiveAt(in.Start) || p.SkipsRound(in.Round) {
			continue
		}
		if n := settings.Ghosting(); n > 0 && pairing.IgnoredInARow(p, sessions, now) >= n {
			ghosts[p.ID] = true
			in.Skip = append(in.Skip, p.ID)
			continue
		}
		active = append(active, p.ID)
	}
	if l.Away != nil && len(active) > 0 {
		away = l.Away(ctx, active, settings.Away())
		for id := range away {
			in.Skip = append(in.Skip, id)
		}
	}
	return ghosts, away
}
