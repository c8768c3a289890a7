package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
)

// ErrDamaged is wrapped by the error Open returns for a file that is not a
// sound Pollen database: cut short, empty, with damaged meta pages, pages
// or records. Nothing is written to such a file.
var ErrDamaged = errors.New("database is damaged")

// damagedError says, in one line, what is wrong with the file and how to
// get a working database back.
type damagedError struct {
	path string
	why  string
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("%s is damaged: %s; restore a backup with `cp BACKUP %s` while Pollen is stopped (README: When the database is damaged)", e.path, e.why, e.path)
}

func (e *damagedError) Is(target error) bool { return target == ErrDamaged }

func damaged(path, format string, args ...any) error {
	return &damagedError{path: path, why: fmt.Sprintf(format, args...)}
}

// bbolt's on-disk format (go.etcd.io/bbolt/internal/common, which Go does
// not let us import): a page starts with a 16-byte header; pages 0 and 1
// each hold a meta record right after it, checksummed with FNV-64a over
// the fields before the checksum. Integers are in the machine's byte
// order, which is little-endian on every platform Pollen ships for.
const (
	pageHeaderSize = 16
	metaMagic      = 0xED0CDAED
	metaVersion    = 2
	metaSumLen     = 56 // magic, version, page size, flags, root bucket (16), freelist, pgid, txid
	metaLen        = metaSumLen + 8
	noFreelist     = ^uint64(0)
)

// meta is the part of a bbolt meta page Open checks.
type meta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64 // the high-water mark: pages [0, pgid) are in the file
	txid     uint64
}

// parseMeta reads the meta record of a page that starts at buf and
// reports whether it is intact.
func parseMeta(buf []byte) (meta, bool) {
	if len(buf) < pageHeaderSize+metaLen {
		return meta{}, false
	}
	m := buf[pageHeaderSize:]
	le := binary.LittleEndian
	h := fnv.New64a()
	h.Write(m[:metaSumLen])
	if le.Uint32(m[0:]) != metaMagic || le.Uint32(m[4:]) != metaVersion || le.Uint64(m[metaSumLen:]) != h.Sum64() {
		return meta{}, false
	}
	return meta{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// preflight checks, before bbolt maps the file into memory, what bbolt
// itself trusts: that the file is not empty, that a meta page is intact,
// and that the file is as long as the meta page's high-water mark says.
// bbolt maps a truncated file without complaint and the first read past
// its end kills the process with SIGBUS, which no recover() catches.
//
// A missing file is fine (Open creates it). warning is non-empty when one
// of the two meta pages is damaged: bbolt then uses the other, which is
// its recovery from a write torn by a crash, and may have lost the last
// transaction.
func preflight(path string) (warning string, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("open database %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("open database %s: %w", path, err)
	}
	size := st.Size()
	if size == 0 {
		return "", damaged(path, "the file is empty (0 bytes), not a new database: Pollen does not start afresh over it (delete it only if it never held data)")
	}
	read := func(off int64) []byte {
		buf := make([]byte, pageHeaderSize+metaLen)
		n, _ := f.ReadAt(buf, off)
		return buf[:n]
	}
	m0, ok0 := parseMeta(read(0))
	var m1 meta
	var ok1 bool
	if ok0 {
		m1, ok1 = parseMeta(read(int64(m0.pageSize)))
	} else {
		for shift := 0; shift <= 14 && !ok1; shift++ { // bbolt's own search for the second meta page
			m1, ok1 = parseMeta(read(1024 << shift))
			ok1 = ok1 && int64(m1.pageSize) == 1024<<shift
		}
	}
	m := m0
	switch {
	case !ok0 && !ok1:
		return "", damaged(path, "both meta pages are damaged (%d bytes, no valid bbolt meta page)", size)
	case !ok0:
		m, warning = m1, "meta page 0 of the database is damaged; using meta page 1 (the last write before a crash may be lost)"
	case !ok1:
		warning = "meta page 1 of the database is damaged; using meta page 0 (the last write before a crash may be lost)"
	case m1.txid > m0.txid:
		m = m1
	}
	if m.pageSize < 1024 || m.pageSize&(m.pageSize-1) != 0 {
		return "", damaged(path, "its meta page names an impossible page size (%d)", m.pageSize)
	}
	if need := uint64(m.pageSize) * m.pgid; m.pgid < 2 || uint64(size) < need || need/uint64(m.pageSize) != m.pgid {
		return "", damaged(path, "the file is %d bytes but its meta page says its pages reach %d bytes: it was cut short", size, need)
	}
	if m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid)) {
		return "", damaged(path, "its meta page points outside the file (root page %d, freelist page %d, %d pages)", m.root, m.freelist, m.pgid)
	}
	return warning, nil
}
