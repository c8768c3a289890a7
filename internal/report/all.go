package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// LoadAll reads the whole workspace in one consistent read, for the
// org-wide export: every rotation (stopped ones too, their history stays)
// with its members, and People as everyone in any of them, once each.
// Projects, sessions and knowledge are workspace-wide already; Settings
// are ctx's rotation's. With one rotation, People is what Load reads.
func LoadAll(ctx context.Context, db Store) (Data, error) {
	var d Data
	err := db.Snapshot(ctx, func(r store.Reader) (err error) {
		d, err = ReadAll(r)
		return err
	})
	return d, err
}

// ReadAll is LoadAll through a read already open, for a caller that reads
// more in the same snapshot (the cross-team rotation's digest).
func ReadAll(r store.Reader) (Data, error) {
	var d Data
	var err error
	if d.Rotations, err = r.Rotations(); err != nil {
		return Data{}, err
	}
	// The default rotation first: its people lead the roster as they
	// did before rotations.
	slices.SortStableFunc(d.Rotations, func(a, b pairing.Rotation) int { return rank(a) - rank(b) })
	d.Members = map[string][]pairing.Person{}
	for _, rot := range d.Rotations {
		if d.Members[rot.ID], err = r.PeopleIn(rot.ID); err != nil {
			return Data{}, fmt.Errorf("rotation %s: %w", rot.ID, err)
		}
	}
	d.People = everyone(d.Rotations, d.Members)
	if err := d.readWorkspace(r); err != nil {
		return Data{}, err
	}
	return d, nil
}

// everyone is each person of any rotation once, in the order of the
// rotations, with the membership of the first rotation that has them on
// the team (pairing.OnTeam), else of the first that has them at all.
func everyone(rotations []pairing.Rotation, members map[string][]pairing.Person) []pairing.Person {
	var out []pairing.Person
	at := map[string]int{}
	for _, rot := range rotations {
		for _, p := range members[rot.ID] {
			i, seen := at[p.ID]
			switch {
			case !seen:
				at[p.ID] = len(out)
				out = append(out, p)
			case !pairing.OnTeam(out[i]) && pairing.OnTeam(p):
				out[i] = p
			}
		}
	}
	return out
}

// rank puts the default rotation before the others.
func rank(r pairing.Rotation) int {
	if r.ID == pairing.DefaultRotation {
		return 0
	}
	return 1
}

// LoadRotation is Load for one rotation of the workspace, by ID (as
// /pair rotation list names it; "team" for the default one): LoadAll's
// view of it (Of), in one snapshot. An ID that names no rotation is an
// error that lists the ones there are.
func LoadRotation(ctx context.Context, db Store, id string) (Data, error) {
	all, err := LoadAll(store.WithRotation(ctx, id), db) // the rotation's settings
	if err != nil {
		return Data{}, err
	}
	i := slices.IndexFunc(all.Rotations, func(x pairing.Rotation) bool { return x.ID == id })
	if i < 0 {
		ids := make([]string, len(all.Rotations))
		for j, x := range all.Rotations {
			ids[j] = x.ID
		}
		return Data{}, fmt.Errorf("no rotation %q in the database; its rotations are %s", id, strings.Join(ids, ", "))
	}
	return all.Of(all.Rotations[i]), nil
}
