package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store"
)

// leaderTTL is how long a leader's lease runs without renewal; it renews
// every third of it. A replica that dies unannounced is replaced within
// about leaderTTL; one stopped with SIGTERM resigns, and another leads
// within followerPoll, when it next looks at the lease.
var leaderTTL = 15 * time.Second

// followerPoll is how often a replica that does not lead tries to take
// the lease (at most: every third of leaderTTL if that is sooner), so a
// leader's resignation is taken up at once, however long the lease runs.
// A try is one UPDATE that matches no row while another leads.
const followerPoll = time.Second

// replicaOutboxPoll is how often an idle outbox sender looks at the
// outbox on PostgreSQL, where the items other replicas queue, or give
// back when they stop, wake nobody here.
const replicaOutboxPoll = 2 * time.Second

// leaseStore is the database's leader lease (store/engine: a row on
// PostgreSQL; on a bbolt file the one process always leads).
type leaseStore interface {
	Lead(ctx context.Context, holder string, ttl time.Duration) (store.Fence, bool, error)
	Resign(ctx context.Context, f store.Fence) error
}

// leadership runs the scheduler (its cron and the loop behind it, and the
// daily repository sync) on the one replica that leads, with the lease's
// fence in the context of every write the scheduler makes. Slash commands,
// clicks and the outbox sender run on every replica.
type leadership struct {
	db     leaseStore
	holder string
	log    *slog.Logger
	// start builds and starts a cron for a new term; it is stopped when
	// the term ends.
	start func(ctx context.Context) (*scheduler.Cron, error)
	// stopped, if set, is told when a term ends, before its cron stops.
	stopped func()
	observe func(leading bool)

	mu      sync.Mutex
	leading bool
}

func newHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return host + "-" + hex.EncodeToString(b[:])
}

// Leading reports whether this replica runs the scheduler now.
func (l *leadership) Leading() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leading
}

func (l *leadership) set(v bool) {
	l.mu.Lock()
	changed := l.leading != v
	l.leading = v
	l.mu.Unlock()
	if changed && l.observe != nil {
		l.observe(v)
	}
}

// term is one stretch of leading.
type term struct {
	fence   store.Fence
	cron    *scheduler.Cron
	renewed time.Time
}

// begin tries once to lead; a cron that cannot start is returned as an
// error (as when there is one replica: the bot does not run without it).
//
// The lease is counted from before the call (the server starts it later,
// at its UPDATE), and a call gets a third of leaderTTL: a database that
// stops answering cannot hold the check up. A leader that could not renew
// stops its scheduler once the next check might come after the lease ran
// out (two thirds of leaderTTL unrenewed), so it never runs on while
// another replica may already lead; its writes are fenced besides.
func (l *leadership) begin(ctx context.Context, cur *term) (*term, error) {
	now := time.Now()
	callCtx, cancel := context.WithTimeout(ctx, leaderTTL/3)
	f, ok, err := l.db.Lead(callCtx, l.holder, leaderTTL)
	cancel()
	switch {
	case err != nil:
		l.log.Warn("leader lease: could not reach the database", "err", err)
		if cur != nil && time.Since(cur.renewed) > leaderTTL-leaderTTL/3 {
			l.log.Error("leader lease may lapse before it can be renewed; the scheduler stops here")
			l.end(ctx, cur, false)
			return nil, nil
		}
		return cur, nil
	case !ok:
		if cur != nil {
			l.log.Warn("another replica leads now; the scheduler stops here")
			l.end(ctx, cur, false)
		}
		return nil, nil
	case cur != nil && cur.fence == f:
		cur.renewed = now
		return cur, nil
	}
	if cur != nil { // the lease lapsed and was taken again: a new term
		l.end(ctx, cur, false)
	}
	c, err := l.start(store.WithFence(ctx, f))
	if err != nil {
		// The lease goes back at once: another replica may be able to
		// start its scheduler (this one tries again when it next looks).
		l.resign(ctx, f)
		return nil, err
	}
	l.log.Info("this replica leads: the scheduler runs here", "holder", l.holder, "token", f.Token)
	l.set(true)
	return &term{fence: f, cron: c, renewed: now}, nil
}

func (l *leadership) end(ctx context.Context, t *term, resign bool) {
	if l.stopped != nil {
		l.stopped()
	}
	<-t.cron.Stop().Done()
	l.set(false)
	if resign {
		l.resign(ctx, t.fence)
	}
}

// resign gives the lease back, even while ctx ends (SIGTERM), in at most
// a third of leaderTTL.
func (l *leadership) resign(ctx context.Context, f store.Fence) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaderTTL/3)
	defer cancel()
	if err := l.db.Resign(rctx, f); err != nil {
		l.log.Warn("leader lease: could not resign; another replica leads once it expires", "err", err)
	}
}

// run keeps the lease every third of leaderTTL, or tries to take it
// every followerPoll, until ctx ends, then stops the scheduler and
// resigns.
func (l *leadership) run(ctx context.Context, cur *term) {
	for {
		wait := leaderTTL / 3
		if cur == nil {
			wait = min(wait, followerPoll)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			if cur != nil {
				l.end(ctx, cur, true)
			}
			return
		case <-timer.C:
		}
		next, err := l.begin(ctx, cur)
		if err != nil {
			l.log.Error("the scheduler could not start on this replica", "err", err)
		}
		cur = next
	}
}
