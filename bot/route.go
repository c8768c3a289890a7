package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// actionRotationPick starts the action ID of each button of the "Which
// rotation?" question ("rotation_pick:<rotation>", as action IDs are
// unique in a block): its value is the rotation's ID and the command's
// text, which the click runs again in that rotation.
const actionRotationPick = "rotation_pick"

// errNoRotation answers a DM command from someone in no rotation of a
// workspace that has several: Pollen cannot guess which one they mean.
var errNoRotation = pairing.Errorf(pairing.CodeNotFound, "You're not in any rotation yet: type `/pair join` in the channel of the rotation you want (`/pair rotation list` shows them).")

// errTooLongToAsk answers a DM command too long to carry in a "Which
// rotation?" button (Slack cuts a button's value at 2,000 characters, and
// a cut command could mean something else).
var errTooLongToAsk = pairing.Errorf(pairing.CodeInvalid, "You're in several rotations and that command is too long to ask which: type it in the rotation's channel.")

// route says which rotation a command acts on (issue 20): typed in a
// channel that has an active rotation of its own, that rotation; typed in
// a DM with Pollen, the person's only rotation, or a question with a
// button per rotation when they are in several; anywhere else, the default
// rotation, as before rotations. ask is the answer to give instead of
// running the command (the question, or a refusal), when not nil.
func (b *Bot) route(ctx context.Context, sc slack.SlashCommand, cmd Command) (context.Context, *message, error) {
	dm := isDM(sc)
	if cmd.Verb == VerbHelp || cmd.Verb == VerbStatsAll || dm && strings.HasPrefix(string(cmd.Verb), "rotation ") {
		return ctx, nil, nil // a rotation command names its channel's rotation itself; stats all covers them all
	}
	person := "" // typed in a channel, the channel says which rotation
	if dm {
		person = sc.UserID
	}
	rotations, mine, err := b.db.Routing(ctx, person) // one statement on PostgreSQL: every command asks it
	if err != nil {
		return ctx, nil, err
	}
	mine = active(mine)
	ctx = context.WithValue(ctx, routedKey{}, rotations)
	if !dm {
		for _, rot := range rotations {
			if rot.ID == sc.ChannelID && rot.Active() {
				return store.WithRotation(ctx, rot.ID), nil, nil
			}
		}
		return ctx, nil, nil
	}
	switch {
	case len(mine) == 1:
		return store.WithRotation(ctx, mine[0].ID), nil, nil
	case len(mine) > 1:
		if len(sc.Text)+len(mine[0].ID)+40 > maxActionValue { // a button's value would cut the command
			return ctx, nil, errTooLongToAsk
		}
		m := whichRotation(mine, sc.Text)
		return ctx, &m, nil
	case len(active(rotations)) > 1:
		return ctx, nil, errNoRotation
	}
	return ctx, nil, nil // one rotation in the workspace: the default, as before
}

// routedKey holds in a command's context the rotations route read, so
// the command does not read them again (crossTeamJoin).
type routedKey struct{}

// routedRotations are the rotations route read for this command, if it did.
func routedRotations(ctx context.Context) ([]pairing.Rotation, bool) {
	r, ok := ctx.Value(routedKey{}).([]pairing.Rotation)
	return r, ok
}

// isDM reports whether a slash command was typed in a DM with Pollen.
func isDM(sc slack.SlashCommand) bool {
	return sc.ChannelName == "directmessage" || strings.HasPrefix(sc.ChannelID, "D")
}

// rotationsOf are the active rotations user is a member of (and has not
// left), by ID: read from their memberships (store.Reader.RotationsOf),
// not from every rotation's roster.
func rotationsOf(r store.Reader, user string) ([]pairing.Rotation, error) {
	mine, err := r.RotationsOf(user)
	return active(mine), err
}

func active(rotations []pairing.Rotation) []pairing.Rotation {
	var out []pairing.Rotation
	for _, r := range rotations {
		if r.Active() {
			out = append(out, r)
		}
	}
	return out
}

// rotationName is how people know a rotation: its channel, or "the team
// rotation" for the default one without a channel.
func rotationName(r pairing.Rotation) string {
	switch {
	case r.ID != pairing.DefaultRotation:
		return "<#" + r.ID + ">"
	case r.Channel != "":
		return "<#" + r.Channel + ">"
	}
	return "the team rotation"
}

// whichRotation asks which rotation a DM command is for, with a button per
// rotation that runs the command there.
func whichRotation(rotations []pairing.Rotation, cmdText string) message {
	var buttons []slack.BlockElement
	for _, r := range rotations {
		label := "#" + r.ID
		if r.ID == pairing.DefaultRotation {
			label = "Team rotation"
		}
		buttons = append(buttons, button(actionRotationPick+":"+r.ID, label, r.ID+"|"+cmdText, ""))
	}
	var names []string
	for _, r := range rotations {
		names = append(names, rotationName(r))
	}
	line := "Which rotation? You are in " + strings.Join(names, ", ") + "."
	return message{Text: fallback(line), Blocks: []slack.Block{markdown(line), actions("rotation_pick", buttons...)}}
}

// pickRotation runs again, in the rotation the person picked, the command
// they typed in a DM; the answer comes privately, as the command's would.
func (b *Bot) pickRotation(ctx context.Context, k click, triggerID string) {
	id, cmdText, ok := strings.Cut(k.Value, "|")
	if !ok {
		b.log.Warn("rotation pick without a command", "user", k.User)
		return
	}
	var rotations []pairing.Rotation
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) { rotations, err = r.Rotations(); return err })
	if err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return
	}
	found := false
	for _, r := range active(rotations) {
		found = found || r.ID == id
	}
	if !found {
		b.tell(ctx, k, text("That rotation has stopped; `/pair rotation list` shows the others."))
		return
	}
	cmd, err := Parse(cmdText)
	if err != nil {
		b.tell(ctx, k, text("That command no longer reads; please type it again."))
		return
	}
	c := caller{ID: k.User, Channel: k.Channel, TriggerID: triggerID}
	if m, refused := b.guestCheck(ctx, c, cmd); refused {
		b.tell(ctx, k, m)
		return
	}
	m := b.execute(store.WithRotation(ctx, id), c, cmd)
	b.tell(ctx, k, m)
	if m.then != nil {
		m.then(context.WithoutCancel(ctx))
	}
}
