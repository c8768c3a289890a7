package bot

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/report"
)

// stats answers at once with the headline figures, then renders the four
// charts and uploads them to the caller's DM with Pollen through Slack's
// external upload flow (files.getUploadURLExternal, the upload,
// files.completeUploadExternal).
func (b *Bot) stats(_ context.Context, c caller, _ Command) message {
	data, err := report.Load(b.db)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	now := b.now()
	s := data.Summarise(now)
	if s.Projects == 0 {
		return text("No projects yet, so no report. An admin adds one with `/pair project add &lt;name&gt;`.")
	}
	m := text(summaryText(s) + "\nThe charts are on their way to your DM with me.")
	m.then = func(ctx context.Context) {
		files, err := data.Charts(now)
		if err != nil {
			b.log.Error("stats: render charts", "user", c.ID, "err", err)
			return
		}
		if err := b.uploadToDM(ctx, c.ID, files, "Your team knowledge report: the charts are in this thread."); err != nil {
			b.log.Error("stats: upload charts", "user", c.ID, "err", err)
		}
	}
	return m
}

// export (admins) uploads the CSV export to the caller's DM with Pollen:
// the same files as pollen export.
func (b *Bot) export(_ context.Context, c caller, _ Command) message {
	data, err := report.Load(b.db)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	now := b.now()
	m := text("Exporting sessions.csv, familiarity.csv, bus_factor.csv and roster.csv to your DM with me.")
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
		s.MeanBusFactor, s.Projects, s.Target, s.AtRisk, s.TruckFactor, s.SessionsDone, s.PeopleInRotation, strings.Join(riskiest, ", "))
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

// sendFiles posts m in a conversation with people, with the way-out menu
// every message to a person carries, and uploads the files into its
// thread; with threadTS, m is a reply in that thread and the files go
// beside it. An upload's own comment (initial_comment) is plain text and
// cannot carry the menu; Slack documents an upload's blocks only as rich
// text, so the menu goes on a message of our own.
func (b *Bot) sendFiles(ctx context.Context, channel, threadTS string, m message, files []report.File) error {
	m = withWayOut(m)
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	_, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return fmt.Errorf("chat.postMessage: %w", err)
	}
	if threadTS == "" {
		threadTS = ts
	}
	return b.upload(ctx, channel, threadTS, files, "")
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
