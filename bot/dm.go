package bot

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/pollen-team/pollen/pairing"
)

// dmWords are the words Pollen answers in its Messages tab, each with
// what it means; anything else gets a pointer to /pair help.
var dmWords = map[string]string{
	"help": "help", "commands": "help", "?": "help", "hi": "help", "hello": "help",
	"skip":  "skip",
	"pause": "pause",
	"stop":  "leave", "leave": "leave", "unsubscribe": "leave", "quit": "leave",
}

// dmPointer is the answer to anything Pollen does not understand in a DM.
const dmPointer = "I only understand *help*, *skip*, *pause* and *stop* here; `/pair help` lists everything I can do."

// dmCantMakeIt answers "can't make it": the session's own buttons call it
// off and tell the partner, which a typed word must not do on a guess.
const dmCantMakeIt = "Can't make a session? Press *Can't this week* on its proposal (or *Can't make it after all* once it is accepted): your partner hears at once and I look for someone else. To sit out the next round altogether, write *skip*."

// cantMakeIt recognises "can't make it", "cannot make it", "I'm sick".
func cantMakeIt(said string) bool {
	s := strings.ToLower(strings.ReplaceAll(said, "’", "'"))
	return (strings.Contains(s, "can't") || strings.Contains(s, "cannot") || strings.Contains(s, "can not") || strings.Contains(s, "cant ")) &&
		strings.Contains(s, "make") || strings.Contains(s, "i'm sick") || strings.Contains(s, "i am sick") || strings.Contains(s, "i'm ill")
}

// handleDM answers a message a person wrote to Pollen (message.im). It
// ignores everything that is not a person's new message in a DM: bots,
// Pollen's own messages, edits, deletions and other subtypes, so Pollen
// never answers itself. Skip, pause and stop get the matching button to
// confirm, never an action taken on a typed word.
func (b *Bot) handleDM(ctx context.Context, team string, ev *slackevents.MessageEvent) {
	if ev.ChannelType != "im" || ev.SubType != "" || ev.BotID != "" || ev.User == "" || ev.ThreadTimeStamp != "" {
		return
	}
	if err := b.checkTeam(ctx, team); err != nil {
		b.log.Warn("DM from another workspace or auth.test failed; not answered", "err", err)
		return
	}
	if b.isOwnUser(ev.User) {
		return
	}
	m := b.dmAnswer(ctx, ev.User, ev.Text)
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(capBlocks(m.Blocks, maxBlocksMessage)...))
	}
	if _, _, err := b.api.PostMessageContext(ctx, ev.Channel, opts...); err != nil {
		b.log.Warn("DM answer failed", "user", ev.User, "err", err)
	}
}

// dmAnswer decides the answer to a DM from what it says and whether the
// writer is in the rotation.
func (b *Bot) dmAnswer(ctx context.Context, user, said string) message {
	if cantMakeIt(said) {
		return text(dmCantMakeIt)
	}
	word := dmWord(said)
	if word == "help" {
		return helpMessage
	}
	if word == "" {
		return text(dmPointer)
	}
	p, err := b.db.Person(ctx, user)
	if err != nil && !errors.Is(err, pairing.ErrNotFound) {
		return b.userError(err, "user", user)
	}
	if err != nil || p.Status == pairing.Left {
		return text("You're not in the rotation, so there is nothing to " + word + ". `/pair join` joins it; `/pair help` lists everything.")
	}
	var body string
	var btn *slack.ButtonBlockElement
	switch word {
	case "skip":
		body = "Skip the next round that runs? You stay in the rotation for the ones after."
		btn = button(actionHomeSkip, "Skip the next round", "next", slack.StylePrimary)
	case "pause":
		body = "Pause for 4 weeks? No proposals until then; `/pair resume` brings you back sooner."
		btn = button(actionGhostPause, "Pause 4 weeks", "pause", slack.StylePrimary)
	default:
		body = "Leave the rotation? Your history and what you know are kept, and `/pair join` brings you back any time."
		btn = button(actionHomeLeave, "Leave the rotation", "leave", slack.StyleDanger)
	}
	return message{Text: fallback(body), Blocks: []slack.Block{markdown(body), actions("dm_"+word, btn)}}
}

// dmWord finds the one word of dmWords a short message is about: "Skip",
// "skip please", "can I pause?" all count; a long message is not guessed at.
func dmWord(said string) string {
	fields := strings.FieldsFunc(strings.ToLower(said), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '?' && r != '\''
	})
	if len(fields) == 0 || len(fields) > 8 {
		return ""
	}
	found := ""
	for _, f := range fields {
		f = strings.Trim(f, "'")
		if f != "?" {
			f = strings.TrimRight(f, "?")
		}
		if w, ok := dmWords[f]; ok {
			if found != "" && found != w {
				return "" // "skip or stop?": ask for one
			}
			found = w
		}
	}
	return found
}
