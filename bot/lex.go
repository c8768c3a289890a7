package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/pollen-team/pollen/pairing"
)

// split breaks command text into words. Double quotes (straight or the curly
// ones Slack clients type) group words, so a cron expression can be one
// argument.
func split(text string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inQuote, hasWord := false, false
	for _, r := range text {
		switch {
		case r == '"' || r == '“' || r == '”':
			inQuote, hasWord = !inQuote, true
		case unicode.IsSpace(r) && !inQuote:
			if hasWord {
				words = append(words, cur.String())
				cur.Reset()
				hasWord = false
			}
		default:
			cur.WriteRune(r)
			hasWord = true
		}
	}
	if inQuote {
		return nil, errors.New("a quote is not closed")
	}
	if hasWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// Slack escapes mentions, channels and links in slash command text when the
// command has should_escape: <@U123|ana>, <#C123|general>, <https://x|x>.
var (
	userRE    = regexp.MustCompile(`^<@([UW][A-Z0-9]{1,20})(\|[^>]*)?>$`)
	channelRE = regexp.MustCompile(`^<#(C[A-Z0-9]{1,20})(\|[^>]*)?>$`)
	linkRE    = regexp.MustCompile(`^<((?:https?|ssh|git)://[^|>]+)(\|[^>]*)?>$`)
)

// mention returns the user ID of an escaped @mention.
func mention(word string) (string, bool) {
	m := userRE.FindStringSubmatch(word)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// channel returns the channel ID of an escaped #channel.
func channel(word string) (string, bool) {
	m := channelRE.FindStringSubmatch(word)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// link unwraps an escaped link, or returns the word as it is.
func link(word string) string {
	if m := linkRE.FindStringSubmatch(word); m != nil {
		return m[1]
	}
	return word
}

func parseConfig(args []string) (Command, error) {
	if len(args) == 0 {
		return Command{}, nil // the settings as they are
	}
	c := Command{Setting: strings.ToLower(args[0])}
	rest := args[1:]
	switch c.Setting {
	case "schedule":
		if len(rest) != 1 || len(strings.Fields(rest[0])) != 5 {
			return Command{}, refuse(VerbConfig, `give the schedule as one quoted cron expression with five fields, e.g. "0 9 * * MON"`)
		}
		c.Value = strings.Join(strings.Fields(rest[0]), " ")
	case "timezone":
		if len(rest) != 1 {
			return Command{}, refuse(VerbConfig, "give one IANA time zone, e.g. Europe/Berlin")
		}
		c.Value = rest[0]
	case "length":
		n, err := strconv.Atoi(strings.TrimSuffix(strings.Join(rest, ""), "min"))
		if len(rest) < 1 || len(rest) > 2 || err != nil || n < 15 || n > 240 {
			return Command{}, refuse(VerbConfig, "give the session length in minutes, from 15 to 240")
		}
		c.Value = strconv.Itoa(n)
	case "channel":
		id, ok := "", len(rest) == 1
		if ok {
			id, ok = channel(rest[0])
		}
		if !ok {
			return Command{}, refuse(VerbConfig, "name one channel as #channel")
		}
		c.Value = id
	case "holiday", "holidays":
		c.Setting = "holiday"
		switch {
		case len(rest) == 0 || (len(rest) == 1 && strings.EqualFold(rest[0], "list")):
			c.Value = "list"
		case len(rest) == 2 && strings.EqualFold(rest[0], "remove"):
			r, err := pairing.ParseDateRange(rest[1])
			if err != nil {
				return Command{}, refuse(VerbConfig, "%q is not a date range like 2026-12-24..2027-01-02", clip(rest[1], 30))
			}
			c.Value, c.Range = "remove", r
		case len(rest) == 1:
			r, err := pairing.ParseDateRange(rest[0])
			if err != nil {
				return Command{}, refuse(VerbConfig, "%q is not a date range like 2026-12-24..2027-01-02", clip(rest[0], 30))
			}
			c.Value, c.Range = "add", r
		default:
			return Command{}, refuse(VerbConfig, "say holiday YYYY-MM-DD..YYYY-MM-DD, holiday list or holiday remove YYYY-MM-DD..YYYY-MM-DD")
		}
	case "admins":
		if len(rest) == 0 {
			return Command{}, refuse(VerbConfig, "name the admins as @mentions")
		}
		for _, a := range rest {
			id, ok := mention(a)
			if !ok {
				return Command{}, refuse(VerbConfig, "%q is not an @mention", clip(a, 30))
			}
			c.Users = appendUnique(c.Users, id)
		}
	case "roster":
		switch v := strings.ToLower(strings.Join(rest, " ")); v {
		case pairing.RosterChannel, "opt-in":
			c.Value = v
		default:
			return Command{}, refuse(VerbConfig, "say roster channel (the channel's members are the rotation) or roster opt-in (people join it)")
		}
	default:
		return Command{}, refuse(VerbConfig, "%q is not a setting: use schedule, timezone, length, channel, admins, holiday or roster", clip(c.Setting, 20))
	}
	return c, nil
}

// editDistance is the Levenshtein distance, for "did you mean".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 {
		return len(ra) // far from every verb; do not spend time on it
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
