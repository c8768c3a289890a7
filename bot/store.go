package bot

import (
	"context"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Store is what the bot asks of the database: the store's domain
// operations (store/engine/ops.go), each one transaction with a context. The bot
// decides with pure functions from a store.Reader to a store.Change and
// never sees a transaction or a record-level write. *engine.DB (store/engine) satisfies it.
type Store interface {
	// Snapshot runs read over one consistent state.
	Snapshot(ctx context.Context, read func(store.Reader) error) error
	// LoadTeam reads the roster, projects, knowledge log and settings.
	LoadTeam(ctx context.Context) (store.Team, error)
	// Apply commits what decide returns, over what it read.
	Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error)
	// UpdateMember changes one person on the roster (not found: an error
	// wrapping pairing.ErrNotFound).
	UpdateMember(ctx context.Context, id string, change func(*pairing.Person, store.Reader) (store.Change, error)) (pairing.Person, error)
	// UpdateSession changes one session.
	UpdateSession(ctx context.Context, id string, change func(*pairing.Session, store.Reader) (store.Change, error)) (pairing.Session, error)
	// UpdateSettings changes the team settings.
	UpdateSettings(ctx context.Context, change func(*pairing.TeamSettings, store.Reader) (store.Change, error)) (pairing.TeamSettings, error)
	// Settings reads the team settings.
	Settings(ctx context.Context) (pairing.TeamSettings, error)
	// Session reads one session (not found: wraps pairing.ErrNotFound).
	Session(ctx context.Context, id string) (pairing.Session, error)
	// Person reads one person (not found: wraps pairing.ErrNotFound).
	Person(ctx context.Context, id string) (pairing.Person, error)
	// Project reads one project (not found: wraps pairing.ErrNotFound).
	Project(ctx context.Context, name string) (pairing.Project, error)
	// UpdateProject changes one project (not found: wraps
	// pairing.ErrNotFound).
	UpdateProject(ctx context.Context, name string, change func(*pairing.Project, store.Reader) (store.Change, error)) (pairing.Project, error)
	// Sessions reads every session, oldest first.
	Sessions(ctx context.Context) ([]pairing.Session, error)
	// Routing reads every rotation and, when person is not empty, those
	// person is a member of and has not left, in one snapshot: which
	// rotation a command acts on (route.go).
	Routing(ctx context.Context, person string) (all, mine []pairing.Rotation, err error)
}
