package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/report"
	"github.com/pollen-team/pollen/store"
)

// stats answers at once with the headline figures, then renders the four
// charts and uploads them, through Slack's external upload flow
// (files.getUploadURLExternal, the upload, files.completeUploadExternal),
// in the thread of a summary message in the conversation where the command
// was typed, for everyone there to see. Where Pollen may not post (a
// channel it was not invited to, someone else's DM) they go to the caller's
// DM with Pollen instead, saying why. A cross-team rotation's report is of
// its teams' people on the projects they share (loadReport).
func (b *Bot) stats(ctx context.Context, c caller, _ Command) message {
	data, _, _, err := b.loadReport(ctx)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	now := b.now()
	s := data.Summarise(now)
	if s.Projects == 0 {
		return text("No projects yet, so no report. An admin adds one with `/pair project add &lt;name&gt;`.")
	}
	summary := summaryText(s)
	m := text(summary + "\nThe charts follow here in a moment.")
	m.then = func(ctx context.Context) {
		files, err := data.Charts(now)
		if err != nil {
			b.log.Error("stats: render charts", "user", c.ID, "err", err)
			return
		}
		// In a channel the thread opens with the figures (the ack showed
		// them to the caller only); in the DM with Pollen it need not
		// repeat them.
		post := text(fmt.Sprintf("%s\n_Asked for by <@%s>: the charts are in this thread._", summary, c.ID))
		if isIM(c.Channel) {
			post = text("Your team knowledge report: the charts are in this thread.")
		}
		ts, err := b.post(ctx, c.Channel, "", post)
		var refused slack.SlackErrorResponse
		switch {
		case errors.As(err, &refused):
			// Pollen may not post there: not invited, an announcement-only
			// or archived channel, someone else's DM. Nothing was posted, so
			// the DM gets all of it.
			b.log.Info("stats: cannot post where asked; sending to the DM", "user", c.ID, "channel", c.Channel, "err", refused.Err)
			err = b.uploadToDM(ctx, c.ID, files, fmt.Sprintf("I may not post in <#%s>, so your team knowledge report is here: the charts are in this thread. "+
				"To share it there, invite me with `/invite @Pollen` and ask again.", c.Channel))
		case err == nil:
			err = b.upload(ctx, c.Channel, ts, files, "")
		}
		if err != nil {
			b.log.Error("stats: upload charts", "user", c.ID, "err", err)
		}
	}
	return m
}

// loadReport reads the report of ctx's rotation in one snapshot: its
// people, and for a cross-team rotation (cross) its teams' people on the
// projects they share, with all, the whole workspace (report.LoadAll),
// for its teams × shared-projects chart.
func (b *Bot) loadReport(ctx context.Context) (data, all report.Data, cross bool, err error) {
	rot := store.RotationOf(ctx)
	err = b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if cross, err = isCrossTeam(r, rot); err != nil {
			return err
		}
		if !cross {
			data, err = report.Read(r)
			return err
		}
		if all, err = report.ReadAll(r); err != nil {
			return err
		}
		data, _ = all.Across(rot)
		return nil
	})
	return data, all, cross, err
}

// isIM reports whether a conversation ID is a direct message (Slack's IM IDs
// start with D).
func isIM(channel string) bool { return strings.HasPrefix(channel, "D") }

// export (admins) uploads the CSV export of the rotation (loadReport) to
// the caller's DM with Pollen, the files pollen export writes but for
// this rotation's people (pollen export covers every rotation).
func (b *Bot) export(ctx context.Context, c caller, _ Command) message {
	data, _, _, err := b.loadReport(ctx)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	now := b.now()
	m := text("Exporting sessions.csv, familiarity.csv, bus_factor.csv, roster.csv and outcomes.csv to your DM with me.")
	m.then = func(ctx context.Context) {
		files, err := report.CSVs(data, now)
		if err == nil {
			err = b.uploadToDM(ctx, c.ID, files, "Pollen export, "+now.UTC().Format("2006-01-02")+": the files are in this thread.")
		}
		if err != nil {
			b.log.Error("export: upload", "user", c.ID, "err", err)
		}
	}
	return m
}

// summaryText is the report's headline figures in mrkdwn.
func summaryText(s report.Summary) string {
	var riskiest []string
	for _, r := range s.Riskiest {
		riskiest = append(riskiest, fmt.Sprintf("%s (%d)", r.Name, r.BusFactor))
	}
	return fmt.Sprintf("*Team knowledge report*\n• Mean bus factor: %.2f over %d projects (target %d)\n• Projects at bus factor 1 or less: %d\n• Team truck factor: %d\n• Sessions done: %d; people in the rotation: %d\n• Riskiest: %s",
		s.MeanBusFactor, s.Projects, s.Target, s.AtRisk, s.TruckFactor, s.SessionsDone, s.PeopleInRotation, strings.Join(riskiest, ", ")) + outcomeText(s)
}

// outcomeText is the outcome measure's line of the report, when a session
// counts yet: overall, then per project.
func outcomeText(s report.Summary) string {
	if s.Outcome.Sessions == 0 {
		return ""
	}
	var per []string
	for name, o := range s.Outcomes {
		per = append(per, fmt.Sprintf("%s %d of %d", name, o.Followed, o.Sessions))
	}
	slices.Sort(per)
	return fmt.Sprintf("\n• Sessions followed by the learner's first commit within 30 days: %d of %d (%.0f%%): %s",
		s.Outcome.Followed, s.Outcome.Sessions, 100*s.Outcome.Share(), strings.Join(per, ", "))
}

// uploadToDM posts comment into the person's DM with Pollen, with the files
// in its thread.
func (b *Bot) uploadToDM(ctx context.Context, user string, files []report.File, comment string) error {
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		return fmt.Errorf("conversations.open: %w", err)
	}
	return b.sendFiles(ctx, ch.ID, "", text(comment), files)
}

// sendFiles posts m in a conversation and uploads the files into its
// thread; with threadTS, m is a reply in that thread and the files go
// beside it. The files hang off a message of our own rather than an
// upload's initial_comment, which is plain text. Reports and calendar
// files answer something the person asked or did, so they carry no
// Pause / Leave menu: that belongs on the messages Pollen starts.
func (b *Bot) sendFiles(ctx context.Context, channel, threadTS string, m message, files []report.File) error {
	ts, err := b.post(ctx, channel, threadTS, m)
	if err != nil {
		return err
	}
	if threadTS == "" {
		threadTS = ts
	}
	return b.upload(ctx, channel, threadTS, files, "")
}

// post sends m to a conversation (as a reply when threadTS is set) and
// returns its timestamp.
func (b *Bot) post(ctx context.Context, channel, threadTS string, m message) (string, error) {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	_, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", fmt.Errorf("chat.postMessage: %w", err)
	}
	return ts, nil
}

// upload sends files to a channel (in a thread when threadTS is set), the
// first with comment.
func (b *Bot) upload(ctx context.Context, channel, threadTS string, files []report.File, comment string) error {
	for i, f := range files {
		p := slack.UploadFileParameters{
			Reader: bytes.NewReader(f.Data), FileSize: len(f.Data), Filename: f.Name, Title: f.Title,
			Channel: channel, ThreadTimestamp: threadTS,
		}
		if i == 0 {
			p.InitialComment = comment
		}
		if _, err := b.api.UploadFileContext(ctx, p); err != nil {
			return fmt.Errorf("upload %s: %w", f.Name, err)
		}
	}
	return nil
}
