package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Command
	}{
		{"", Command{Verb: VerbHelp}},
		{"  help ", Command{Verb: VerbHelp}},
		{"join", Command{Verb: VerbJoin, Cadence: pairing.Weekly}},
		{"JOIN Biweekly", Command{Verb: VerbJoin, Cadence: pairing.Biweekly}},
		{"leave", Command{Verb: VerbLeave}},
		{"skip", Command{Verb: VerbSkip, Skip: SkipNext}},
		{"skip next", Command{Verb: VerbSkip, Skip: SkipNext}},
		{"skip 3 weeks", Command{Verb: VerbSkip, Skip: SkipWeeks, Weeks: 3}},
		{"skip 1 week", Command{Verb: VerbSkip, Skip: SkipWeeks, Weeks: 1}},
		{"skip until 2026-12-24", Command{Verb: VerbSkip, Skip: SkipUntil, Until: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)}},
		{"resume", Command{Verb: VerbResume}},
		{"hours 08:30-16:30", Command{Verb: VerbHours, Hours: pairing.WorkingHours{Start: 510, End: 990}}},
		{"know Churn-Model", Command{Verb: VerbKnow, Project: "churn-model", Level: pairing.Some}},
		{"know etl expert", Command{Verb: VerbKnow, Project: "etl", Level: pairing.Expert}},
		{"know etl NONE", Command{Verb: VerbKnow, Project: "etl", Level: pairing.None}},
		{"me", Command{Verb: VerbMe}},
		{"who etl", Command{Verb: VerbWho, Project: "etl"}},
		{"projects", Command{Verb: VerbProjects}},
		{"project add etl", Command{Verb: VerbProjectAdd, Project: "etl"}},
		{"project add etl <https://git.example/etl> <@U1|ana> <@U2>", Command{Verb: VerbProjectAdd, Project: "etl",
			Repo: "https://git.example/etl", Users: []string{"U1", "U2"}}},
		{"project add etl git@github.com:team/etl.git", Command{Verb: VerbProjectAdd, Project: "etl", Repo: "git@github.com:team/etl.git"}},
		{"Project Remove etl", Command{Verb: VerbProjectRemove, Project: "etl"}},
		{"now", Command{Verb: VerbNow}},
		{"now etl", Command{Verb: VerbNow, Project: "etl"}},
		{"review etl", Command{Verb: VerbReview, Project: "etl"}},
		{"review etl <https://git.example/etl/pull/7>", Command{Verb: VerbReview, Project: "etl", Link: "https://git.example/etl/pull/7"}},
		{"log <@U2|bo> etl", Command{Verb: VerbLog, Users: []string{"U2"}, Project: "etl", Kind: pairing.Pair}},
		{"log <@U2> etl review", Command{Verb: VerbLog, Users: []string{"U2"}, Project: "etl", Kind: pairing.Review}},
		{"stats", Command{Verb: VerbStats}},
		{"history", Command{Verb: VerbHistory}},
		{"history <@U2|bo>", Command{Verb: VerbHistory, Users: []string{"U2"}}},
		{"export", Command{Verb: VerbExport}},
		{`config schedule "0 10 * * TUE"`, Command{Verb: VerbConfig, Setting: "schedule", Value: "0 10 * * TUE"}},
		{`config schedule “0 10 * * TUE”`, Command{Verb: VerbConfig, Setting: "schedule", Value: "0 10 * * TUE"}},
		{"config timezone Europe/Berlin", Command{Verb: VerbConfig, Setting: "timezone", Value: "Europe/Berlin"}},
		{"config length 45", Command{Verb: VerbConfig, Setting: "length", Value: "45"}},
		{"config channel <#C42|data-team>", Command{Verb: VerbConfig, Setting: "channel", Value: "C42"}},
		{"config admins <@U1|ana> <@U2|bo>", Command{Verb: VerbConfig, Setting: "admins", Users: []string{"U1", "U2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) =\n %+v\nwant\n %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRefusals(t *testing.T) {
	tests := []struct {
		in, reason, usage string
	}{
		{"jion", `"jion" is not a /pair command; did you mean "join"`, "/pair join [weekly|biweekly]"},
		{"porjects", `did you mean "projects"`, "/pair projects"},
		{"dance", `"dance" is not a /pair command`, "/pair help"},
		{"join daily", `"daily" is not a cadence`, "/pair join"},
		{"leave now", "leave takes nothing after it", "/pair leave"},
		{"skip 0 weeks", "is not a number of weeks", "/pair skip"},
		{"skip until tomorrow", `"tomorrow" is not a date`, "/pair skip"},
		{"skip until 2026-02-30", "is not a date", "/pair skip"},
		{"skip forever and ever", "could not read how long", "/pair skip"},
		{"hours 9-5", `"9-5" is not a time range`, "/pair hours 09:00-17:00"},
		{"hours 17:00-09:00", "is not a time range", "/pair hours"},
		{"know", "name one project", "/pair know"},
		{"know etl lots", `"lots" is not a level`, "/pair know"},
		{"know Bad*Name", "is not a project name", "/pair know"},
		{"who", "name one project", "/pair who"},
		{"project", "say what to do with the project", "/pair project add"},
		{"project rename x", `"project rename" is not a /pair command`, ""},
		{"project add etl ftp://x/y", "is not a repository URL", "/pair project add"},
		{"project add etl https://a https://b", "neither a repository URL nor an @mention", "/pair project add"},
		{"review etl not-a-link", "is not a link", "/pair review"},
		{"log bo etl", "start with an @mention", "/pair log"},
		{"log <@U2> etl chat", `"chat" is not a session kind`, "/pair log"},
		{"history bo", "as an @mention", "/pair history"},
		{`config schedule "0 9 * *"`, "five fields", "/pair config"},
		{"config length 5", "from 15 to 240", "/pair config"},
		{"config channel general", "as #channel", "/pair config"},
		{"config admins bo", `"bo" is not an @mention`, "/pair config"},
		{"config colour red", `"colour" is not a setting`, "/pair config"},
		{`config schedule "0 9 * * MON`, "a quote is not closed", "/pair help"},
		{strings.Repeat("x", MaxCommandLen+1), "too long", "/pair help"},
	}
	for _, tt := range tests {
		t.Run(clip(tt.in, 30), func(t *testing.T) {
			_, err := Parse(tt.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) err = %v, want a ParseError", tt.in, err)
			}
			if !strings.Contains(pe.Reason, tt.reason) || !strings.Contains(pe.Usage, tt.usage) {
				t.Errorf("Parse(%q) = %q / %q; want reason ~%q, usage ~%q", tt.in, pe.Reason, pe.Usage, tt.reason, tt.usage)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "join biweekly", "skip 3 weeks", "skip until 2026-12-24", "hours 09:00-17:00",
		"know etl expert", "project add etl <https://x/y|x> <@U1|a>", `config schedule "0 9 * * MON"`,
		"log <@U2> etl review", "config channel <#C1|x>", "\"", "<@", "<#C|>", "who \x00", "skip -1 weeks",
		"rotation projects", "rotation projects add etl ETL x", "rotation projects set all", "rotation projects remove"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) returned a non-ParseError %T: %v", text, err, err)
			}
			if pe.Reason == "" || pe.Usage == "" || strings.ContainsAny(pe.Error(), "\n\r") {
				t.Fatalf("Parse(%q) refusal is not one line with a reason and a form: %q", text, pe.Error())
			}
			return
		}
		if _, ok := lookup(c.Verb); !ok {
			t.Fatalf("Parse(%q) = unknown verb %q", text, c.Verb)
		}
		if c.Project != "" {
			if _, err := pairing.ProjectName(c.Project); err != nil {
				t.Fatalf("Parse(%q) let through project %q", text, c.Project)
			}
		}
	})
}

// TestEveryCommandIsOneCompleteEntry: a verb is one entry of commands,
// with its form, its help line, its parser and its handler.
func TestEveryCommandIsOneCompleteEntry(t *testing.T) {
	seen := map[Verb]bool{}
	for _, c := range commands {
		if seen[c.verb] {
			t.Errorf("/pair %s has two entries", c.verb)
		}
		seen[c.verb] = true
		if !strings.HasPrefix(c.form, "/pair "+string(c.verb)) {
			t.Errorf("/pair %s: form %q does not start with the verb", c.verb, c.form)
		}
		if c.what == "" || c.parse == nil || c.run == nil {
			t.Errorf("/pair %s: entry without a help line, a parser or a handler", c.verb)
		}
		if got, err := Parse(string(c.verb)); err == nil && got.Verb != c.verb {
			t.Errorf("Parse(%q) = verb %q", c.verb, got.Verb)
		}
	}
}
