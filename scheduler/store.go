package scheduler

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// The store operations the scheduler uses, declared here where they are
// used; *engine.DB has them all.

// Settings reads the team settings.
type Settings interface {
	Settings(ctx context.Context) (pairing.TeamSettings, error)
}

// Store is what the loop reads and writes: one consistent read for each
// decision, then one operation that commits what it decided together with
// the job's idempotency key.
type Store interface {
	Settings
	// Rotations lists the workspace's rotations, stopped ones too.
	Rotations(ctx context.Context) ([]pairing.Rotation, error)
	Snapshot(ctx context.Context, read func(store.Reader) error) error
	Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error)
	QueueOnce(ctx context.Context, jobs []store.Job) (int, error)
	SavePlan(ctx context.Context, key store.Run, roster [sha256.Size]byte, decide func(store.Reader) (store.Change, error)) (bool, error)
}

// Outbox is what the sender needs: claim the items that are due before
// sending them, settle them after.
type Outbox interface {
	ClaimDue(ctx context.Context, now time.Time, limit int) (store.Claim, error)
	Settle(ctx context.Context, s store.Settlement) error
}
