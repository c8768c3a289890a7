package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/calendar"
	"github.com/pollen-team/pollen/pairing"
)

// Action IDs of the retro buttons and the rating modal.
const (
	actionCalendar        = "calendar_link" // a link button: Slack still reports the click
	actionRetroDone       = "retro_done"
	actionRetroMissed     = "retro_missed"
	actionRetroReschedule = "retro_reschedule"
	actionRetroRate       = "retro_rate"
	actionCallOff         = "session_call_off" // an accepted session, before its slot
	actionMove            = "session_move"     // value: session ID|Unix seconds of the new slot
	actionProposeTime     = "session_propose"  // a datetimepicker; block ID propose_<session ID>
	callbackRating        = "retro_rating"
	blockRating           = "rating"
	blockNote             = "note"
	actionRatingValue     = "rating_value"
	actionNoteValue       = "note_value"
)

// slotWhen shows a session's slot with Slack's date formatting, so every
// reader sees it in their own time zone, with a plain UTC fallback for
// clients and notifications that cannot (api.slack.com/reference/surfaces/formatting#date-formatting).
func slotWhen(s pairing.Session) string {
	if s.Slot.IsZero() {
		return "whenever suits you this week"
	}
	return slackDate(s.Slot, "{date_short_pretty} {time}", s.Slot.UTC().Format("Mon 2 Jan 15:04")+" UTC")
}

// slackDate is Slack's <!date^…> token for t: format in the reader's own
// time zone, fallback where Slack cannot render it.
func slackDate(t time.Time, format, fallback string) string {
	return fmt.Sprintf("<!date^%d^%s|%s>", t.Unix(), format, fallback)
}

// roundProposal is the group DM that proposes a round's session, with the
// planner's reason, the slot in everyone's local time, who has accepted so
// far, and the Accept and Can't-this-week buttons.
func (b *Bot) roundProposal(s pairing.Session, t team) message {
	learners := make([]string, len(s.Learners))
	for i, l := range s.Learners {
		learners[i] = who(l)
	}
	body := fmt.Sprintf("*%s session on %s* (%s)\n*Host:* %s   *Learning:* %s%s\n*When:* %s (%d min)",
		upperFirst(string(s.Kind)), s.Project, s.Round, who(s.Host), strings.Join(learners, ", "), whyLine(s),
		slotWhen(s), int(s.Length.Minutes()))
	blocks := append([]slack.Block{markdown(body)}, proposalControls(s, b.now())...)
	blocks = append(blocks, otherTimes(s, t, b.now())...)
	if s.State == pairing.Accepted && !s.Slot.IsZero() {
		// A link longer than Slack takes (a long reason or names) would get
		// the whole message refused: the button is left out instead.
		if link := calendarEvent(s, t, s.UpdatedAt).GoogleLink(); len(link) <= maxButtonURL {
			cal := button(actionCalendar, "Add to Google Calendar", s.ID, "")
			cal.URL = link
			blocks = append(blocks, actions("calendar_"+s.ID, cal))
		}
	}
	return message{Text: fallback(fmt.Sprintf("Pollen proposes a %s session on %s: %s hosts %s.", s.Kind, s.Project, who(s.Host), strings.Join(learners, ", "))), Blocks: blocks}
}

// whyLine is the proposal's reason line. Once the session is off, or when
// it has no reason, it is left out: the status line says what happened.
func whyLine(s pairing.Session) string {
	if s.Reason == "" || s.State == pairing.Skipped || s.State == pairing.Cancelled {
		return ""
	}
	return "\n_Why:_ " + escape(s.Reason)
}

// proposalControls are the blocks under a proposal: who has accepted so
// far, and the Accept and Can't-this-week buttons while it is open. An
// accepted session can still be called off until its slot begins.
func proposalControls(s pairing.Session, now time.Time) []slack.Block {
	var blocks []slack.Block
	if s.MovedBy != "" && (s.State == pairing.Proposed || s.State == pairing.Accepted) {
		blocks = append(blocks, contextLine(fmt.Sprintf("%s moved this session to %s; if that time does not suit you, pick another or say you can't make it.", who(s.MovedBy), slotWhen(s))))
	}
	if status := acceptStatus(s); status != "" {
		blocks = append(blocks, contextLine(status))
	}
	switch {
	case s.State == pairing.Proposed:
		blocks = append(blocks, actions("proposal_"+s.ID,
			button(actionAccept, "Accept", s.ID, slack.StylePrimary),
			button(actionDecline, "Can't this week", s.ID, "")))
	case s.State == pairing.Accepted && (s.Slot.IsZero() || now.Before(s.Slot)):
		blocks = append(blocks, actions("proposal_"+s.ID, button(actionCallOff, "Can't make it after all", s.ID, "")))
	}
	return blocks
}

// maxOtherTimes is how many alternatives a proposal offers.
const maxOtherTimes = 2

// otherSlots are the alternatives to s's slot that fit everyone's hours
// on later days of its round's week, while it can still move.
func otherSlots(s pairing.Session, t team, now time.Time) []time.Time {
	open := s.State == pairing.Proposed || s.State == pairing.Accepted
	monday, err := pairing.ParseRoundID(s.Round)
	if !open || err != nil || s.Slot.IsZero() || !now.Before(s.Slot) {
		return nil
	}
	var people []pairing.Person
	for _, id := range s.Participants() {
		p, ok := t.person(id)
		if !ok {
			return nil // someone left the roster: no time fits them all
		}
		people = append(people, p)
	}
	return pairing.OtherSlots(people, s.Slot, s.Length, monday, now.Add(time.Hour), maxOtherTimes, locate)
}

// otherTimes offers the alternatives, each in every reader's own time with
// a button that moves the session there.
func otherTimes(s pairing.Session, t team, now time.Time) []slack.Block {
	if _, err := pairing.ParseRoundID(s.Round); err != nil || s.Slot.IsZero() || !now.Before(s.Slot) ||
		s.State != pairing.Proposed && s.State != pairing.Accepted {
		return nil
	}
	picker := slack.NewDateTimePickerBlockElement(actionProposeTime)
	picker.InitialDateTime = s.Slot.Unix()
	pick := []slack.Block{
		contextLine("Or propose another time this week, inside everyone's working hours:"),
		actions("propose_"+s.ID, picker),
	}
	slots := otherSlots(s, t, now)
	if len(slots) == 0 {
		return pick
	}
	blocks := []slack.Block{contextLine("Other times that fit everyone's hours this week:")}
	for _, at := range slots {
		move := button(actionMove, "Move here", s.ID+"|"+strconv.FormatInt(at.Unix(), 10), "")
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType,
			slackDate(at, "{date_short_pretty} {time}", at.UTC().Format("Mon 2 Jan 15:04")+" UTC"), false, false), nil, slack.NewAccessory(move)))
	}
	return append(blocks, pick...)
}

// calendarEvent is the session as a calendar event, with a UID that stays
// the same for the session and a sequence that grows with each change.
func calendarEvent(s pairing.Session, t team, now time.Time) calendar.Event {
	names := func(ids ...string) string {
		var out []string
		for _, id := range ids {
			if p, ok := t.person(id); ok && p.Name != "" {
				out = append(out, p.Name)
			} else {
				out = append(out, id)
			}
		}
		return strings.Join(out, ", ")
	}
	return calendar.Event{
		UID: s.ID + "@pollen", Start: s.Slot, Length: s.Length, Stamp: now,
		Summary:     fmt.Sprintf("Pollen: %s session on %s", s.Kind, s.Project),
		Description: fmt.Sprintf("Host: %s. Learning: %s. Why: %s", names(s.Host), names(s.Learners...), s.Reason),
		// Both terms only grow, and a move always adds one, so a moved
		// event always replaces the one calendars have.
		Sequence: int(s.UpdatedAt.Sub(s.CreatedAt)/time.Minute) + s.Moves,
	}
}

// acceptStatus says who has accepted and who is awaited.
func acceptStatus(s pairing.Session) string {
	switch s.State {
	case pairing.Accepted:
		return "Everyone accepted: see you there!"
	case pairing.Skipped:
		if d, ok := strings.CutPrefix(s.Note, notePrefixDeclined); ok {
			return fmt.Sprintf("%s can't make it, so this session is off.", who(d))
		}
		return "This session is off."
	case pairing.Cancelled:
		return "This session was cancelled."
	case pairing.Done:
		return "Done: thanks for pairing!"
	}
	left := ""
	if d, ok := strings.CutPrefix(s.Note, notePrefixLeft); ok {
		left = fmt.Sprintf("%s can't make it; the others go ahead. ", who(d))
	}
	if len(s.Accepted) == 0 {
		return strings.TrimSpace(left)
	}
	var yes, waiting []string
	for _, p := range s.Participants() {
		if slices.Contains(s.Accepted, p) {
			yes = append(yes, who(p))
		} else {
			waiting = append(waiting, who(p))
		}
	}
	if len(waiting) == 0 {
		return left + fmt.Sprintf("Accepted: %s.", strings.Join(yes, ", "))
	}
	return left + fmt.Sprintf("Accepted: %s. Waiting for %s.", strings.Join(yes, ", "), strings.Join(waiting, ", "))
}

func (b *Bot) reminderMessage(s pairing.Session, t team) message {
	body := fmt.Sprintf("Reminder: your %s session on *%s* is today, %s.", s.Kind, s.Project, slotWhen(s))
	return text(body)
}

// retroMessage asks, after the slot, whether the session happened. Once
// someone answered "We paired" it shows who has rated and keeps a *Rate it*
// button for the others until everyone has.
func (b *Bot) retroMessage(s pairing.Session) message {
	if s.State == pairing.Done {
		return ratedMessage(s)
	}
	return message{
		Text: fallback(fmt.Sprintf("How did your %s session on %s go?", s.Kind, s.Project)),
		Blocks: []slack.Block{
			markdown(fmt.Sprintf("How did your %s session on *%s* go?", s.Kind, s.Project)),
			actions("retro_"+s.ID,
				button(actionRetroDone, "We paired", s.ID, slack.StylePrimary),
				button(actionRetroMissed, "Didn't happen", s.ID, ""),
				button(actionRetroReschedule, "Reschedule", s.ID, "")),
		},
	}
}

// ratedMessage is the retro of a done session: recorded, who has rated,
// and the button for those who have not.
func ratedMessage(s pairing.Session) message {
	body := fmt.Sprintf("Recorded: the %s session on *%s* happened. Thanks!", s.Kind, s.Project)
	blocks := []slack.Block{markdown(body)}
	var rated []string
	for _, r := range s.Ratings {
		rated = append(rated, who(r.Person))
	}
	waiting := s.Unrated()
	for i, id := range waiting {
		waiting[i] = who(id)
	}
	switch {
	case len(waiting) == 0:
		blocks = append(blocks, contextLine("Everyone rated it: thank you."))
	case len(rated) == 0:
		blocks = append(blocks, contextLine("How was it? Each of you can rate it once; a learner's rating sets how much the session counts for them."))
	default:
		blocks = append(blocks, contextLine(fmt.Sprintf("Rated by %s. Still to rate: %s.", strings.Join(rated, ", "), strings.Join(waiting, ", "))))
	}
	if len(waiting) > 0 {
		blocks = append(blocks, actions("retro_"+s.ID, button(actionRetroRate, "Rate it", s.ID, slack.StylePrimary)))
	}
	return message{Text: fallback(fmt.Sprintf("Recorded: the %s session on %s happened.", s.Kind, s.Project)), Blocks: blocks}
}

// ratingModal asks one participant how the session went, with an optional
// note: a learner how much they learned, the host how it went for them.
// Its private metadata names the session and the retro message to redraw.
func ratingModal(s pairing.Session, user, channel, ts string) slack.ModalViewRequest {
	plain := func(t string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, t, false, false)
	}
	labels := map[int]string{5: "5: a lot", 4: "4", 3: "3: as expected", 2: "2", 1: "1: hardly anything"}
	intro := fmt.Sprintf("Your %s session on *%s* is recorded. How much did you learn? Your answer sets how much it counts for you.", s.Kind, escape(s.Project))
	question, notePrompt := "How much did you learn?", "What did you learn?"
	if user == s.Host {
		labels = map[int]string{5: "5: it went great", 4: "4", 3: "3: fine", 2: "2", 1: "1: it didn't work"}
		intro = fmt.Sprintf("Your %s session on *%s* is recorded. How did it go from the host's side? Pollen keeps it as feedback.", s.Kind, escape(s.Project))
		question, notePrompt = "How did it go?", "Anything the team should know?"
	}
	var options []*slack.OptionBlockObject
	for r := 5; r >= 1; r-- {
		options = append(options, slack.NewOptionBlockObject(fmt.Sprint(r), plain(labels[r]), nil))
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick one"), actionRatingValue, options...)
	note := slack.NewPlainTextInputBlockElement(plain(notePrompt), actionNoteValue)
	note.Multiline = true
	note.MaxLength = 1000
	noteBlock := slack.NewInputBlock(blockNote, plain("Note (optional)"), nil, note)
	noteBlock.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackRating,
		PrivateMetadata: ratingRef{session: s.ID, channel: channel, ts: ts}.String(),
		Title:           plain("How was it?"),
		Submit:          plain("Save"),
		Close:           plain("Skip"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			markdown(intro),
			slack.NewInputBlock(blockRating, plain(question), nil, sel),
			noteBlock,
		}},
	}
}
