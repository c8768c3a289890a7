package store

import (
	"errors"
	"fmt"
	"time"
)

// OutboxKind says what an outbox message is for.
type OutboxKind string

// Outbox kinds.
const (
	OutboxProposal OutboxKind = "proposal" // a round's session proposal to its participants
	OutboxRetro    OutboxKind = "retro"    // "did it happen?" after the slot
	OutboxReminder OutboxKind = "reminder" // the morning of the slot
	OutboxNotice   OutboxKind = "notice"   // a plain message to people (sit-out notices and the like)
	OutboxDigest   OutboxKind = "digest"   // the weekly digest to the team channel
	OutboxHeadsUp  OutboxKind = "heads_up" // the working day before a round, with a Skip button
	OutboxGhost    OutboxKind = "ghost"    // left out after ignoring proposals: Stay in / Pause / Leave
)

// NoticeKind is what a notice is about.
type NoticeKind string

// Notices.
const (
	NoticeSatOut  NoticeKind = "sat_out" // no session this round, through no choice of their own (Text: why)
	NoticeAway    NoticeKind = "away"    // left out because their Slack status says away
	NoticeHoliday NoticeKind = "holiday" // no round this week (to the channel; Text: the dates)
)

// OutboxItem is a message Pollen has decided to send and not yet confirmed
// sent. It is written in the same transaction as the decision (a planned
// round, a session that ended), so a message is never lost; the sender
// deletes it in the transaction that records it as sent, and before
// sending again after a crash it looks for the message in Slack, so a
// message is never sent twice.
type OutboxItem struct {
	ID        string     `json:"id"` // UUID v7: the outbox drains oldest first
	Kind      OutboxKind `json:"kind"`
	SessionID string     `json:"session_id,omitempty"`
	Round     string     `json:"round,omitempty"`
	Users     []string   `json:"users,omitempty"`   // recipients, for DMs
	Channel   string     `json:"channel,omitempty"` // for channel posts
	// Notice says which notice an OutboxNotice is; Text carries its
	// detail (the planner's reason, a holiday's dates). The bot words it.
	Notice    NoticeKind `json:"notice,omitempty"`
	Text      string     `json:"text,omitempty"`
	At        time.Time  `json:"at,omitzero"` // for heads-ups: when the round is planned
	CreatedAt time.Time  `json:"created_at"`
	NotBefore time.Time  `json:"not_before,omitzero"` // do not send earlier (backoff, Retry-After)
	Attempts  int        `json:"attempts"`            // sends started; > 0 means Slack may already have it
	LastError string     `json:"last_error,omitempty"`
}

// PutOutbox adds or replaces an outbox item.
func (t *Tx) PutOutbox(item OutboxItem) error {
	key, err := uuidKey(item.ID)
	if err != nil {
		return fmt.Errorf("outbox ID: %w", err)
	}
	return t.put(bucketOutbox, key, item)
}

// Outbox returns every unsent item, oldest first.
func (t *Tx) Outbox() ([]OutboxItem, error) { return all[OutboxItem](t, bucketOutbox) }

// OutboxScan returns every unsent item that decodes, oldest first, and the
// ones that do not, so one damaged record cannot stop the others from being
// sent: the sender sets those aside (SetAside).
func (t *Tx) OutboxScan() (items []OutboxItem, bad []BadRecord, err error) {
	err = t.tx.Bucket(bucketOutbox).ForEach(func(k, data []byte) error {
		var item OutboxItem
		var br BadRecord
		if err := decode(bucketOutbox, k, data, &item); errors.As(err, &br) {
			bad = append(bad, br)
			return nil
		}
		items = append(items, item)
		return nil
	})
	return items, bad, err
}

// OutboxItem loads one item; ok is false when it is gone (sent).
func (t *Tx) OutboxItem(id string) (item OutboxItem, ok bool, err error) {
	key, err := uuidKey(id)
	if err != nil {
		return item, false, err
	}
	ok, err = t.get(bucketOutbox, key, &item)
	return item, ok, err
}

// DeleteOutbox removes a sent item.
func (t *Tx) DeleteOutbox(id string) error {
	key, err := uuidKey(id)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketOutbox).Delete(key)
}

// OutboxDepth is the number of unsent items.
func (t *Tx) OutboxDepth() int { return t.tx.Bucket(bucketOutbox).Stats().KeyN }

// Run is the record of a job that is done, under its idempotency key
// ("round/2026-W48", "retro/<session>", "digest/2026-W48").
type Run struct {
	Key    string    `json:"key"`
	At     time.Time `json:"at"`
	Result string    `json:"result,omitempty"`
}

// Done reports whether the job with this key has run.
func (t *Tx) Done(key string) bool {
	return t.tx.Bucket(bucketRuns).Get([]byte(key)) != nil
}

// MarkDone records that the job with this key has run. Call it in the
// transaction that saves the job's result, so both commit or neither.
func (t *Tx) MarkDone(r Run) error { return t.put(bucketRuns, []byte(r.Key), r) }

// MessageRef locates a message Pollen sent, so it can be updated later.
type MessageRef struct {
	Channel string    `json:"channel"`
	TS      string    `json:"ts"`
	SentAt  time.Time `json:"sent_at"`
}

func messageKey(sessionID string, kind OutboxKind) []byte {
	return []byte(sessionID + "/" + string(kind))
}

// PutMessage records where the message of a kind about a session went.
func (t *Tx) PutMessage(sessionID string, kind OutboxKind, ref MessageRef) error {
	return t.put(bucketMessages, messageKey(sessionID, kind), ref)
}

// Message returns where the message of a kind about a session went.
func (t *Tx) Message(sessionID string, kind OutboxKind) (MessageRef, bool, error) {
	var ref MessageRef
	ok, err := t.get(bucketMessages, messageKey(sessionID, kind), &ref)
	return ref, ok, err
}

// EachRecord calls fn with every record of every bucket, bucket by bucket
// in name order and key order within each, without decoding. It is for
// checks that must see the whole database at once, such as "this refusal
// wrote nothing"; code that wants data uses the typed methods.
func (t *Tx) EachRecord(fn func(bucket string, key, value []byte) error) error {
	root := t.tx.Cursor() // the root's keys are the buckets' names
	for name, _ := root.First(); name != nil; name, _ = root.Next() {
		b := t.tx.Bucket(name)
		if b == nil {
			continue
		}
		if err := b.ForEach(func(k, v []byte) error { return fn(string(name), k, v) }); err != nil {
			return err
		}
	}
	return nil
}
