package bot

import (
	"context"
	"hash/fnv"
	"sync"

	"github.com/pollen-team/pollen/pairing"
)

// redrawLocks serialises the redraws of one message. Two people who click
// the same proposal at once are handled by two goroutines; without a lock
// the older picture could reach Slack last (chat.update has no ordering of
// its own) and stay on screen, e.g. a proposal without its calendar link
// after everyone accepted. A fixed set of mutexes, picked by a hash of the
// message, bounds the memory whatever the number of messages.
type redrawLocks [64]sync.Mutex

func (l *redrawLocks) lock(channel, ts string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(channel))
	h.Write([]byte{0})
	h.Write([]byte(ts))
	m := &l[h.Sum32()%uint32(len(l))]
	m.Lock()
	return m
}

// redraw replaces the clicked message with what render draws from the
// session's latest state (unless render says there is nothing to draw), read while the message's lock is held: whichever
// redraw runs last draws the newest state.
func (b *Bot) redraw(ctx context.Context, k click, sessionID string, render func(pairing.Session) (message, bool)) {
	if k.Channel == "" || k.MessageTS == "" {
		return
	}
	defer b.redraws.lock(k.Channel, k.MessageTS).Unlock()
	s, err := b.db.Session(ctx, sessionID)
	if err != nil {
		b.log.Error("redraw", "session", sessionID, "err", err)
		return
	}
	if m, ok := render(s); ok {
		b.updateMessage(ctx, k, m)
	}
}
