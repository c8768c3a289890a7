package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// know records what the caller says they know, as an event in the log.
func (b *Bot) know(ctx context.Context, c caller, cmd Command) message {
	e := pairing.Event{ID: store.NewID(), At: b.now(), Kind: pairing.EventDeclared, Project: cmd.Project,
		Person: c.ID, Level: b.model.Level(cmd.Level)}
	f := e.Level
	_, err := b.db.Apply(ctx, func(r store.Reader) (store.Change, error) { return declare(r, e) })
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	verdict := "you don't count as knowing it yet; sessions will get you there"
	if f >= b.model.KnowsAt {
		verdict = "you count as knowing it, so you may host sessions on it"
	}
	return text(fmt.Sprintf("Noted: you know *%s* at level %s (familiarity %.2f): %s.", cmd.Project, cmd.Level, f, verdict))
}

// declare records what someone says they know of a live project; they
// must be on the roster.
func declare(r store.Reader, e pairing.Event) (store.Change, error) {
	p, err := r.Person(e.Person)
	switch {
	case errors.Is(err, pairing.ErrNotFound) || (err == nil && p.Status == pairing.Left):
		return store.Change{}, errNotInRoster
	case err != nil:
		return store.Change{}, err
	}
	proj, err := r.Project(e.Project)
	switch {
	case errors.Is(err, pairing.ErrNotFound) || (err == nil && proj.Retired):
		return store.Change{}, errNoProject(e.Project)
	case err != nil:
		return store.Change{}, err
	}
	return store.Change{Events: []pairing.Event{e}}, nil
}

// projectRisk is a live project with their bus factor, riskiest first.
type projectRisk struct {
	name      string
	busFactor int
}

func (t team) risks(at time.Time) []projectRisk {
	var out []projectRisk
	for _, p := range t.projects {
		if !p.Retired {
			out = append(out, projectRisk{p.Name, t.knowledge.BusFactor(p.Name, t.people, at)})
		}
	}
	slices.SortFunc(out, func(a, b projectRisk) int {
		return cmp.Or(cmp.Compare(a.busFactor, b.busFactor), cmp.Compare(a.name, b.name))
	})
	return out
}

func (b *Bot) projects(ctx context.Context, _ caller, _ Command) message {
	t, err := b.loadTeam(ctx)
	if err != nil {
		return b.userError(err)
	}
	risks := t.risks(b.now())
	if len(risks) == 0 {
		return text("No projects yet. An admin adds one with `/pair project add &lt;name&gt; [repo-url] [@owner …]`.")
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "*Projects, riskiest first* (bus factor = how many people could leave before it is more likely unknown than known; target %d)\n", t.settings.TargetBusFactor)
	for _, r := range risks {
		fmt.Fprintf(&sb, "• *%s*: %d%s\n", r.name, r.busFactor, riskMark(r.busFactor, t.settings.TargetBusFactor))
	}
	return text(strings.TrimSpace(sb.String()))
}

func riskMark(bf, target int) string {
	switch {
	case bf == 0:
		return " — nobody knows it"
	case bf == 1:
		return " — one person away from nobody"
	case bf < target:
		return " — below target"
	}
	return ""
}

// who shows who knows a project, its bus factor now and four weeks ago.
func (b *Bot) who(ctx context.Context, _ caller, cmd Command) message {
	t, err := b.loadTeam(ctx)
	if err != nil {
		return b.userError(err)
	}
	proj, ok := t.project(cmd.Project)
	if !ok {
		if _, err := b.db.Project(ctx, cmd.Project); err == nil { // the workspace's, not this rotation's
			return b.userError(pairing.Errorf(pairing.CodeNotFound, "*%s* is not among the projects this rotation works on. `/pair projects` lists them.", cmd.Project))
		}
		return b.userError(errNoProject(cmd.Project))
	}
	now := b.now()
	knowers := t.knowledge.Knowers(proj.Name, t.people, now)
	var sb strings.Builder
	fmt.Fprintf(&sb, "*%s*", proj.Name)
	if proj.Retired {
		sb.WriteString(" (retired)")
	}
	bf := t.knowledge.BusFactor(proj.Name, t.people, now)
	fmt.Fprintf(&sb, ": bus factor %d%s (%s).\n", bf, riskMark(bf, t.settings.TargetBusFactor), t.trend(proj, bf, now))
	if len(knowers) == 0 {
		sb.WriteString("Nobody knows it yet.")
	} else {
		sb.WriteString("Knows it: ")
		parts := make([]string, len(knowers))
		for i, id := range knowers {
			parts[i] = fmt.Sprintf("%s (%.2f, %s)", who(id), t.knowledge.F(id, proj.Name, now), t.knowledge.Origin(id, proj.Name))
		}
		sb.WriteString(strings.Join(parts, ", "))
	}
	var learning []string
	for _, p := range t.people {
		if f := t.knowledge.F(p.ID, proj.Name, now); pairing.OnTeam(p) && f > 0 && f < b.model.KnowsAt {
			learning = append(learning, fmt.Sprintf("%s (%.2f, %s)", who(p.ID), f, t.knowledge.Origin(p.ID, proj.Name)))
		}
	}
	if len(learning) > 0 {
		sb.WriteString("\nLearning it: " + strings.Join(learning, ", "))
	}
	var taught []string
	for _, e := range pairing.TaughtBy(t.events) {
		if e.Project == proj.Name {
			taught = append(taught, describeTaught(e))
		}
	}
	if len(taught) > 0 {
		sb.WriteString("\nSessions that led to commits: " + strings.Join(taught, "; "))
	}
	return text(sb.String())
}

// describeTaught says one piece of evidence that a session taught
// something: "<@CY>: first commit 9 days after pairing with <@ANA>".
func describeTaught(e pairing.Taught) string {
	with := "pairing with " + who(e.Host)
	if e.Kind == pairing.Review {
		with = "a review with " + who(e.Host)
	}
	when := "the same day as"
	if d := int(e.CommitAt.Sub(e.SessionAt) / (24 * time.Hour)); d == 1 {
		when = "1 day after"
	} else if d > 1 {
		when = fmt.Sprintf("%d days after", d)
	}
	return fmt.Sprintf("%s: first commit %s %s", who(e.Person), when, with)
}

// trend compares a project's bus factor now with four weeks ago, or, for a
// project whose history is younger than that, says when it began: a
// project added today was not at 0 four weeks ago, it did not exist.
func (t team) trend(proj pairing.Project, now int, at time.Time) string {
	ago := at.AddDate(0, 0, -28)
	if start := proj.Start(t.events); start.After(ago) {
		return fmt.Sprintf("new since %s, too new for a four-week trend", start.In(time.UTC).Format("2 January"))
	}
	before := t.busFactorAt(proj.Name, ago)
	switch {
	case now > before:
		return fmt.Sprintf("up from %d four weeks ago", before)
	case now < before:
		return fmt.Sprintf("down from %d four weeks ago", before)
	}
	return "unchanged over four weeks"
}

// me: the caller's next session, history count, knowledge and what next.
func (b *Bot) me(ctx context.Context, c caller, _ Command) message {
	t, sessions, err := b.loadTeamAndSessions(ctx)
	if err != nil {
		return b.userError(err, "user", c.ID)
	}
	p, ok := t.person(c.ID)
	if !ok {
		return b.userError(errNotInRoster)
	}
	return text(b.describePerson(t, p, sessions))
}

// describePerson is the text of /pair me and of the App Home.
func (b *Bot) describePerson(t team, p pairing.Person, sessions []pairing.Session) string {
	now := b.now()
	var sb strings.Builder
	switch {
	case p.Status == pairing.Left:
		sb.WriteString("You've left the rotation; `/pair join` brings you back.\n")
	case p.Status == pairing.Paused && !p.ActiveAt(now):
		sb.WriteString(t.rounds.away(p, now, false) + "\n")
	default:
		fmt.Fprintf(&sb, "You're in the rotation, %s; your hours are %s (%s).\n", p.Cadence, p.Hours, escape(p.TZ))
		if away := t.rounds.away(p, now, false); away != "" {
			sb.WriteString(away + "\n")
		}
	}
	done := 0
	var next *pairing.Session
	for i, s := range sessions {
		if !s.Has(p.ID) {
			continue
		}
		if s.State == pairing.Done {
			done++
		}
		if (s.State == pairing.Proposed || s.State == pairing.Accepted) && s.Slot.After(now) && (next == nil || s.Slot.Before(next.Slot)) {
			next = &sessions[i]
		}
	}
	if next != nil {
		fmt.Fprintf(&sb, "*Next session:* %s on *%s* with %s", next.Kind, next.Project, others(*next, p.ID))
		if !next.Slot.IsZero() {
			fmt.Fprintf(&sb, ", %s", when(next.Slot, loadLocation(p.TZ)))
		}
		sb.WriteString(".\n")
	} else {
		sb.WriteString("*Next session:* none planned yet.\n")
	}
	fmt.Fprintf(&sb, "*Sessions done:* %d\n", done)
	var knows, learning []string
	for _, proj := range t.projects {
		if proj.Retired {
			continue
		}
		if f := t.knowledge.F(p.ID, proj.Name, now); f >= b.model.KnowsAt {
			knows = append(knows, fmt.Sprintf("%s (%.2f)", proj.Name, f))
		} else if f > 0 {
			learning = append(learning, fmt.Sprintf("%s (%.2f)", proj.Name, f))
		}
	}
	fmt.Fprintf(&sb, "*You know:* %s\n", listOr(knows, "nothing declared yet: `/pair know &lt;project&gt; expert`"))
	if len(learning) > 0 {
		fmt.Fprintf(&sb, "*You're learning:* %s\n", strings.Join(learning, ", "))
	}
	var could []string
	for _, r := range t.risks(now) {
		if !t.knowledge.Knows(p.ID, r.name, now) && r.busFactor > 0 && len(could) < 3 {
			could = append(could, fmt.Sprintf("%s (bus factor %d)", r.name, r.busFactor))
		}
	}
	fmt.Fprintf(&sb, "*You could learn next:* %s", listOr(could, "nothing waiting: you know every project someone can teach"))
	return sb.String()
}

func others(s pairing.Session, me string) string {
	var out []string
	for _, id := range s.Participants() {
		if id != me {
			out = append(out, who(id))
		}
	}
	return strings.Join(out, " and ")
}

func listOr(items []string, empty string) string {
	if len(items) == 0 {
		return empty
	}
	return strings.Join(items, ", ")
}

// history lists the last ten sessions of the caller or of someone else.
func (b *Bot) history(ctx context.Context, c caller, cmd Command) message {
	subject := c.ID
	if len(cmd.Users) == 1 {
		subject = cmd.Users[0]
	}
	sessions, err := b.db.Sessions(ctx)
	if err != nil {
		return b.userError(err)
	}
	var mine []pairing.Session
	for _, s := range sessions {
		if s.Has(subject) {
			mine = append(mine, s)
		}
	}
	if len(mine) == 0 {
		return text(fmt.Sprintf("No sessions for %s yet.", who(subject)))
	}
	slices.Reverse(mine) // newest first
	var sb strings.Builder
	fmt.Fprintf(&sb, "*Recent sessions of %s*\n", who(subject))
	for i, s := range mine {
		if i == 10 {
			fmt.Fprintf(&sb, "…and %d older.", len(mine)-10)
			break
		}
		at := s.CreatedAt
		if !s.DoneAt.IsZero() {
			at = s.DoneAt
		}
		role := "learned"
		if s.Host == subject {
			role = "hosted"
		}
		fmt.Fprintf(&sb, "• %s: %s *%s* (%s) with %s — %s\n", at.Format("2006-01-02"), role, s.Project, s.Kind, others(s, subject), s.State)
	}
	return text(strings.TrimSpace(sb.String()))
}
