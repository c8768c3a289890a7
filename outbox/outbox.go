// Package outbox holds what Pollen has decided to say and not yet said: the
// messages a decision queues (a planned round's proposals, a retro after a
// session, a notice, the digest), written in the transaction of the
// decision and delivered later. The types are values shared by whoever
// decides (scheduler, bot), whoever stores them (store) and whoever words
// and sends them (bot); nothing here does I/O.
package outbox

import "time"

// Kind says what an outbox message is for.
type Kind string

// Kinds.
const (
	Proposal Kind = "proposal" // a round's session proposal to its participants
	Retro    Kind = "retro"    // "did it happen?" after the slot
	Reminder Kind = "reminder" // the morning of the slot
	Notice   Kind = "notice"   // a plain message to people (sit-out notices and the like)
	Digest   Kind = "digest"   // the weekly digest to the team channel
	HeadsUp  Kind = "heads_up" // the working day before a round, with a Skip button
	Ghost    Kind = "ghost"    // left out after ignoring proposals: Stay in / Pause / Leave
)

// NoticeKind is what a notice is about.
type NoticeKind string

// Notices.
const (
	NoticeSatOut  NoticeKind = "sat_out" // no session this round, through no choice of their own (Text: why)
	NoticeAway    NoticeKind = "away"    // left out because their Slack status says away
	NoticeHoliday NoticeKind = "holiday" // no round this week (to the channel; Text: the dates)
	// NoticeWelcome is the one welcome a person gets the first time they
	// are in the roster (joined, or loaded by pollen import).
	NoticeWelcome NoticeKind = "welcome"
)

// Item is a message Pollen has decided to send and not yet confirmed
// sent. It is written in the same transaction as the decision (a planned
// round, a session that ended), so a message is never lost; the sender
// deletes it in the transaction that records it as sent, and before
// sending again after a crash it looks for the message in Slack, so a
// message is never sent twice.
type Item struct {
	ID   string `json:"id"` // UUID v7: the outbox drains oldest first
	Kind Kind   `json:"kind"`
	// Rotation is the rotation the message is about (its round, digest,
	// heads-up or session); empty for the default rotation.
	Rotation  string   `json:"rotation,omitempty"`
	SessionID string   `json:"session_id,omitempty"`
	Round     string   `json:"round,omitempty"`
	Users     []string `json:"users,omitempty"`   // recipients, for DMs
	Channel   string   `json:"channel,omitempty"` // for channel posts
	// Notice says which notice a Notice item is; Text carries its
	// detail (the planner's reason, a holiday's dates). The bot words it.
	Notice    NoticeKind `json:"notice,omitempty"`
	Text      string     `json:"text,omitempty"`
	At        time.Time  `json:"at,omitzero"` // for heads-ups: when the round is planned
	CreatedAt time.Time  `json:"created_at"`
	NotBefore time.Time  `json:"not_before,omitzero"` // do not send earlier (backoff, Retry-After)
	Attempts  int        `json:"attempts"`            // sends started; > 0 means Slack may already have it
	LastError string     `json:"last_error,omitempty"`
}

// MessageRef locates a message Pollen sent, so it can be updated later.
type MessageRef struct {
	Channel string    `json:"channel"`
	TS      string    `json:"ts"`
	SentAt  time.Time `json:"sent_at"`
}
