// Package files is where uploaded files are kept, behind one interface:
// with SQLite in the data directory (files/ beside the database file),
// with PostgreSQL in the database itself (table file_chunks, 1 MiB a row),
// so several instances share the files with no extra service.
//
// An upload is streamed: its bytes go through a temporary file while they
// are hashed and counted, never held in memory whole. Its type is decided
// from the bytes, not the name (sniff.go), and a name that disagrees with
// its bytes is refused. Every download goes through Serve, which sends the
// headers that keep an uploaded file from ever running script on Vouch's
// origin.
package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// ChunkSize is how many bytes one row of file_chunks holds.
const ChunkSize = 1 << 20

// MaxNameLength bounds a file's name as kept (in bytes).
const MaxNameLength = 255

// Store keeps uploaded files where the database's engine says.
type Store struct {
	db  *store.DB
	dir string // the files directory for StoredInDir; "" on PostgreSQL
}

// New returns the store of db's files: in <data directory>/files for
// SQLite (created if missing), in the database for PostgreSQL.
func New(db *store.DB) (*Store, error) {
	s := &Store{db: db}
	if db.Engine == store.SQLite {
		s.dir = filepath.Join(filepath.Dir(db.Path), "files")
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return nil, fmt.Errorf("the files directory: %w", err)
		}
		// Uploads a stopped server was receiving are never finished: only
		// one server uses a SQLite data directory.
		left, _ := filepath.Glob(filepath.Join(s.dir, ".upload-*"))
		for _, p := range left {
			os.Remove(p)
		}
	}
	return s, nil
}

// Where tells where new files are kept: store.StoredInDir or StoredInDB.
func (s *Store) Where() string {
	if s.dir != "" {
		return store.StoredInDir
	}
	return store.StoredInDB
}

// fileError is the EINVALID error of an upload, on field "file".
func fileError(format string, args ...any) error {
	reason := fmt.Sprintf(format, args...)
	return &vouch.Error{Code: vouch.EINVALID, Message: "The file " + reason + ".",
		Fields: map[string]string{"file": reason}}
}

// LimitReason is the refusal of a file over limit: "is larger than the 50 MB limit".
func LimitReason(limit int64) string {
	return "is larger than the " + formatMB(limit) + " limit"
}

func formatMB(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return vouch.FormatBytes(n)
}

// Put keeps the file read from r under name, if it is of a kind of the
// content library (Library) and at most limit bytes. See PutOnly.
func (s *Store) Put(ctx context.Context, name string, r io.Reader, limit int64) (*vouch.ContentFile, error) {
	return s.PutOnly(ctx, name, r, limit, Library)
}

// PutOnly keeps the file read from r under name if its bytes are one of
// the kinds accepted and at most limit bytes long; otherwise it keeps
// nothing and returns an EINVALID error on field "file" that says why.
func (s *Store) PutOnly(ctx context.Context, name string, r io.Reader, limit int64, accept []*Kind) (*vouch.ContentFile, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	tmpDir := s.dir // a rename within one directory tree puts the file in place
	tmp, err := os.CreateTemp(tmpDir, ".upload-*")
	if err != nil {
		return nil, fmt.Errorf("a temporary file for an upload: %w", err)
	}
	kept := false
	defer func() {
		tmp.Close()
		if !kept {
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, fileError("%s", LimitReason(limit))
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, vouch.Errorf(vouch.EINVALID, "The upload broke off before the whole file arrived; try again.")
	}
	if n > limit {
		return nil, fileError("%s", LimitReason(limit))
	}
	k, refused := sniff(name, tmp, n)
	if k, err = decide(name, k, refused, accept); err != nil {
		return nil, err
	}
	f := &vouch.ContentFile{Name: name, MediaType: k.MediaType, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	err = s.db.CreateFile(ctx, f, s.Where(), func(f *vouch.ContentFile, put store.FileChunkWriter) error {
		if put == nil {
			if err := tmp.Sync(); err != nil {
				return err
			}
			return os.Rename(tmp.Name(), s.path(f.ID))
		}
		buf := make([]byte, ChunkSize)
		for seq := 0; ; seq++ {
			m, err := tmp.ReadAt(buf, int64(seq)*ChunkSize)
			if m > 0 {
				if err := put(seq, buf[:m]); err != nil {
					return err
				}
			}
			if errors.Is(err, io.EOF) || m < len(buf) {
				return nil
			} else if err != nil {
				return err
			}
		}
	})
	if err != nil {
		if s.dir != "" && f.ID != 0 {
			os.Remove(s.path(f.ID)) // renamed before the commit failed
		}
		return nil, err
	}
	kept = true
	return f, nil
}

// cleanName keeps a file's own name (no folders a browser sent), printable
// and not too long; an empty name is "file".
func cleanName(name string) (string, error) {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimSpace(name[strings.LastIndex(name, "/")+1:])
	if !utf8.ValidString(name) {
		return "", fileError("has a name that is not valid text; rename it and upload it again")
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "file"
	}
	if len(name) > MaxNameLength {
		e := ext(name)
		if len(e) > 16 {
			e = ""
		}
		cut := MaxNameLength - len(e)
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut] + e
	}
	return name, nil
}

// path is where a file kept in the data directory lives.
func (s *Store) path(id int64) string {
	return filepath.Join(s.dir, strconv.FormatInt(id, 10))
}

// Reader is an open file's bytes: read in order (downloads), at any offset
// (a PDF reader) or sought (Range requests).
type Reader interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
}

// Open returns the file with id and its bytes; the caller closes them. The
// io.ReadCloser is a Reader.
func (s *Store) Open(ctx context.Context, id int64) (*vouch.ContentFile, io.ReadCloser, error) {
	f, rd, err := s.OpenReader(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return f, rd, nil
}

// OpenReader is Open with the bytes as a Reader.
func (s *Store) OpenReader(ctx context.Context, id int64) (*vouch.ContentFile, Reader, error) {
	f, storedIn, err := s.db.File(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	switch storedIn {
	case store.StoredInDir:
		if s.dir == "" {
			return nil, nil, fmt.Errorf("file %d is kept in a data directory, and this server has none", id)
		}
		fh, err := os.Open(s.path(id))
		if err != nil {
			return nil, nil, fmt.Errorf("file %d: %w", id, err)
		}
		return f, fh, nil
	case store.StoredInDB:
		return f, &chunkReader{ctx: ctx, db: s.db, id: id, size: f.Size, seq: -1}, nil
	}
	return nil, nil, fmt.Errorf("file %d is kept in %q, which this server does not know", id, storedIn)
}

// Delete removes the file with id unless an item or an approval still
// refers to it, and reports whether it did.
func (s *Store) Delete(ctx context.Context, id int64) (bool, error) {
	deleted, storedIn, err := s.db.DeleteFileIfUnused(ctx, id)
	if err != nil || !deleted {
		return false, err
	}
	if storedIn == store.StoredInDir && s.dir != "" {
		if err := os.Remove(s.path(id)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return true, fmt.Errorf("removing file %d: %w", id, err)
		}
	}
	return true, nil
}

// chunkReader reads a file kept in file_chunks, one chunk (one query) at a
// time, holding only the chunk it reads from.
type chunkReader struct {
	ctx       context.Context
	db        *store.DB
	id, size  int64
	off       int64
	chunkSize int64 // the length of chunk 0: every chunk but the last is as long
	seq       int   // the chunk in buf; -1 for none
	buf       []byte
}

func (c *chunkReader) load(seq int) error {
	if c.seq == seq {
		return nil
	}
	data, err := c.db.FileChunk(c.ctx, c.id, seq)
	if err != nil {
		return fmt.Errorf("file %d: %w", c.id, err)
	}
	c.seq, c.buf = seq, data
	return nil
}

// ReadAt reads from the chunks that hold off onwards.
func (c *chunkReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("files: negative offset")
	}
	n := 0
	for n < len(p) {
		if off >= c.size {
			return n, io.EOF
		}
		if c.chunkSize == 0 {
			if err := c.load(0); err != nil {
				return n, err
			}
			c.chunkSize = int64(len(c.buf))
			if c.chunkSize == 0 {
				return n, fmt.Errorf("file %d: its first part is empty", c.id)
			}
		}
		seq := int(off / c.chunkSize)
		if err := c.load(seq); err != nil {
			return n, err
		}
		at := off - int64(seq)*c.chunkSize
		if at >= int64(len(c.buf)) {
			return n, fmt.Errorf("file %d: part %d is shorter than the file says", c.id, seq)
		}
		m := copy(p[n:], c.buf[at:])
		n += m
		off += int64(m)
	}
	return n, nil
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := c.ReadAt(p, c.off)
	c.off += int64(n)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}

func (c *chunkReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += c.off
	case io.SeekEnd:
		offset += c.size
	default:
		return 0, errors.New("files: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("files: negative position")
	}
	c.off = offset
	return offset, nil
}

func (c *chunkReader) Close() error {
	c.buf = nil
	return nil
}
