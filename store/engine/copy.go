package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Copying a whole database from one backend to another (pollen migrate):
// every record of every bucket, byte for byte, since both backends carry
// the same buckets and records (kv.go).

// emptyRecords are the records a freshly opened database holds: its
// schema version and the default rotation's record.
var emptyRecords = map[string]bool{
	string(bucketMeta) + "/" + string(keySchema): true,
	string(bucketRotations) + "/team":            true,
}

// Records counts the records of a database that an empty one would not
// hold (nothing but its schema version and default rotation).
func (db *DB) Records() (int, error) {
	n := 0
	err := db.unbounded().viewKV(context.Background(), func(tx kvTx) error {
		return eachRecord(tx, func(bucket, k, _ []byte) error {
			if !emptyRecords[string(bucket)+"/"+string(k)] {
				n++
			}
			return nil
		})
	})
	return n, err
}

func eachRecord(tx kvTx, fn func(bucket, k, v []byte) error) error {
	for _, name := range tx.BucketNames() {
		if err := tx.Bucket(name).ForEach(func(k, v []byte) error { return fn(name, k, v) }); err != nil {
			return err
		}
	}
	return nil
}

// CopyTo replaces every record of dst with those of db, in one read of db
// and one transaction of dst, and returns how many it copied. Both must be
// at this binary's schema version (Open brings them there). The copy, and
// Records and Digest, have no call timeout: a whole database may take
// longer to read or write than one command's transaction.
func (db *DB) CopyTo(dst *DB) (int, error) {
	n := 0
	err := db.unbounded().viewKV(context.Background(), func(src kvTx) error {
		return dst.unbounded().updateKV(context.Background(), 0, func(out kvTx) error {
			n = 0
			for _, name := range out.BucketNames() { // clear the target first
				b := out.Bucket(name)
				var keys [][]byte
				if err := b.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil }); err != nil {
					return err
				}
				for _, k := range keys {
					if err := b.Delete(k); err != nil {
						return err
					}
				}
			}
			return eachRecord(src, func(bucket, k, v []byte) error {
				b, err := out.CreateBucketIfNotExists(bucket)
				if err != nil {
					return fmt.Errorf("create bucket %s: %w", bucket, err)
				}
				n++
				return b.Put(bytes.Clone(k), bytes.Clone(v))
			})
		})
	})
	return n, err
}

// Digest is a hash of every record of every bucket with its bucket and
// key, and their count: two databases with the same digest hold the same
// records. pollen migrate compares the source's and the target's.
func (db *DB) Digest() (sum [sha256.Size]byte, records int, err error) {
	h := sha256.New()
	var n [4]byte
	err = db.unbounded().viewKV(context.Background(), func(tx kvTx) error {
		return eachRecord(tx, func(bucket, k, v []byte) error {
			records++
			for _, part := range [][]byte{bucket, k, v} {
				binary.BigEndian.PutUint32(n[:], uint32(len(part)))
				h.Write(n[:])
				h.Write(part)
			}
			return nil
		})
	})
	h.Sum(sum[:0])
	return sum, records, err
}
