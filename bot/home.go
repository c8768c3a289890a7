package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Action IDs of the App Home buttons.
const (
	actionHomeJoin  = "home_join"
	actionHomeSkip  = "home_skip"
	actionHomeLeave = "home_leave"
)

// publishHome renders the App Home for one person: their standing, next
// session, what they know and could learn, the riskiest projects (not for
// guests), and
// buttons for the commands people use most.
func (b *Bot) publishHome(ctx context.Context, user string) {
	ctx = b.homeRotation(ctx, user)
	t, sessions, err := b.loadTeamAndSessions(ctx)
	if err != nil {
		b.log.Error("home: load", "user", user, "err", err)
		return
	}
	// A guest sees no team figures (see guests.go); when Slack cannot say
	// who this is, the Home shows the person only, which is safe for both.
	guest, err := b.isGuest(ctx, user)
	if err != nil {
		b.log.Warn("home: users.info failed; showing no team figures", "user", user, "err", err)
		guest = true
	}
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: b.homeBlocks(t, user, sessions, !guest)}}
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		b.log.Warn("views.publish failed", "user", user, "err", err)
	}
}

func (b *Bot) homeBlocks(t team, user string, sessions []pairing.Session, teamFigures bool) []slack.Block {
	blocks := []slack.Block{header("Pollen: spread what the team knows")}
	p, inRoster := t.person(user)
	if inRoster {
		blocks = append(blocks, markdown(b.describePerson(t, p, sessions)))
	} else {
		blocks = append(blocks, markdown("You're not in the rotation yet. Join to get a pair or review session proposed every week, hosted by someone who knows a codebase you don't."))
	}
	var risky []string
	for i, r := range t.risks(b.now()) {
		if i == 3 || !teamFigures {
			break
		}
		risky = append(risky, fmt.Sprintf("• *%s*: bus factor %d%s", r.name, r.busFactor, riskMark(r.busFactor, t.settings.TargetBusFactor)))
	}
	if len(risky) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), markdown("*Riskiest projects*\n"+strings.Join(risky, "\n")))
	}
	var buttons []slack.BlockElement
	if !inRoster || p.Status != pairing.Active {
		buttons = append(buttons, button(actionHomeJoin, "Join the rotation", "weekly", slack.StylePrimary))
	}
	if inRoster && p.Status == pairing.Active {
		buttons = append(buttons, button(actionHomeSkip, "Skip the next round", "next", ""))
	}
	if inRoster && p.Status != pairing.Left {
		buttons = append(buttons, button(actionHomeLeave, "Leave the rotation", "leave", slack.StyleDanger))
	}
	blocks = append(blocks, actions("home_actions", buttons...))
	return capBlocks(blocks, maxBlocksView)
}

// homeAction runs the command behind a Home button, tells the person the
// outcome, and refreshes their Home.
func (b *Bot) homeAction(ctx context.Context, k click) {
	ctx = b.homeRotation(ctx, k.User)
	c := caller{ID: k.User}
	var reply message
	switch k.ActionID {
	case actionHomeJoin:
		reply = b.join(ctx, c, Command{Verb: VerbJoin, Cadence: pairing.Weekly})
	case actionHomeSkip:
		reply = b.skip(ctx, c, Command{Verb: VerbSkip, Skip: SkipNext})
	case actionHomeLeave:
		reply = b.leave(ctx, c, Command{Verb: VerbLeave})
	}
	if err := b.sendDM(ctx, []string{k.User}, reply, ""); err != nil {
		b.log.Warn("home: reply DM failed", "user", k.User, "err", err)
	}
	b.publishHome(ctx, k.User)
}

// homeRotation is ctx about the rotation a person's App Home shows: their
// only rotation; the default one when they are in several or none (as
// before rotations). A failed read is logged and shows the default.
func (b *Bot) homeRotation(ctx context.Context, user string) context.Context {
	var mine []pairing.Rotation
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) { mine, err = rotationsOf(r, user); return err })
	if err != nil {
		b.log.Warn("home: rotations not read; showing the default rotation", "user", user, "err", err)
		return ctx
	}
	if len(mine) == 1 {
		return store.WithRotation(ctx, mine[0].ID)
	}
	return ctx
}
