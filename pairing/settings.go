package pairing

import (
	"slices"
	"strings"
	"time"
)

// TeamSettings are the team's choices, changed with /pair config.
type TeamSettings struct {
	Schedule        string        `json:"schedule"` // cron, five fields, in TimeZone
	TimeZone        string        `json:"timezone"` // IANA name
	SessionLength   time.Duration `json:"session_length"`
	Channel         string        `json:"channel,omitempty"` // Slack channel ID for the digest
	Admins          []string      `json:"admins,omitempty"`  // Slack user IDs, besides workspace admins
	TargetBusFactor int           `json:"target_bus_factor"`
	RepeatWindow    int           `json:"repeat_window"` // rounds in which a repeat pairing is penalised
	Digest          string        `json:"digest"`        // cron, in TimeZone: when the weekly digest is posted
	// Holidays are date ranges (in TimeZone) without rounds.
	Holidays []DateRange `json:"holidays,omitempty"`
	// NoHeadsUp turns off the DM the working day before a round.
	NoHeadsUp bool `json:"no_heads_up,omitempty"`
	// GhostAfter is how many ignored proposals in a row leave a person out
	// of the next round (3; negative turns it off).
	GhostAfter int `json:"ghost_after,omitempty"`
	// AwayEmoji are Slack status emoji that mean out of office.
	AwayEmoji []string `json:"away_emoji,omitempty"`
	// Roster says who is in a channel's rotation: RosterOptIn (empty,
	// the default) those who join it; RosterChannel the channel's
	// members, whom Pollen adds as they join the channel and asks (never
	// removes) as they leave it.
	Roster string `json:"roster,omitempty"`
}

// The values of TeamSettings.Roster.
const (
	RosterOptIn   = ""
	RosterChannel = "channel"
)

// DateRange is a range of whole days, From to To inclusive, as YYYY-MM-DD.
type DateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ParseDateRange reads "2026-12-24..2027-01-02" (or one date).
func ParseDateRange(s string) (DateRange, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		to = from
	}
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return DateRange{}, Errorf(CodeInvalid, "%q is not a date range: use YYYY-MM-DD..YYYY-MM-DD with the end not before the start", truncate(s, 40))
	}
	return DateRange{From: from, To: to}, nil
}

// Contains reports whether t's date, in loc, is inside the range.
func (r DateRange) Contains(t time.Time, loc *time.Location) bool {
	d := t.In(loc).Format(time.DateOnly)
	return d >= r.From && d <= r.To
}

func (r DateRange) String() string {
	if r.From == r.To {
		return r.From
	}
	return r.From + ".." + r.To
}

// DefaultAwayEmoji are the statuses that mean "out of office" unless the
// team says otherwise.
var DefaultAwayEmoji = []string{":palm_tree:", ":airplane:", ":face_with_thermometer:"}

// Ghosting is the number of ignored proposals that leaves a person out.
func (s TeamSettings) Ghosting() int {
	switch {
	case s.GhostAfter < 0:
		return 0
	case s.GhostAfter == 0:
		return 3
	}
	return s.GhostAfter
}

// Away are the status emoji that mean out of office.
func (s TeamSettings) Away() []string {
	if len(s.AwayEmoji) == 0 {
		return DefaultAwayEmoji
	}
	return s.AwayEmoji
}

// Holiday returns the holiday range containing t, if any.
func (s TeamSettings) Holiday(t time.Time, loc *time.Location) (DateRange, bool) {
	for _, h := range s.Holidays {
		if h.Contains(t, loc) {
			return h, true
		}
	}
	return DateRange{}, false
}

// DefaultTeamSettings are what a new team starts with: Mondays at 09:00
// UTC, hour-long sessions, a bus factor target of 3, repeats penalised
// within 4 rounds, the digest on Fridays at 16:00.
func DefaultTeamSettings() TeamSettings {
	return TeamSettings{
		Schedule:        "0 9 * * MON",
		TimeZone:        "UTC",
		SessionLength:   time.Hour,
		TargetBusFactor: 3,
		RepeatWindow:    4,
		Digest:          "0 16 * * FRI",
	}
}

// IsAdmin reports whether the settings name the person as an admin.
func (s TeamSettings) IsAdmin(person string) bool { return slices.Contains(s.Admins, person) }
