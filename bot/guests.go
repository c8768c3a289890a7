package bot

import (
	"context"
	"fmt"
)

// Slack guests (users.info is_restricted, and is_ultra_restricted for
// single-channel guests) are people from outside the organisation: a
// contractor, a client. They may take part in the rotation like anyone
// (join, leave, skip, hours, know, now, review, log, avoid, and the buttons
// of their own sessions) and look at themselves (me, history and why
// without naming anyone else), but not at the team: other people's
// history and why, who knows what (who, projects), the knowledge report
// (stats), nor any admin command, even if /pair config admins names them.
// Their membership is asked of Slack (users.info, cached) only for the
// commands they may not run, so members pay nothing for the check.

// guestsMay reports whether a guest may run cmd as self.
// It reads who may run the command from its entry in commands.
func guestsMay(cmd Command, self string) bool {
	c, ok := lookup(cmd.Verb)
	if !ok {
		return true // an unknown verb runs nothing; runCommand refuses it
	}
	switch c.who {
	case membersOnly, admins, workspaceAdmins:
		return false
	case guestsAboutSelf:
		return len(cmd.Users) == 0 || cmd.Users[0] == self
	}
	return true
}

// guestRefusal is what a guest hears for a command about others.
func guestRefusal(cmd Command) message {
	m := text(fmt.Sprintf("Guests of this workspace can use Pollen for themselves only, so `%s` is not open to you. "+
		"`/pair me` shows your sessions and what you know.", escape(Usage(cmd.Verb))))
	m.outcome = "refused"
	return m
}

// isGuest asks Slack (through the cache) whether the user is a guest.
func (b *Bot) isGuest(ctx context.Context, id string) (bool, error) {
	u, err := b.users.get(ctx, id)
	if err != nil {
		return false, err
	}
	return u.IsRestricted || u.IsUltraRestricted, nil
}
