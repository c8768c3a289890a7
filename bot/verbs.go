package bot

import (
	"context"
	"fmt"
	"strings"
)

// Verb names a /pair command.
type Verb string

// The /pair commands of PRODUCT.md.
const (
	VerbHelp          Verb = "help"
	VerbJoin          Verb = "join"
	VerbLeave         Verb = "leave"
	VerbSkip          Verb = "skip"
	VerbResume        Verb = "resume"
	VerbHours         Verb = "hours"
	VerbKnow          Verb = "know"
	VerbMe            Verb = "me"
	VerbWho           Verb = "who"
	VerbProjects      Verb = "projects"
	VerbProjectAdd    Verb = "project add"
	VerbProjectRemove Verb = "project remove"
	VerbProjectSync   Verb = "project sync"
	VerbNow           Verb = "now"
	VerbReview        Verb = "review"
	VerbLog           Verb = "log"
	VerbStats         Verb = "stats"
	VerbStatsAll      Verb = "stats all"
	VerbHistory       Verb = "history"
	VerbExport        Verb = "export"
	VerbConfig        Verb = "config"
	VerbWhy           Verb = "why"
	VerbAvoid         Verb = "avoid"
	VerbUnavoid       Verb = "unavoid"
	VerbRoster        Verb = "roster"
	VerbRoundNow      Verb = "round now"
	VerbRotationStart Verb = "rotation start"
	VerbRotationStop  Verb = "rotation stop"
	VerbRotationList  Verb = "rotation list"
	// VerbRotationProjects lists or sets the projects a rotation works on.
	VerbRotationProjects Verb = "rotation projects"
)

// whoMay says who may run a command (see guests.go for why guests may run
// what they may).
type whoMay int

const (
	// anyone: members and guests of the workspace.
	anyone whoMay = iota
	// membersOnly: not guests; the command shows the team.
	membersOnly
	// guestsAboutSelf: guests too, when they name nobody but themselves.
	guestsAboutSelf
	// admins: the workspace's admins and owners, and the people named
	// with /pair config admins; never guests.
	admins
	// workspaceAdmins: the workspace's admins and owners only, for what
	// covers every rotation (a rotation's own admins run its commands).
	workspaceAdmins
)

// command is one /pair verb: its correct form (shown with every refusal),
// what it does (for /pair help), who may run it, how its words are read
// and what runs it. Adding a command is adding one entry to commands.
type command struct {
	verb  Verb
	form  string
	what  string
	who   whoMay
	parse func(args []string) (Command, error)
	run   func(b *Bot, ctx context.Context, c caller, cmd Command) message
}

// commands is every /pair command, in the order /pair help lists them
// within each group (everyone's, then the admins'). It is filled in init:
// its parsers and handlers name it (each refusal carries its command's
// form), which Go does not allow a package-level initialiser to do.
var commands []command

// helpMessage is /pair help; it never changes, so it is built once.
var helpMessage message

func init() {
	commands = []command{
		{VerbJoin, "/pair join [weekly|biweekly]", "join the rotation (weekly unless you say biweekly)", anyone, parseJoin, (*Bot).join},
		{VerbLeave, "/pair leave", "leave the rotation; your history is kept", anyone, noArgs(VerbLeave), (*Bot).leave},
		{VerbSkip, "/pair skip [next | N weeks | until YYYY-MM-DD]", "sit out rounds", anyone, parseSkip, (*Bot).skip},
		{VerbResume, "/pair resume", "come back early from a skip", anyone, noArgs(VerbResume), (*Bot).resume},
		{VerbHours, "/pair hours 09:00-17:00", "your working hours, in your own time zone", anyone, parseHours, (*Bot).hours},
		{VerbKnow, "/pair know <project> [expert|some|none]", "say how well you know a project", anyone, parseKnow, (*Bot).know},
		{VerbMe, "/pair me", "your next session, your history, what you know and could learn", anyone, noArgs(VerbMe), (*Bot).me},
		{VerbWho, "/pair who <project>", "who knows a project, and its bus factor", membersOnly, parseWho, (*Bot).who},
		{VerbProjects, "/pair projects", "all projects, riskiest first", membersOnly, noArgs(VerbProjects), (*Bot).projects},
		{VerbProjectAdd, "/pair project add <name> [repo-url] [@owner …]", "add a project", admins, parseProjectAdd, (*Bot).projectAdd},
		{VerbProjectRemove, "/pair project remove <name>", "retire a project; its history is kept", admins, parseProjectRemove, (*Bot).projectRemove},
		{VerbProjectSync, "/pair project sync <name>", "import the new commits of a project's repository", admins, parseProjectSync, (*Bot).projectSync},
		{VerbNow, "/pair now [project]", "find a partner for a session right now", anyone, parseNow, (*Bot).now_},
		{VerbReview, "/pair review <project> [link]", "ask for a review by someone who is learning the project", anyone, parseReview, (*Bot).review},
		{VerbLog, "/pair log @someone <project> [pair|review]", "record a session held outside the schedule", anyone, parseLog, (*Bot).logSession},
		{VerbStats, "/pair stats", "the team's knowledge report", membersOnly, noArgs(VerbStats), (*Bot).stats},
		{VerbHistory, "/pair history [@someone]", "recent sessions", guestsAboutSelf, parseHistory, (*Bot).history},
		{VerbStatsAll, "/pair stats all", "every rotation's knowledge report, a section each (workspace admins)", workspaceAdmins, noArgs(VerbStatsAll), (*Bot).statsAll},
		{VerbExport, "/pair export", "sessions and familiarity as CSV files", admins, noArgs(VerbExport), (*Bot).export},
		{VerbWhy, "/pair why [@someone]", "why you got the partner you got last round, or why you sat out", guestsAboutSelf, optionalMention(VerbWhy), (*Bot).why},
		{VerbAvoid, "/pair avoid [@someone]", "never be paired with someone (private; at most 3); alone, lists yours", anyone, optionalMention(VerbAvoid), (*Bot).avoid},
		{VerbUnavoid, "/pair unavoid @someone", "take someone off your avoid list", anyone, parseUnavoid, (*Bot).unavoid},
		{VerbRoster, "/pair roster", "everyone's status, cadence, hours, last session, and why anyone is left out", admins, noArgs(VerbRoster), (*Bot).roster},
		{VerbRoundNow, "/pair round now", "plan this week's round at once instead of waiting for the schedule", admins, noArgs(VerbRoundNow), (*Bot).roundNow},
		{VerbRotationStart, "/pair rotation start [weekly|biweekly] [DAY HH:MM] | across #a #b …", "start this channel's own rotation (or a cross-team one across those channels' rotations)", admins, parseRotationStart, (*Bot).rotationStart},
		{VerbRotationStop, "/pair rotation stop", "stop this channel's rotation; its history is kept", admins, noArgs(VerbRotationStop), (*Bot).rotationStop},
		{VerbRotationProjects, "/pair rotation projects [add|remove|set <project> … | set all]", "the projects this channel's rotation works on (none listed: every project); a cross-team rotation pairs on those more than one of its teams lists", admins, parseRotationProjects, (*Bot).rotationProjects},
		{VerbRotationList, "/pair rotation list", "every rotation: channel, members, schedule, next round", membersOnly, noArgs(VerbRotationList), (*Bot).rotationList},
		{VerbConfig, `/pair config schedule "<cron>" | timezone <IANA> | length <minutes> | channel #c | admins @a @b | holiday [list | remove] YYYY-MM-DD..YYYY-MM-DD | roster channel|opt-in`, "team settings; typed in a rotation's channel, that rotation's (which is why `roster channel`, making the channel's members its roster, is a setting here)", admins, parseConfig, (*Bot).config},
		{VerbHelp, "/pair help", "this list", anyone, noArgs(VerbHelp), (*Bot).help},
	}
	helpMessage = buildHelp()
}

// lookup finds a verb's entry.
func lookup(v Verb) (command, bool) {
	for _, c := range commands {
		if c.verb == v {
			return c, true
		}
	}
	return command{}, false
}

// Usage returns the correct form of a command.
func Usage(v Verb) string {
	if c, ok := lookup(v); ok {
		return c.form
	}
	return "/pair help"
}

// IsAdmin reports whether a command is for admins only.
func (v Verb) IsAdmin() bool {
	c, ok := lookup(v)
	return ok && c.who >= admins
}

func (b *Bot) help(context.Context, caller, Command) message { return helpMessage }

func buildHelp() message {
	var sb strings.Builder
	sb.WriteString("*Pollen* proposes pair and review sessions that spread knowledge of our codebases.\n\n*Everyone*\n")
	for _, admin := range []bool{false, true} {
		if admin {
			sb.WriteString("\n*Admins*\n")
		}
		for _, c := range commands {
			if (c.who >= admins) == admin {
				fmt.Fprintf(&sb, "• `%s` — %s\n", escape(c.form), c.what)
			}
		}
	}
	sb.WriteString("\nYou can also write *help*, *skip*, *pause* or *stop* to me in a DM.")
	return text(strings.TrimSpace(sb.String()))
}
