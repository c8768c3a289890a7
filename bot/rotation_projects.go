package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// parseRotationProjects reads "/pair rotation projects" (list),
// "add|remove|set <project> …" and "set all" (every project again).
func parseRotationProjects(args []string) (Command, error) {
	if len(args) == 0 {
		return Command{}, nil
	}
	c := Command{Setting: strings.ToLower(args[0])}
	if c.Setting != "add" && c.Setting != "remove" && c.Setting != "set" {
		return Command{}, refuse(VerbRotationProjects, "say add, remove or set, then the projects")
	}
	names := args[1:]
	if len(names) == 0 {
		return Command{}, refuse(VerbRotationProjects, "name the projects to %s", c.Setting)
	}
	if c.Setting == "set" && len(names) == 1 && strings.EqualFold(names[0], "all") {
		c.Value = "all"
		return c, nil
	}
	for _, a := range names {
		name, err := projectArg(VerbRotationProjects, a)
		if err != nil {
			return Command{}, err
		}
		c.Projects = appendUnique(c.Projects, name)
	}
	return c, nil
}

// errUnknownProjects refuses project names that are not (or no longer)
// the workspace's projects, naming them and what exists.
func errUnknownProjects(unknown, known []string) error {
	exist := "there are no projects yet"
	if len(known) > 0 {
		exist = "the projects are " + strings.Join(known, ", ")
	}
	return pairing.Errorf(pairing.CodeNotFound, "No project named %s: %s (an admin adds one with `/pair project add`).", strings.Join(unknown, ", "), exist)
}

// rotationProjects lists or changes the projects the channel's rotation
// works on. None listed means every project (pairing.Rotation.Projects);
// a cross-team rotation pairs people on the projects more than one of its
// teams lists. A name that is not a project refuses the whole change.
func (b *Bot) rotationProjects(ctx context.Context, c caller, cmd Command) message {
	if strings.HasPrefix(c.Channel, "D") {
		return b.userError(errRotationInDM)
	}
	if store.RotationOf(ctx) != c.Channel { // the channel has no active rotation of its own
		return b.userError(errNoRotationHere)
	}
	var rot pairing.Rotation
	if cmd.Setting == "" {
		var line string
		err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
			if rot, err = channelRotation(r, c.Channel); err != nil || len(rot.Across) == 0 {
				line = describeProjects(rot)
				return err
			}
			line, err = describeShared(r, rot)
			return err
		})
		if err != nil {
			return b.userError(err, "user", c.ID)
		}
		return text(line)
	}
	_, err := b.db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		var err error
		if rot, err = channelRotation(r, c.Channel); err != nil {
			return store.Change{}, err
		}
		if len(rot.Across) > 0 {
			return store.Change{}, errAcrossProjects
		}
		projects, err := r.Projects()
		if err != nil {
			return store.Change{}, err
		}
		next, err := changeProjects(rot.Projects, cmd, projects)
		if err != nil {
			return store.Change{}, err
		}
		if slices.Equal(next, rot.Projects) {
			return store.Change{}, store.ErrUnchanged
		}
		rot.Projects = next
		return store.Change{Rotations: []pairing.Rotation{rot}}, nil
	})
	if err != nil && !errors.Is(err, store.ErrUnchanged) {
		return b.userError(err, "user", c.ID)
	}
	return text(describeProjects(rot))
}

// channelRotation is the active rotation of a channel.
func channelRotation(r store.Reader, channel string) (pairing.Rotation, error) {
	rotations, err := r.Rotations()
	if err != nil {
		return pairing.Rotation{}, err
	}
	for _, rot := range active(rotations) {
		if rot.ID == channel {
			return rot, nil
		}
	}
	return pairing.Rotation{}, errNoRotationHere
}

// changeProjects is a rotation's project list after cmd, sorted; projects
// are the workspace's (retired ones do not count as existing).
func changeProjects(have []string, cmd Command, projects []pairing.Project) ([]string, error) {
	var known []string
	for _, p := range projects {
		if !p.Retired {
			known = append(known, p.Name)
		}
	}
	slices.Sort(known)
	var unknown []string
	for _, name := range cmd.Projects {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return nil, errUnknownProjects(unknown, known)
	}
	var next []string
	switch {
	case cmd.Value == "all":
	case cmd.Setting == "set":
		next = slices.Clone(cmd.Projects)
	case cmd.Setting == "add":
		next = slices.Clone(have)
		for _, name := range cmd.Projects {
			next = appendUnique(next, name)
		}
	case cmd.Setting == "remove":
		next = slices.DeleteFunc(slices.Clone(have), func(n string) bool { return slices.Contains(cmd.Projects, n) })
	}
	slices.Sort(next)
	if len(next) == 0 {
		next = nil // every project
	}
	return next, nil
}

// errAcrossProjects refuses to set a cross-team rotation's projects: they
// are the ones its teams share, which each team sets in its own channel.
var errAcrossProjects = pairing.Errorf(pairing.CodeInvalid, "A cross-team rotation works on the projects its teams share: set each team's with `/pair rotation projects` in that team's channel.")

// describeShared is the answer to /pair rotation projects in a cross-team
// rotation's channel: the projects its running teams share.
func describeShared(r store.Reader, rot pairing.Rotation) (string, error) {
	rotations, err := r.Rotations()
	if err != nil {
		return "", err
	}
	projects, err := r.Projects()
	if err != nil {
		return "", err
	}
	shared := pairing.SharedProjects(rot.Teams(rotations), projects)
	if len(shared) == 0 {
		return fmt.Sprintf("%s works on the projects its teams share, and they share none yet: each team lists its own with `/pair rotation projects` in its channel.", rotationName(rot)), nil
	}
	return fmt.Sprintf("%s works on the projects its teams share: %s.", rotationName(rot), strings.Join(shared, ", ")), nil
}

// describeProjects is the answer to /pair rotation projects: what the
// rotation works on.
func describeProjects(rot pairing.Rotation) string {
	if len(rot.Projects) == 0 {
		return fmt.Sprintf("%s works on every project (none listed); list its own with `/pair rotation projects set <project> …`.", rotationName(rot))
	}
	return fmt.Sprintf("%s works on: %s.", rotationName(rot), strings.Join(rot.Projects, ", "))
}
