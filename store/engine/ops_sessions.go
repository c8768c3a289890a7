package engine

import "context"

// EachRecord calls fn with every stored record, undecoded, in one
// consistent read: bucket by bucket in name order and key order within
// each (see Tx.EachRecord). It is for checks that compare the whole
// database at two instants, such as "this refusal wrote nothing"; code
// that wants data reads it through Snapshot.
func (db *DB) EachRecord(ctx context.Context, fn func(bucket string, key, value []byte) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.view(ctx, func(tx *Tx) error { return tx.EachRecord(fn) })
}
