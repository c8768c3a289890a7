package engine

import (
	"errors"
	"fmt"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/store"
)

// PutOutbox adds or replaces an outbox item.
func (t *Tx) PutOutbox(item outbox.Item) error {
	key, err := uuidKey(item.ID)
	if err != nil {
		return fmt.Errorf("outbox ID: %w", err)
	}
	return t.put(bucketOutbox, key, item)
}

// Outbox returns every unsent item, oldest first.
func (t *Tx) Outbox() ([]outbox.Item, error) { return all[outbox.Item](t, bucketOutbox) }

// OutboxScan returns every unsent item that decodes, oldest first, and the
// ones that do not, so one damaged record cannot stop the others from being
// sent: the sender sets those aside (SetAside).
func (t *Tx) OutboxScan() (items []outbox.Item, bad []store.BadRecord, err error) {
	err = t.tx.Bucket(bucketOutbox).ForEach(func(k, data []byte) error {
		var item outbox.Item
		var br store.BadRecord
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
func (t *Tx) OutboxItem(id string) (item outbox.Item, ok bool, err error) {
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
func (t *Tx) OutboxDepth() int { return t.tx.Bucket(bucketOutbox).KeyN() }

// Done reports whether the job with this key has run.
func (t *Tx) Done(key string) bool {
	return t.tx.Bucket(bucketRuns).Get([]byte(key)) != nil
}

// MarkDone records that the job with this key has run. Call it in the
// transaction that saves the job's result, so both commit or neither.
func (t *Tx) MarkDone(r store.Run) error { return t.put(bucketRuns, []byte(r.Key), r) }

func messageKey(sessionID string, kind outbox.Kind) []byte {
	return []byte(sessionID + "/" + string(kind))
}

// PutMessage records where the message of a kind about a session went.
func (t *Tx) PutMessage(sessionID string, kind outbox.Kind, ref outbox.MessageRef) error {
	return t.put(bucketMessages, messageKey(sessionID, kind), ref)
}

// Message returns where the message of a kind about a session went.
func (t *Tx) Message(sessionID string, kind outbox.Kind) (outbox.MessageRef, bool, error) {
	var ref outbox.MessageRef
	ok, err := t.get(bucketMessages, messageKey(sessionID, kind), &ref)
	return ref, ok, err
}

// EachRecord calls fn with every record of every bucket, bucket by bucket
// in name order and key order within each, without decoding. It is for
// checks that must see the whole database at once, such as "this refusal
// wrote nothing"; code that wants data uses the typed methods.
func (t *Tx) EachRecord(fn func(bucket string, key, value []byte) error) error {
	for _, name := range t.tx.BucketNames() {
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
