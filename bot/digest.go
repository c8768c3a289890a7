package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pollen-team/pollen/internal/report"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// digestMessage is the weekly post to the team channel: sessions done and
// skipped since the previous digest, projects whose bus factor changed
// this week, the riskiest now. A cross-team rotation's digest counts its
// teams' people on the projects they share, and says which teams know
// each of those projects.
func (b *Bot) digestMessage(ctx context.Context, week string) (message, error) {
	var t team
	var sessions []pairing.Session
	var all report.Data
	cross := false
	err := b.db.Snapshot(ctx, func(r store.Reader) (err error) {
		if t, err = b.teamIn(r); err != nil {
			return err
		}
		if sessions, err = r.Sessions(); err != nil {
			return err
		}
		if cross, err = isCrossTeam(r, store.RotationOf(ctx)); err != nil || !cross {
			return err
		}
		all, err = report.ReadAll(r)
		return err
	})
	if err != nil {
		return message{}, err
	}
	if x, ok := all.Across(store.RotationOf(ctx)); cross && ok {
		t.people, t.projects = x.People, x.Projects
	}
	monday, err := pairing.ParseRoundID(week)
	if err != nil {
		return message{}, err
	}
	from, to := digestWindow(t.settings, monday)
	done, skipped := 0, 0
	rot := store.RotationOf(ctx)
	for _, s := range sessions {
		// A session counts in the digest whose span holds the moment it
		// ended: a rating given later moves UpdatedAt, not EndTime.
		at := s.EndTime()
		if at.IsZero() || at.Before(from) || !at.Before(to) || !t.countsIn(rot, s) {
			continue
		}
		switch s.State {
		case pairing.Done:
			done++
		case pairing.Skipped, pairing.Cancelled:
			skipped++
		}
	}
	now := b.now()
	var changed []string
	starts := pairing.Starts(t.projects, t.events)
	for _, p := range t.projects {
		if p.Retired {
			continue
		}
		before, after := t.busFactorAt(p.Name, monday), t.knowledge.BusFactor(p.Name, t.people, now)
		if !starts[p.Name].Before(monday) {
			// A project that began this week did not drop from anything.
			changed = append(changed, fmt.Sprintf("%s new → %d", p.Name, after))
		} else if before != after {
			changed = append(changed, fmt.Sprintf("%s %d → %d", p.Name, before, after))
		}
	}
	var riskiest []string
	for i, r := range t.risks(now) {
		if i == 3 {
			break
		}
		riskiest = append(riskiest, fmt.Sprintf("%s (%d)", r.name, r.busFactor))
	}
	body := fmt.Sprintf("*Pollen digest, %s*\n• Sessions done: %d; skipped or cancelled: %d\n• Bus factor changes: %s\n• Riskiest now: %s",
		week, done, skipped, listOr(changed, "none this week"), listOr(riskiest, "no projects yet"))
	var taught []string
	for _, e := range pairing.TaughtBy(t.events) {
		// Dated at the commit: a commit synced after its digest went out
		// is not listed later.
		if !e.CommitAt.Before(from) && e.CommitAt.Before(to) {
			taught = append(taught, e.Project+": "+describeTaught(e))
		}
	}
	if len(taught) > 0 {
		body += "\n• First commits after sessions this week: " + strings.Join(taught, "; ")
	}
	if cross {
		body += "\n• Shared projects, and the teams that know them: " + spreadText(all, store.RotationOf(ctx), now)
	}
	return text(body), nil
}

// countsIn reports whether session s counts in rotation rot's digest, t
// being rot's team (pairing.CountsIn).
func (t team) countsIn(rot string, s pairing.Session) bool {
	return pairing.CountsIn(rot, s, func(id string) bool { _, ok := t.person(id); return ok })
}

// spreadText is a cross-team rotation's shared projects, each with how
// many of its teams know it and which.
func spreadText(all report.Data, rot string, now time.Time) string {
	teams, _, _ := all.CrossTeam(rot)
	var out []string
	for _, s := range all.SharedSpread(rot, now) {
		var in []string
		for _, id := range s.KnownIn {
			in = append(in, "<#"+id+">")
		}
		line := fmt.Sprintf("%s %d of %d", escape(s.Project), len(s.KnownIn), len(teams))
		if len(in) > 0 {
			line += " (" + strings.Join(in, ", ") + ")"
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return "none: the teams list no project in common"
	}
	return strings.Join(out, "; ")
}

// digestCharts are the charts in the digest's thread: the bus factor
// chart (of the rotation's people; for a cross-team rotation, of its
// teams' people on the projects they share), and for a cross-team
// rotation the teams × shared-projects chart, each team named after its
// channel.
func (b *Bot) digestCharts(ctx context.Context) ([]report.File, error) {
	rot := store.RotationOf(ctx)
	data, all, cross, err := b.loadReport(ctx)
	if err != nil {
		return nil, err
	}
	now := b.now()
	bf, err := data.BusFactorChart(now)
	if err != nil || !cross {
		return []report.File{bf}, err
	}
	names := map[string]string{}
	teams, _, _ := all.CrossTeam(rot)
	for _, t := range teams {
		names[t.Name] = b.channelLabel(ctx, t.Name)
	}
	shared, _, err := all.SharedChart(rot, func(id string) string { return names[id] }, now)
	if err != nil {
		return nil, err
	}
	return []report.File{bf, shared}, nil
}

// channelLabel is how a chart names a channel: "#" and its name
// (conversations.info), or its ID when Slack will not say.
func (b *Bot) channelLabel(ctx context.Context, id string) string {
	info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: id})
	if err != nil || info.Name == "" {
		b.log.Warn("digest: channel name unknown; the chart shows its ID", "channel", id, "err", err)
		return "#" + id
	}
	return "#" + info.Name
}

// digestWindow is the span reported on by the digest of the week starting
// on monday (00:00 UTC, as pairing.ParseRoundID gives it): from the
// previous digest's instant up to this digest's, both read from the
// team's digest schedule, so every session that ends falls in exactly one
// digest, whenever the digest is actually sent. This digest's instant is
// the first one of its week (the scheduler sends one digest per week, at
// the first instant due); the previous is the first instant of the latest
// earlier week that has one. Without a usable schedule the span is the
// week itself, Monday to Monday in UTC.
func digestWindow(settings pairing.TeamSettings, monday time.Time) (from, to time.Time) {
	sched, err := pairing.ParseSchedule(settings.Digest, settings.TimeZone)
	if err != nil {
		return monday, monday.AddDate(0, 0, 7)
	}
	loc := sched.Location()
	start := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc)
	first := func(weekStart time.Time) time.Time { return sched.Next(weekStart.Add(-time.Second)) }
	to = first(start)
	if to.IsZero() || !to.Before(start.AddDate(0, 0, 7)) {
		to = start.AddDate(0, 0, 7) // the schedule changed since this digest was queued
	}
	for back := 1; back <= 53; back++ {
		if t := first(start.AddDate(0, 0, -7*back)); !t.IsZero() && t.Before(start) {
			return t, to
		}
	}
	return start.AddDate(0, 0, -7), to
}
