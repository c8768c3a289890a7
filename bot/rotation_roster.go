package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// A rotation whose roster is its channel (/pair config roster channel,
// pairing.RosterChannel) follows Slack's member_joined_channel and
// member_left_channel events: who joins the channel joins the rotation and
// gets a DM saying so, with a way out; who leaves the channel is asked by
// DM whether to leave the rotation too, and stays in it until they answer.
// Nobody is removed silently.

// The buttons of those DMs; the value is the rotation's ID.
const (
	actionRotationLeave = "rotation_leave"
	actionRotationStay  = "rotation_stay"
)

// errRosterNeedsChannel refuses /pair config roster outside a team
// channel's own rotation.
var errRosterNeedsChannel = pairing.Errorf(pairing.CodeInvalid, "Only a team channel's own rotation takes its roster from the channel: type this in that channel (`/pair rotation list` shows them). A cross-team rotation's people are its teams'.")

// rosterFromChannelAllowed says whether the rotation with this ID is a
// team channel's own running rotation, the only kind whose roster can be
// its channel's members.
func rosterFromChannelAllowed(r store.Reader, rotation string) error {
	rot, err := channelRotation(r, rotation)
	if errors.Is(err, errNoRotationHere) || err == nil && (rot.ID == pairing.DefaultRotation || len(rot.Across) > 0) {
		return errRosterNeedsChannel
	}
	return err
}

// channelRoster reads, for a channel's event, its running rotation if
// its roster is the channel, and whether user is a member (has not left).
func (b *Bot) channelRoster(ctx context.Context, channel, user string) (rot pairing.Rotation, s pairing.TeamSettings, member bool, err error) {
	err = b.db.Snapshot(store.WithRotation(ctx, channel), func(r store.Reader) error {
		if rot, err = channelRotation(r, channel); err != nil {
			return err
		}
		if s, err = r.Settings(); err != nil {
			return err
		}
		p, err := r.Person(user)
		member = err == nil && p.Status != pairing.Left
		if errors.Is(err, pairing.ErrNotFound) {
			err = nil
		}
		return err
	})
	if errors.Is(err, errNoRotationHere) {
		return pairing.Rotation{}, s, false, nil
	}
	if err == nil && s.Roster != pairing.RosterChannel {
		rot = pairing.Rotation{}
	}
	return rot, s, member, err
}

// memberJoined adds someone who joined a channel whose members are its
// rotation, and tells them by DM, with a button to leave the rotation.
func (b *Bot) memberJoined(ctx context.Context, team string, ev *slackevents.MemberJoinedChannelEvent) {
	if err := b.checkTeam(ctx, team); err != nil {
		b.log.Warn("channel join from another workspace or auth.test failed; ignored", "err", err)
		return
	}
	b.addChannelMember(ctx, ev.Channel, ev.User, "You joined %s, whose members are its Pollen rotation")
}

// adoptChannelMembers adds the channel's members to its rotation, when
// /pair config roster channel has just made the channel's members the
// roster: those in the channel already are members as much as those who
// join later. Each is told by DM, with a way out (addChannelMember).
func (b *Bot) adoptChannelMembers(ctx context.Context, channel string) {
	cursor := ""
	for {
		page, next, err := b.api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: channel, Cursor: cursor, Limit: 200})
		if err != nil {
			b.log.Error("roster from the channel: its members not read; those who join from now on are added", "channel", channel, "err", err)
			return
		}
		for _, user := range page {
			b.addChannelMember(ctx, channel, user, "%s's members are now its Pollen rotation")
		}
		if cursor = next; cursor == "" {
			return
		}
	}
}

// addChannelMember puts user in the rotation of channel, if its roster is
// the channel and they are a person not in it yet, and tells them by DM,
// starting with opening (a format for the rotation's name), with a button
// to leave the rotation.
func (b *Bot) addChannelMember(ctx context.Context, channel, user, opening string) {
	rot, s, member, err := b.channelRoster(ctx, channel, user)
	if err != nil {
		b.log.Error("channel member: rotation not read", "channel", channel, "user", user, "err", err)
		return
	}
	if rot.ID == "" || member || b.isOwnUser(user) {
		return
	}
	if u, err := b.users.get(ctx, user); err == nil && (u.IsBot || u.Deleted) {
		return // bots and deactivated accounts are not paired
	}
	m, wasMember := b.joinRotation(store.WithRotation(ctx, rot.ID), caller{ID: user, Channel: channel}, Command{Verb: VerbJoin, Cadence: pairing.Weekly})
	if m.outcome != "" {
		b.log.Warn("channel member: not joined to the rotation", "channel", channel, "user", user, "answer", m.Text)
		return
	}
	if wasMember {
		return // added a moment ago by the other path (event, or the channel's members adopted), and told then
	}
	line := fmt.Sprintf(opening+" (schedule `%s`, %s), so you're in it now. %s",
		rotationName(rot), escape(s.Schedule), escape(s.TimeZone), m.Text)
	dm := message{Text: fallback(line), Blocks: []slack.Block{markdown(line),
		actions("rotation_roster", button(actionRotationLeave, "Leave this rotation", rot.ID, ""))}}
	if err := b.sendDM(store.WithRotation(ctx, rot.ID), []string{user}, dm, ""); err != nil {
		b.log.Warn("channel member: DM failed", "user", user, "err", err)
	}
}

// memberLeft asks someone who left a channel whose members are its
// rotation whether to leave the rotation too; they stay until they answer.
func (b *Bot) memberLeft(ctx context.Context, team string, ev *slackevents.MemberLeftChannelEvent) {
	if err := b.checkTeam(ctx, team); err != nil {
		b.log.Warn("channel leave from another workspace or auth.test failed; ignored", "err", err)
		return
	}
	rot, _, member, err := b.channelRoster(ctx, ev.Channel, ev.User)
	if err != nil {
		b.log.Error("channel leave: rotation not read", "channel", ev.Channel, "user", ev.User, "err", err)
		return
	}
	if rot.ID == "" || !member {
		return
	}
	line := fmt.Sprintf("You left %s. Leave its Pollen rotation too? You stay in it until you say.", rotationName(rot))
	dm := message{Text: fallback(line), Blocks: []slack.Block{markdown(line), actions("rotation_roster",
		button(actionRotationLeave, "Leave the rotation", rot.ID, slack.StyleDanger),
		button(actionRotationStay, "Stay", rot.ID, slack.StylePrimary))}}
	if err := b.sendDM(store.WithRotation(ctx, rot.ID), []string{ev.User}, dm, ""); err != nil {
		b.log.Warn("channel leave: DM failed", "user", ev.User, "err", err)
	}
}

// rotationRosterAnswer is a click on Leave or Stay in those DMs: it acts
// on the clicker's own membership of the rotation the button names.
func (b *Bot) rotationRosterAnswer(ctx context.Context, k click) {
	var rot pairing.Rotation
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) { rot, err = channelRotation(r, k.Value); return err })
	if errors.Is(err, errNoRotationHere) {
		b.tell(ctx, k, text("This rotation has stopped; `/pair rotation list` shows the others."))
		return
	}
	if err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return
	}
	ctx = store.WithRotation(ctx, rot.ID)
	c := caller{ID: k.User, Channel: k.Channel}
	if k.ActionID == actionRotationLeave {
		b.tell(ctx, k, b.leave(ctx, c, Command{Verb: VerbLeave}))
		return
	}
	if _, err := b.member(ctx, k.User); err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return
	}
	b.tell(ctx, k, text("You stay in "+rotationName(rot)+"'s rotation."))
}
