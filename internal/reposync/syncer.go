package reposync

import (
	"context"
	"log/slog"
	gosync "sync"

	"github.com/pollen-team/pollen/store"
)

// Store is what a sync reads and writes the database through.
type Store interface {
	Snapshot(ctx context.Context, read func(store.Reader) error) error
	Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error)
}

// Syncer runs the syncs of a running bot one at a time, so two syncs never
// share a clone: on project add, on /pair project sync and daily.
type Syncer struct {
	DB   Store
	Opts Options
	Log  *slog.Logger

	mu gosync.Mutex
}

// Sync syncs one project and says what it did in one line.
func (s *Syncer) Sync(ctx context.Context, project string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := Sync(ctx, s.DB, project, s.Opts)
	if err != nil {
		return "", err
	}
	return res.String(), nil
}

// SyncAll syncs every project that has a repository and is not retired,
// logging each result; a failing project does not stop the others. A
// repository that has not moved costs a fetch and writes nothing, so
// running it again is harmless.
func (s *Syncer) SyncAll(ctx context.Context) {
	var names []string
	err := s.DB.Snapshot(ctx, func(r store.Reader) error {
		ps, err := r.Projects()
		for _, p := range ps {
			if p.RepoURL != "" && !p.Retired {
				names = append(names, p.Name)
			}
		}
		return err
	})
	if err != nil {
		s.Log.Error("daily repository sync", "err", err)
		return
	}
	for _, name := range names {
		if ctx.Err() != nil {
			return
		}
		if line, err := s.Sync(ctx, name); err != nil {
			s.Log.Error("repository sync failed", "project", name, "err", err)
		} else {
			s.Log.Info("repository synced", "project", name, "result", line)
		}
	}
}
