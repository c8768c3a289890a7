package engine

import (
	"time"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

func welcomeKey(person string) string { return "welcome/" + person }

// WelcomeOnce queues the welcome DM for a person who is new to the roster,
// unless they were ever welcomed before, and records that they were, in
// the caller's transaction: with the roster change that makes them new, so
// the welcome is neither lost nor sent twice. It reports whether it queued
// one. Queued now, it drains before any later heads-up or proposal (the
// outbox drains oldest first). The DM names the transaction's rotation, so
// the next round it announces is that rotation's.
func (t *Tx) WelcomeOnce(person string, now time.Time) (bool, error) {
	key := welcomeKey(person)
	if t.Done(key) {
		return false, nil
	}
	rot := t.rotation()
	if rot == pairing.DefaultRotation {
		rot = "" // as every outbox item names the default rotation
	}
	if err := t.PutOutbox(outbox.Item{ID: store.NewID(), Kind: outbox.Notice, Notice: outbox.NoticeWelcome, Rotation: rot, Users: []string{person}, CreatedAt: now}); err != nil {
		return false, err
	}
	return true, t.MarkDone(store.Run{Key: key, At: now})
}
