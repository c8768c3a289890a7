package scheduler

import (
	"context"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// planRound reads the team, plans the round (pure), and saves the round,
// its sessions, an outbox item per proposal and per sit-out notice, and the
// round's key, all in one transaction.
func (l *Loop) planRound(_ context.Context, id string, settings pairing.TeamSettings, now time.Time) (int, error) {
	in, err := l.planInput(id, settings, now)
	if err != nil {
		return 0, err
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
		wrote = true
		round := pairing.Round{ID: id, PlannedAt: now, SatOut: plan.SatOut}
		for _, pr := range plan.Proposals {
			s := pr.Session
			s.ID, s.CreatedAt, s.UpdatedAt = store.NewID(), now, now
			if err := tx.PutSession(s); err != nil {
				return err
			}
			round.SessionIDs = append(round.SessionIDs, s.ID)
			if err := tx.PutOutbox(store.OutboxItem{ID: store.NewID(), Kind: store.OutboxProposal, SessionID: s.ID,
				Round: id, Users: s.Participants(), CreatedAt: now}); err != nil {
				return err
			}
			queued++
		}
		for _, so := range plan.SatOut {
			if !tellSitOut(so.Code) {
				continue
			}
			if err := tx.PutOutbox(store.OutboxItem{ID: store.NewID(), Kind: store.OutboxNotice, Round: id,
				Users: []string{so.Person}, Text: so.Reason, CreatedAt: now}); err != nil {
				return err
			}
			queued++
		}
		if err := tx.PutRound(round); err != nil {
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

// tellSitOut: a person who sat out through no choice of their own is told
// why; a pause, a skip or an off week needs no message.
func tellSitOut(c pairing.SitOutCode) bool { return c.Priority() }

// planInput loads what the planner needs.
func (l *Loop) planInput(id string, settings pairing.TeamSettings, now time.Time) (pairing.PlanInput, error) {
	in := pairing.PlanInput{
		Round: id, Start: now.Add(l.Lead), Location: l.location,
		Settings: pairing.Settings{
			TargetBusFactor: settings.TargetBusFactor, RepeatWindow: settings.RepeatWindow,
			SessionLength: settings.SessionLength, Seed: l.Seed,
		},
	}
	err := l.db.View(func(tx *store.Tx) error {
		var err error
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
		sessions, err := tx.Sessions()
		if err != nil {
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
		return nil
	})
	return in, err
}
