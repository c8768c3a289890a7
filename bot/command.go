package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// SkipKind says how long a skip lasts.
type SkipKind string

// Skip forms: the next round, a number of weeks, or until a date.
const (
	SkipNext  SkipKind = "next"
	SkipWeeks SkipKind = "weeks"
	SkipUntil SkipKind = "until"
)

// Command is a parsed /pair command. Only the fields its Verb uses are set.
type Command struct {
	Verb    Verb
	Cadence pairing.Cadence
	Skip    SkipKind
	Weeks   int
	Until   time.Time // a date, 00:00 UTC
	Hours   pairing.WorkingHours
	Project string
	Level   pairing.Declared
	Repo    string
	Users   []string // Slack user IDs from mentions
	// Channels are the channel IDs a cross-team rotation is across
	// (rotation start across #a #b).
	Channels []string
	// Projects are the project names of /pair rotation projects.
	Projects []string
	Link     string
	Kind     pairing.Kind
	Setting  string            // config: schedule, timezone, length, channel, admins
	Value    string            // config: the new value (cron, zone, minutes, channel ID)
	Range    pairing.DateRange // config holiday
}

// ParseError is a refusal: what was wrong, and the form that would work.
type ParseError struct {
	Reason string
	Usage  string
}

func (e *ParseError) Error() string { return e.Reason + ". Try: " + e.Usage }

func refuse(v Verb, format string, args ...any) error {
	return &ParseError{Reason: fmt.Sprintf(format, args...), Usage: Usage(v)}
}

// MaxCommandLen bounds what the parser reads; Slack's own limit is lower.
const MaxCommandLen = 4000

// Parse reads the text after "/pair". Every input gives either a command or
// a *ParseError with a one-line reason and the correct form; never a panic.
func Parse(text string) (Command, error) {
	if len(text) > MaxCommandLen {
		return Command{}, &ParseError{Reason: "that command is too long", Usage: Usage(VerbHelp)}
	}
	words, err := split(text)
	if err != nil {
		return Command{}, &ParseError{Reason: err.Error(), Usage: Usage(VerbHelp)}
	}
	if len(words) == 0 {
		return Command{Verb: VerbHelp}, nil
	}
	verb, args := strings.ToLower(words[0]), words[1:]
	if verb == "project" {
		if len(args) == 0 {
			return Command{}, &ParseError{Reason: "say what to do with the project", Usage: Usage(VerbProjectAdd) + ", " + Usage(VerbProjectRemove) + " or " + Usage(VerbProjectSync)}
		}
		verb, args = "project "+strings.ToLower(args[0]), args[1:]
	}
	if verb == "rotation" {
		if len(args) == 0 {
			return Command{}, &ParseError{Reason: "say what to do with the rotation", Usage: Usage(VerbRotationStart) + ", " + Usage(VerbRotationStop) + ", " + Usage(VerbRotationProjects) + " or " + Usage(VerbRotationList)}
		}
		verb, args = "rotation "+strings.ToLower(args[0]), args[1:]
	}
	if verb == "stats" && len(args) > 0 && strings.EqualFold(args[0], "all") {
		verb, args = "stats all", args[1:]
	}
	if verb == "round" {
		if len(args) == 0 || !strings.EqualFold(args[0], "now") {
			return Command{}, &ParseError{Reason: "say `now` to plan this week's round at once", Usage: Usage(VerbRoundNow)}
		}
		verb, args = "round now", args[1:]
	}
	cmd, ok := lookup(Verb(verb))
	if !ok {
		return Command{}, unknownVerb(verb)
	}
	c, err := cmd.parse(args)
	c.Verb = Verb(verb)
	return c, err
}

func unknownVerb(verb string) error {
	reason := fmt.Sprintf("%q is not a /pair command", clip(verb, 30))
	if s := suggest(verb); s != "" {
		return &ParseError{Reason: reason + fmt.Sprintf("; did you mean %q?", s), Usage: Usage(Verb(s))}
	}
	return &ParseError{Reason: reason, Usage: Usage(VerbHelp)}
}

// suggest returns the known verb closest to a mistyped one, if any is close.
func suggest(word string) string {
	best, bestD := "", 3
	if len(word) <= 3 {
		bestD = 2
	}
	for _, c := range commands {
		if d := editDistance(strings.ToLower(word), string(c.verb)); d < bestD {
			best, bestD = string(c.verb), d
		}
	}
	return best
}

func noArgs(v Verb) func([]string) (Command, error) {
	return func(args []string) (Command, error) {
		if len(args) > 0 {
			return Command{}, refuse(v, "%s takes nothing after it", v)
		}
		return Command{}, nil
	}
}

func parseJoin(args []string) (Command, error) {
	switch len(args) {
	case 0:
		return Command{Cadence: pairing.Weekly}, nil
	case 1:
		c, err := pairing.ParseCadence(args[0])
		if err != nil {
			return Command{}, refuse(VerbJoin, "%q is not a cadence", clip(args[0], 20))
		}
		return Command{Cadence: c}, nil
	}
	return Command{}, refuse(VerbJoin, "join takes at most one word")
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func parseSkip(args []string) (Command, error) {
	lower := make([]string, len(args))
	for i, a := range args {
		lower[i] = strings.ToLower(a)
	}
	switch {
	case len(args) == 0 || (len(args) == 1 && lower[0] == "next"):
		return Command{Skip: SkipNext}, nil
	case len(args) == 2 && (lower[1] == "weeks" || lower[1] == "week"):
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 1 || n > 52 {
			return Command{}, refuse(VerbSkip, "%q is not a number of weeks from 1 to 52", clip(args[0], 20))
		}
		return Command{Skip: SkipWeeks, Weeks: n}, nil
	case len(args) == 2 && lower[0] == "until":
		d, err := time.Parse("2006-01-02", args[1])
		if !dateRE.MatchString(args[1]) || err != nil {
			return Command{}, refuse(VerbSkip, "%q is not a date", clip(args[1], 20))
		}
		return Command{Skip: SkipUntil, Until: d}, nil
	}
	return Command{}, refuse(VerbSkip, "I could not read how long to skip")
}

func parseHours(args []string) (Command, error) {
	if len(args) != 1 {
		return Command{}, refuse(VerbHours, "give your hours as one range")
	}
	h, err := pairing.ParseWorkingHours(args[0])
	if err != nil {
		return Command{}, refuse(VerbHours, "%q is not a time range with the end after the start", clip(args[0], 20))
	}
	return Command{Hours: h}, nil
}

func projectArg(v Verb, s string) (string, error) {
	name, err := pairing.ProjectName(s)
	if err != nil {
		return "", &ParseError{Reason: pairing.ErrorMessage(err), Usage: Usage(v)}
	}
	return name, nil
}

func parseKnow(args []string) (Command, error) {
	if len(args) < 1 || len(args) > 2 {
		return Command{}, refuse(VerbKnow, "name one project, then optionally a level")
	}
	name, err := projectArg(VerbKnow, args[0])
	if err != nil {
		return Command{}, err
	}
	c := Command{Project: name, Level: pairing.Some}
	if len(args) == 2 {
		lvl, err := pairing.ParseDeclared(strings.ToLower(args[1]))
		if err != nil {
			return Command{}, refuse(VerbKnow, "%q is not a level", clip(args[1], 20))
		}
		c.Level = lvl
	}
	return c, nil
}

func oneProject(v Verb, args []string, optional bool) (Command, error) {
	if len(args) == 0 && optional {
		return Command{}, nil
	}
	if len(args) != 1 {
		return Command{}, refuse(v, "name one project")
	}
	name, err := projectArg(v, args[0])
	return Command{Project: name}, err
}

func parseWho(args []string) (Command, error) { return oneProject(VerbWho, args, false) }
func parseProjectRemove(args []string) (Command, error) {
	return oneProject(VerbProjectRemove, args, false)
}
func parseProjectSync(args []string) (Command, error) {
	return oneProject(VerbProjectSync, args, false)
}
func parseNow(args []string) (Command, error) { return oneProject(VerbNow, args, true) }

func parseProjectAdd(args []string) (Command, error) {
	if len(args) == 0 {
		return Command{}, refuse(VerbProjectAdd, "name the project")
	}
	name, err := projectArg(VerbProjectAdd, args[0])
	if err != nil {
		return Command{}, err
	}
	c := Command{Project: name}
	for _, a := range args[1:] {
		if id, ok := mention(a); ok {
			c.Users = appendUnique(c.Users, id)
			continue
		}
		if c.Repo != "" {
			return Command{}, refuse(VerbProjectAdd, "%q is neither a repository URL nor an @mention", clip(a, 40))
		}
		repo, err := pairing.RepoURL(link(a))
		if err != nil {
			return Command{}, &ParseError{Reason: pairing.ErrorMessage(err), Usage: Usage(VerbProjectAdd)}
		}
		c.Repo = repo
	}
	return c, nil
}

func parseReview(args []string) (Command, error) {
	if len(args) < 1 || len(args) > 2 {
		return Command{}, refuse(VerbReview, "name one project, then optionally a link")
	}
	name, err := projectArg(VerbReview, args[0])
	if err != nil {
		return Command{}, err
	}
	c := Command{Project: name}
	if len(args) == 2 {
		l := link(args[1])
		if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
			return Command{}, refuse(VerbReview, "%q is not a link", clip(args[1], 40))
		}
		c.Link = l
	}
	return c, nil
}

func parseLog(args []string) (Command, error) {
	if len(args) < 2 || len(args) > 3 {
		return Command{}, refuse(VerbLog, "say who you paired with and on which project")
	}
	id, ok := mention(args[0])
	if !ok {
		return Command{}, refuse(VerbLog, "start with an @mention of the person you paired with")
	}
	name, err := projectArg(VerbLog, args[1])
	if err != nil {
		return Command{}, err
	}
	c := Command{Users: []string{id}, Project: name, Kind: pairing.Pair}
	if len(args) == 3 {
		switch k := pairing.Kind(strings.ToLower(args[2])); k {
		case pairing.Pair, pairing.Review:
			c.Kind = k
		default:
			return Command{}, refuse(VerbLog, "%q is not a session kind", clip(args[2], 20))
		}
	}
	return c, nil
}

// optionalMention reads nothing or one @mention.
func optionalMention(v Verb) func([]string) (Command, error) {
	return func(args []string) (Command, error) {
		switch len(args) {
		case 0:
			return Command{}, nil
		case 1:
			if id, ok := mention(args[0]); ok {
				return Command{Users: []string{id}}, nil
			}
		}
		return Command{}, refuse(v, "name at most one person, as an @mention")
	}
}

func parseUnavoid(args []string) (Command, error) {
	if len(args) == 1 {
		if id, ok := mention(args[0]); ok {
			return Command{Users: []string{id}}, nil
		}
	}
	return Command{}, refuse(VerbUnavoid, "name one person, as an @mention")
}

func parseHistory(args []string) (Command, error) {
	switch len(args) {
	case 0:
		return Command{}, nil
	case 1:
		if id, ok := mention(args[0]); ok {
			return Command{Users: []string{id}}, nil
		}
	}
	return Command{}, refuse(VerbHistory, "name at most one person, as an @mention")
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
