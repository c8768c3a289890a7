package engine

import (
	"context"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// The roster's operations beyond ops.go: what the bot's people-side
// commands (join, know, project add/remove/sync, history) read and write.

// Project reads one project, retired or not; the error wraps
// pairing.ErrNotFound when there is none.
func (db *DB) Project(ctx context.Context, name string) (pairing.Project, error) {
	var p pairing.Project
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { p, err = r.Project(name); return err })
	return p, err
}

// UpdateProject loads the project with this name, lets change modify it
// and say what else to write, and saves them together in one transaction.
// A project that does not exist is an error wrapping pairing.ErrNotFound
// and change is not called; change may return ErrUnchanged to write
// nothing.
func (db *DB) UpdateProject(ctx context.Context, name string, change func(p *pairing.Project, r store.Reader) (store.Change, error)) (pairing.Project, error) {
	var p pairing.Project
	_, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		var err error
		if p, err = r.Project(name); err != nil {
			return store.Change{}, err
		}
		c, err := change(&p, r)
		if err != nil {
			return store.Change{}, err
		}
		c.Projects = append(c.Projects, p)
		return c, nil
	})
	return p, err
}

// Sessions reads every session, oldest first.
func (db *DB) Sessions(ctx context.Context) ([]pairing.Session, error) {
	var ss []pairing.Session
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { ss, err = r.Sessions(); return err })
	return ss, err
}
