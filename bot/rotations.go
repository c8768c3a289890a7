package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// actionRotationJoin is the Join button of a rotation's intro: its value
// is the rotation's ID and the cadence it gives ("C123|weekly").
const actionRotationJoin = "rotation_join"

// cronDays are the days /pair rotation start reads, as cron names them.
var cronDays = map[string]string{
	"mon": "MON", "monday": "MON", "tue": "TUE", "tuesday": "TUE", "wed": "WED", "wednesday": "WED",
	"thu": "THU", "thursday": "THU", "fri": "FRI", "friday": "FRI", "sat": "SAT", "saturday": "SAT",
	"sun": "SUN", "sunday": "SUN",
}

// parseRotationStart reads "[weekly|biweekly] [DAY HH:MM]" or
// "across #a #b …". The schedule becomes a cron in Value; empty keeps the
// default's.
func parseRotationStart(args []string) (Command, error) {
	c := Command{Cadence: pairing.Weekly}
	if len(args) > 0 && strings.EqualFold(args[0], "across") {
		for _, a := range args[1:] {
			id, ok := channel(a)
			if !ok {
				return Command{}, refuse(VerbRotationStart, "%q is not a #channel", clip(a, 30))
			}
			c.Channels = appendUnique(c.Channels, id)
		}
		if len(c.Channels) < 2 {
			return Command{}, refuse(VerbRotationStart, "name at least two #channels to rotate across")
		}
		return c, nil
	}
	if len(args) > 0 {
		if cad, err := pairing.ParseCadence(strings.ToLower(args[0])); err == nil {
			c.Cadence, args = cad, args[1:]
		}
	}
	switch len(args) {
	case 0:
		return c, nil
	case 2:
		day, ok := cronDays[strings.ToLower(args[0])]
		hm := strings.Split(args[1], ":")
		if !ok || len(hm) != 2 {
			break
		}
		h, err1 := strconv.Atoi(hm[0])
		m, err2 := strconv.Atoi(hm[1])
		if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(hm[1]) != 2 {
			break
		}
		c.Value = fmt.Sprintf("%d %d * * %s", m, h, day)
		return c, nil
	}
	return Command{}, refuse(VerbRotationStart, "give the cadence, then a day and a time such as `monday 09:30`")
}

var (
	errRotationExists = pairing.Errorf(pairing.CodeConflict, "This channel already has a rotation; `/pair rotation list` shows them all.")
	errNoRotationHere = pairing.Errorf(pairing.CodeNotFound, "This channel has no rotation running; `/pair rotation list` shows them all.")
	errRotationInDM   = pairing.Errorf(pairing.CodeInvalid, "Type `/pair rotation start`, `stop` or `projects` in the team's channel: a rotation belongs to a channel.")
	errNotInChannel   = pairing.Errorf(pairing.CodeInvalid, "I'm not in this channel: invite me with `/invite @Pollen`, then type the command again.")
	// errNoChannelsRead answers a start on an installation made before
	// rotations, whose token lacks channels:read and groups:read.
	errNoChannelsRead = pairing.Errorf(pairing.CodeInvalid, "I may not read this channel's members: reinstall Pollen from the current manifest.yml (it asks for channels:read and groups:read), then type the command again.")
)

// noRotationIn says a channel a cross-team rotation names has no
// rotation running. It is its own type so the answer can link the channel
// (a domain error's message is escaped).
type noRotationIn struct{ channel string }

func (e *noRotationIn) Error() string { return "channel " + e.channel + " has no rotation" }

// startRefusal is the answer to a refused start.
func (b *Bot) startRefusal(err error, user string) message {
	var nr *noRotationIn
	if errors.As(err, &nr) { // the ID is a channel mention's, C and [A-Z0-9]
		m := text(fmt.Sprintf("<#%s> has no rotation: start one there first with `/pair rotation start`.", nr.channel))
		m.outcome = "refused"
		return m
	}
	return b.userError(err, "user", user)
}

// checkStart is what makes a rotation start refused: the channel has an
// active rotation already, or a channel it is across has none.
func checkStart(r store.Reader, rot pairing.Rotation) error {
	rotations, err := r.Rotations()
	if err != nil {
		return err
	}
	running := map[string]bool{}
	for _, x := range active(rotations) {
		running[x.ID] = true
	}
	if running[rot.ID] {
		return errRotationExists
	}
	for _, id := range rot.Across {
		if id == rot.ID || !running[id] {
			return &noRotationIn{channel: id}
		}
	}
	return nil
}

// rotationStart starts the channel's rotation: checks (Pollen must be in
// the channel, or nothing is written), records the rotation and its
// settings, has the scheduler wake at its schedule, and only then posts
// the intro: a Join clicked at once finds the rotation, and a write that
// fails leaves no intro for a rotation that does not exist.
func (b *Bot) rotationStart(ctx context.Context, c caller, cmd Command) message {
	if strings.HasPrefix(c.Channel, "D") {
		return b.userError(errRotationInDM)
	}
	u, err := b.users.get(ctx, c.ID)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	settings := pairing.DefaultTeamSettings()
	if loc, err := pairing.LoadZone(u.TZ); err == nil && u.TZ != "" {
		settings.TimeZone = loc.String()
	}
	if cmd.Value != "" {
		settings.Schedule = cmd.Value
	}
	settings.Channel = c.Channel
	rot := pairing.Rotation{ID: c.Channel, Channel: c.Channel, StartedAt: b.now(), Across: cmd.Channels}
	ctx = store.WithRotation(ctx, rot.ID)
	if err := b.db.Snapshot(ctx, func(r store.Reader) error { _, err := decideStart(r, rot, settings, cmd); return err }); err != nil {
		return b.startRefusal(err, c.ID)
	}
	if err := b.inChannel(ctx, c.Channel); err != nil {
		return b.userError(err, "channel", c.Channel)
	}
	var st started
	_, err = b.db.Apply(ctx, func(r store.Reader) (c store.Change, err error) {
		if st, err = decideStart(r, rot, settings, cmd); err != nil {
			return store.Change{}, err
		}
		return store.Change{Rotations: []pairing.Rotation{st.rotation}, Settings: &st.settings}, nil
	})
	if err != nil {
		return b.startRefusal(err, c.ID)
	}
	b.scheduleChanged()
	done := "Started this channel's rotation"
	if st.restarted {
		done = fmt.Sprintf("Restarted this channel's rotation where it stopped: its %s, settings and history are as they were", count(st.members, "member", "members"))
	}
	next := ""
	if t, loc, ok := nextRound(st.settings, b.now()); ok {
		next = " Its first round is planned on " + when(t, loc) + "."
		if st.restarted {
			next = " Its next round is planned on " + when(t, loc) + "."
		}
	}
	if _, _, err := b.api.PostMessageContext(ctx, c.Channel, introMessage(st.rotation, st.settings, cmd.Cadence)...); err != nil {
		b.log.Error("post a rotation's intro", "channel", c.Channel, "err", err)
		if len(st.rotation.Across) > 0 {
			return text(done + ", but I could not post its intro." + next)
		}
		return text(done + ", but I could not post its intro: people join with `/pair join` typed here." + next)
	}
	if len(st.rotation.Across) > 0 { // its people are its teams': nothing to join
		return text(done + "; I posted its intro." + next)
	}
	return text(done + "; I posted its intro with a *Join* button." + next)
}

// started is what a start decided: the rotation and its settings, and
// whether it was a stopped one resumed, with how many members it has.
type started struct {
	rotation  pairing.Rotation
	settings  pairing.TeamSettings
	restarted bool
	members   int
}

// decideStart is what /pair rotation start writes. A new rotation gets
// fresh settings. A stopped one resumes as it was: its members (kept
// when it stopped), settings, projects and history; only what the command
// gives (a schedule, the channels it is across) changes. A running one is
// refused (checkStart).
func decideStart(r store.Reader, rot pairing.Rotation, fresh pairing.TeamSettings, cmd Command) (started, error) {
	if err := checkStart(r, rot); err != nil {
		return started{}, err
	}
	rotations, err := r.Rotations()
	if err != nil {
		return started{}, err
	}
	i := slices.IndexFunc(rotations, func(x pairing.Rotation) bool { return x.ID == rot.ID })
	if i < 0 {
		return started{rotation: rot, settings: fresh}, nil
	}
	st := started{rotation: rotations[i], restarted: true}
	st.rotation.StoppedAt = time.Time{}
	if len(cmd.Channels) > 0 {
		st.rotation.Across = cmd.Channels
	}
	if st.settings, err = r.Settings(); err != nil {
		return started{}, err
	}
	if cmd.Value != "" {
		st.settings.Schedule = cmd.Value
	}
	people, err := r.People()
	for _, p := range people {
		if p.Status != pairing.Left {
			st.members++
		}
	}
	return st, err
}

// inChannel checks that Pollen is in a channel, where it posts the
// rotation's intro and digest: conversations.info says so (is_member), and
// hides a private channel Pollen is not in (channel_not_found).
func (b *Bot) inChannel(ctx context.Context, channel string) error {
	info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &se) && se.Err == "channel_not_found":
		return errNotInChannel
	case errors.As(err, &se) && se.Err == "missing_scope":
		return errNoChannelsRead
	case err != nil:
		return fmt.Errorf("read the channel: %w", err)
	case !info.IsMember:
		return errNotInChannel
	}
	return nil
}

// scheduleChanged has the scheduler read the rotations' schedules again
// (Cron.Reload, through the callback the wiring gives), so a rotation
// started, stopped or rescheduled takes effect without a restart.
func (b *Bot) scheduleChanged() {
	if b.callbacks.SettingsChanged != nil {
		b.callbacks.SettingsChanged()
	}
}

// introMessage is a rotation's intro in its channel, with the Join button.
func introMessage(rot pairing.Rotation, s pairing.TeamSettings, cadence pairing.Cadence) []slack.MsgOption {
	who := "this channel's members"
	if len(rot.Across) > 0 {
		var names []string
		for _, id := range rot.Across {
			names = append(names, "<#"+id+">")
		}
		who = "people of " + strings.Join(names, ", ") + ", across teams, on the code they share,"
	}
	line := fmt.Sprintf("*Pollen* pairs %s for a pair or review session on a codebase one knows and the other is learning (schedule `%s`, %s).",
		who, escape(s.Schedule), escape(s.TimeZone))
	if len(rot.Across) > 0 { // its people are its teams': nothing to join here (crossTeamJoin)
		line += " You take part through your team's rotation."
		return []slack.MsgOption{slack.MsgOptionText(fallback(line), false), slack.MsgOptionBlocks(markdown(line))}
	}
	line += " Press *Join* to take part."
	blocks := []slack.Block{markdown(line), actions("rotation_intro", button(actionRotationJoin, "Join", rot.ID+"|"+string(cadence), slack.StylePrimary))}
	return []slack.MsgOption{slack.MsgOptionText(fallback(line), false), slack.MsgOptionBlocks(blocks...)}
}

// rotationJoin is the intro's Join button: the clicker joins that
// rotation, with the cadence the intro gives.
func (b *Bot) rotationJoin(ctx context.Context, k click) {
	id, cad, _ := strings.Cut(k.Value, "|")
	cadence, err := pairing.ParseCadence(cad)
	if err != nil {
		cadence = pairing.Weekly
	}
	var rotations []pairing.Rotation
	if err := b.db.Snapshot(ctx, func(r store.Reader) (err error) { rotations, err = r.Rotations(); return err }); err != nil {
		b.tell(ctx, k, b.userError(err, "user", k.User))
		return
	}
	for _, r := range active(rotations) {
		if r.ID == id {
			b.tell(ctx, k, b.join(store.WithRotation(ctx, id), caller{ID: k.User, Channel: k.Channel}, Command{Verb: VerbJoin, Cadence: cadence}))
			return
		}
	}
	b.tell(ctx, k, text("This rotation has stopped; `/pair rotation list` shows the others."))
}

// rotationStop stops the channel's rotation: it plans no more rounds, and
// its members, rounds and sessions stay.
func (b *Bot) rotationStop(ctx context.Context, c caller, _ Command) message {
	if strings.HasPrefix(c.Channel, "D") {
		return b.userError(errRotationInDM)
	}
	now := b.now()
	_, err := b.db.Apply(store.WithRotation(ctx, c.Channel), func(r store.Reader) (store.Change, error) {
		rotations, err := r.Rotations()
		if err != nil {
			return store.Change{}, err
		}
		for _, rot := range active(rotations) {
			if rot.ID == c.Channel {
				rot.StoppedAt = now
				return store.Change{Rotations: []pairing.Rotation{rot}}, nil
			}
		}
		return store.Change{}, errNoRotationHere
	})
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	b.scheduleChanged()
	return text("Stopped this channel's rotation: no more rounds. Its members, sessions and history are kept.")
}

// rotationList shows every rotation: channel, members, schedule, next
// round.
func (b *Bot) rotationList(ctx context.Context, _ caller, _ Command) message {
	var rotations []pairing.Rotation
	members := map[string]int{}
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if rotations, err = r.Rotations(); err != nil {
			return err
		}
		for _, rot := range rotations {
			people, err := r.PeopleIn(rot.ID)
			if err != nil {
				return err
			}
			for _, p := range people {
				if p.Status != pairing.Left {
					members[rot.ID]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return b.userError(err)
	}
	var sb strings.Builder
	sb.WriteString("*Rotations*")
	for _, rot := range rotations {
		s, err := b.db.Settings(store.WithRotation(ctx, rot.ID))
		if err != nil {
			return b.userError(err, "rotation", rot.ID)
		}
		fmt.Fprintf(&sb, "\n• %s: %s, schedule `%s` (%s)", rotationName(rot), count(members[rot.ID], "member", "members"), escape(s.Schedule), escape(s.TimeZone))
		if len(rot.Across) > 0 {
			var names []string
			for _, id := range rot.Across {
				names = append(names, "<#"+id+">")
			}
			sb.WriteString(", across " + strings.Join(names, ", "))
		}
		if len(rot.Projects) > 0 {
			sb.WriteString(", projects " + strings.Join(rot.Projects, ", "))
		}
		if s.Roster == pairing.RosterChannel {
			sb.WriteString(", roster: the channel's members")
		}
		switch t, loc, ok := nextRound(s, b.now()); {
		case !rot.Active():
			sb.WriteString(", stopped " + rot.StoppedAt.Format("2006-01-02"))
		case ok:
			sb.WriteString(", next round " + when(t, loc))
		}
	}
	return text(sb.String())
}

// count is "1 member", "3 members".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
