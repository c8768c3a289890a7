package engine

import (
	"encoding/json"
	"fmt"

	"github.com/pollen-team/pollen/store"
)

// bucketSetAside keeps records that did not decode, moved out of their
// bucket by SetAside (key: bucket name, "/", the record's key; value: the
// bytes as they were), so nothing is lost and nothing reads them again.
// It is created by the first SetAside, not by a migration.
var bucketSetAside = []byte("set_aside")

// decode unmarshals one record, wrapping a failure as a BadRecord.
func decode(bucket, key, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return store.BadRecord{Bucket: string(bucket), Key: append([]byte(nil), key...), Err: err}
	}
	return nil
}

// SetAside moves a record that does not decode out of its bucket into the
// set_aside bucket, keeping its bytes for whoever repairs it by hand. A
// record that is already gone is not an error.
func (t *Tx) SetAside(r store.BadRecord) error {
	b := t.tx.Bucket([]byte(r.Bucket))
	if b == nil {
		return nil
	}
	data := b.Get(r.Key)
	if data == nil {
		return nil
	}
	aside, err := t.tx.CreateBucketIfNotExists(bucketSetAside)
	if err != nil {
		return fmt.Errorf("set aside %s: %w", r, err)
	}
	if err := aside.Put(append([]byte(r.Bucket+"/"), r.Key...), append([]byte(nil), data...)); err != nil {
		return fmt.Errorf("set aside %s: %w", r, err)
	}
	return b.Delete(r.Key)
}

// SetAsideCount is the number of records set aside so far.
func (t *Tx) SetAsideCount() int {
	if b := t.tx.Bucket(bucketSetAside); b != nil {
		return b.KeyN()
	}
	return 0
}

// PutRaw writes value under key in bucket as it is, without encoding or
// validation. It exists for tests that need a record Pollen could not have
// written (a damaged one) while the database is open, and for putting a
// set-aside record back by hand once repaired; Pollen's own code writes
// through the typed methods.
func (t *Tx) PutRaw(bucket string, key, value []byte) error {
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return fmt.Errorf("no bucket %q", bucket)
	}
	return b.Put(key, value)
}
