package bot

import (
	"context"
	"strings"

	"github.com/pollen-team/pollen/store"
)

// A cross-team rotation (pairing.Rotation.Across) has no roster of its
// own: the scheduler plans it from its teams' rosters, on the projects
// they share. Its digest, /pair stats and /pair export read it that way
// (loadReport), and joining it is refused with where to join instead.

// isCrossTeam reports whether rot is a cross-team rotation.
func isCrossTeam(r store.Reader, rot string) (bool, error) {
	rotations, err := r.Rotations()
	if err != nil {
		return false, err
	}
	for _, x := range rotations {
		if x.ID == rot {
			return len(x.Across) > 0, nil
		}
	}
	return false, nil
}

// crossTeamJoin refuses a join of a cross-team rotation (ctx's), whose
// people are its teams' (the scheduler plans it from their rosters, not
// its own): the answer names the teams' channels, where to join instead.
func (b *Bot) crossTeamJoin(ctx context.Context) (message, bool, error) {
	rotations, ok := routedRotations(ctx) // read by route for this command
	var err error
	if !ok {
		err = b.db.Snapshot(ctx, func(r store.Reader) (err error) { rotations, err = r.Rotations(); return err })
	}
	var across []string
	for _, rot := range rotations {
		if rot.ID == store.RotationOf(ctx) {
			across = rot.Across
		}
	}
	if err != nil || len(across) == 0 {
		return message{}, false, err
	}
	var names []string
	for _, id := range across { // IDs of channel mentions, C and [A-Z0-9]
		names = append(names, "<#"+id+">")
	}
	m := text("This is a cross-team rotation: its people are those of " + strings.Join(names, ", ") + ". Type `/pair join` in your team's channel instead.")
	m.outcome = "refused"
	return m, true, nil
}
