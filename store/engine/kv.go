package engine

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Pollen's records live in named buckets of byte keys kept in order, as
// bbolt stores them. The typed methods of Tx (and so every operation) are
// written against these two small interfaces rather than bbolt's types, so
// another backend that offers ordered buckets in transactions can carry
// the same records with the same code.

// kvTx is one transaction over the buckets.
type kvTx interface {
	// Bucket returns the named bucket, or nil if it does not exist.
	Bucket(name []byte) kvBucket
	CreateBucketIfNotExists(name []byte) (kvBucket, error)
	// BucketNames lists the buckets in name order.
	BucketNames() [][]byte
	// ID identifies the committed state the transaction sees (see
	// Tx.Version).
	ID() uint64
}

// kvBucket is one bucket inside a transaction.
type kvBucket interface {
	// Get returns the value at key, or nil if there is none. The slice is
	// valid only during the transaction.
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	// ForEach calls fn with every record in key order, stopping at the
	// first error fn returns.
	ForEach(fn func(k, v []byte) error) error
	// Prefix calls fn with every record whose key starts with prefix, in
	// key order.
	Prefix(prefix []byte, fn func(k, v []byte) error) error
	// KeyN is the number of records.
	KeyN() int
}

// boltTx is kvTx on a bbolt transaction.
type boltTx struct{ tx *bolt.Tx }

func (t boltTx) Bucket(name []byte) kvBucket {
	if b := t.tx.Bucket(name); b != nil {
		return boltBucket{b}
	}
	return nil // a nil *bolt.Bucket in the interface would not be nil
}

func (t boltTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	b, err := t.tx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	return boltBucket{b}, nil
}

func (t boltTx) BucketNames() [][]byte {
	var out [][]byte
	c := t.tx.Cursor() // the root's keys are the buckets' names
	for name, _ := c.First(); name != nil; name, _ = c.Next() {
		out = append(out, append([]byte(nil), name...))
	}
	return out
}

func (t boltTx) ID() uint64 { return uint64(t.tx.ID()) }

type boltBucket struct{ b *bolt.Bucket }

func (b boltBucket) Get(key []byte) []byte                    { return b.b.Get(key) }
func (b boltBucket) Put(key, value []byte) error              { return b.b.Put(key, value) }
func (b boltBucket) Delete(key []byte) error                  { return b.b.Delete(key) }
func (b boltBucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }
func (b boltBucket) KeyN() int                                { return b.b.Stats().KeyN }

func (b boltBucket) Prefix(prefix []byte, fn func(k, v []byte) error) error {
	c := b.b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// prefetcher is a bucket that can read many keys in one go ahead of the
// Gets that will ask for them (PostgreSQL; bbolt reads are memory reads).
type prefetcher interface {
	Prefetch(keys [][]byte)
}

// prefetch hints that the keys will be read from the bucket.
func prefetch(b kvBucket, keys [][]byte) {
	if p, ok := b.(prefetcher); ok && len(keys) > 1 {
		p.Prefetch(keys)
	}
}
