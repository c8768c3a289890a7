package pairing

import (
	"slices"
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
