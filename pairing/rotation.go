package pairing

import "time"

// DefaultRotation is the ID of the one rotation a workspace has until it
// starts more: every roster, round and setting of a database written
// before rotations belongs to it. Nothing users see names it.
const DefaultRotation = "team"

// Rotation is one group that pairs on its own schedule: a team's channel
// with its members, settings, rounds and digest. Projects, knowledge and
// sessions are the workspace's, shared by every rotation.
type Rotation struct {
	// ID is DefaultRotation for the workspace's first rotation, else the
	// Slack channel ID the rotation was started in.
	ID string `json:"id"`
	// Channel is the Slack channel the rotation posts its intro and digest
	// to; for the default rotation, its digest channel (or none).
	Channel   string    `json:"channel,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	// StoppedAt is set when the rotation was stopped: it plans no more
	// rounds, and its history stays.
	StoppedAt time.Time `json:"stopped_at,omitzero"`
}

// Active reports whether the rotation still plans rounds.
func (r Rotation) Active() bool { return r.StoppedAt.IsZero() }
