package scheduler

import (
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// workspaceReads is what every rotation's round reads alike, read once
// per Tick and shared by the rounds it plans: the workspace's sessions and
// its knowledge (the replayed event log). Both are workspace-wide, so with
// fifty rotations due in the same minute, decoding every session and
// replaying every event once per rotation was most of the Tick (issue 20's
// benchmark, BenchmarkTickRotations: 14 s before, see the commit).
//
// The first round of the Tick reads them in its own snapshot, with its
// roster; a later round plans from that read plus the sessions the rounds
// before it saved (add), so a person booked by an earlier rotation of the
// Tick sits out as before. What the rounds after the first do not see is
// a change the bot commits to sessions or knowledge while the Tick runs
// (a second or two); a plan was already made from a read taken seconds
// before its save (Slack statuses are asked in between), and only the
// roster, which people are told their changes to, is checked at the save
// (store's SavePlan). RoundNow, alone, reads everything itself.
//
// The open sessions, which the reminders and retros of every rotation
// read, are read once per Tick too, by the first rotation's follow-ups.
// A session the later rounds of the Tick plan is not among them and needs
// none: its slot is hours away (Loop.Lead), and a session proposed after
// the morning's reminder time gets no reminder.
type workspaceReads struct {
	loaded    bool
	sessions  []pairing.Session
	knowledge *pairing.Knowledge
	open      map[string][]pairing.Session // by rotation; nil until read
}

// read fills in the sessions and knowledge from r the first time, and
// returns them.
func (w *workspaceReads) read(r store.Reader, model pairing.Model) ([]pairing.Session, *pairing.Knowledge, error) {
	if w != nil && w.loaded {
		return w.sessions, w.knowledge, nil
	}
	events, err := r.Events()
	if err != nil {
		return nil, nil, err
	}
	knowledge := pairing.Replay(model, events)
	sessions, err := r.Sessions()
	if err != nil {
		return nil, nil, err
	}
	if w != nil {
		w.loaded, w.sessions, w.knowledge = true, sessions, knowledge
	}
	return sessions, knowledge, nil
}

// add records the sessions a round saved, for the rounds after it.
func (w *workspaceReads) add(saved []pairing.Session) {
	if w != nil && w.loaded {
		w.sessions = append(w.sessions, saved...) // past the length any caller holds
	}
}

// openSessions is the open sessions of rotation rot (ad-hoc sessions
// belong to the default rotation), read from r the first time in a Tick.
func (w *workspaceReads) openSessions(r store.Reader, rot string) ([]pairing.Session, error) {
	if w != nil && w.open != nil {
		return w.open[rot], nil
	}
	sessions, err := r.OpenSessions()
	if err != nil {
		return nil, err
	}
	open := map[string][]pairing.Session{}
	for _, s := range sessions {
		open[sessionRotation(s)] = append(open[sessionRotation(s)], s)
	}
	if w != nil {
		w.open = open
	}
	return open[rot], nil
}
