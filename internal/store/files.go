package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Where a file's bytes are kept, as the files table's stored_in says.
const (
	StoredInDir = "dir" // a file in the data directory (SQLite)
	StoredInDB  = "db"  // rows of file_chunks (PostgreSQL: every instance reads them)
)

// FileChunkWriter writes a file's bytes, chunk after chunk, inside the
// transaction that records the file; see CreateFile.
type FileChunkWriter func(seq int, data []byte) error

// CreateFile records f (its id and time are set) with its bytes kept where
// storedIn says. write is called inside the transaction, after the row is
// written and f.ID set: for StoredInDB it is given put to write the chunks;
// for StoredInDir put is nil and write moves the bytes into place (an error
// rolls the row back). The write is audited.
func (db *DB) CreateFile(ctx context.Context, f *vouch.ContentFile, storedIn string, write func(f *vouch.ContentFile, put FileChunkWriter) error) error {
	if storedIn != StoredInDir && storedIn != StoredInDB {
		return fmt.Errorf("files: unknown place %q", storedIn)
	}
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO files (name, media_type, size, sha256, stored_in, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.Name, f.MediaType, f.Size, f.SHA256, storedIn, tx.now)
		if err != nil {
			return err
		}
		f.ID, f.CreatedAt = id, tx.now
		var put FileChunkWriter
		if storedIn == StoredInDB {
			put = func(seq int, data []byte) error {
				_, err := tx.exec(`INSERT INTO file_chunks (file_id, seq, data) VALUES (?, ?, ?)`, id, seq, data)
				return err
			}
		}
		if write != nil {
			if err := write(f, put); err != nil {
				return err
			}
		}
		return tx.audit("create", vouch.EntityFile, id, []vouch.Change{{Field: "name", After: f.Name},
			{Field: "media_type", After: f.MediaType}, {Field: "size", After: f.Size}, {Field: "sha256", After: f.SHA256}})
	})
}

// File returns the file with id and where its bytes are kept.
func (db *DB) File(ctx context.Context, id int64) (*vouch.ContentFile, string, error) {
	f := &vouch.ContentFile{}
	var storedIn string
	err := db.queryRow(ctx, `SELECT id, name, media_type, size, sha256, stored_in, created_at FROM files WHERE id = ?`, id).
		Scan(&f.ID, &f.Name, &f.MediaType, &f.Size, &f.SHA256, &storedIn, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", vouch.Errorf(vouch.ENOTFOUND, "File %d not found.", id)
	}
	if err != nil {
		return nil, "", err
	}
	return f, storedIn, nil
}

// FileChunk returns chunk seq of a file kept in the database; a chunk past
// the last is an ENOTFOUND error.
func (db *DB) FileChunk(ctx context.Context, fileID int64, seq int) ([]byte, error) {
	var data []byte
	err := db.queryRow(ctx, `SELECT data FROM file_chunks WHERE file_id = ? AND seq = ?`, fileID, seq).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Part %d of file %d not found.", seq, fileID)
	}
	return data, err
}

// DeleteFileIfUnused deletes the file with id (its chunks go with it) when
// no content item and no approval step refers to it any more, and reports
// whether it did and where its bytes were kept: the caller removes a file
// kept in the data directory. The delete is audited.
func (db *DB) DeleteFileIfUnused(ctx context.Context, id int64) (deleted bool, storedIn string, err error) {
	err = db.update(ctx, func(tx *Tx) error {
		var name string
		err := tx.queryRow(`SELECT name, stored_in FROM files WHERE id = ?`, id).Scan(&name, &storedIn)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT (SELECT COUNT(*) FROM content_items WHERE file_id = ?) +
			(SELECT COUNT(*) FROM content_state_events WHERE file_id = ?)`, id, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.exec(`DELETE FROM files WHERE id = ?`, id); err != nil {
			return err
		}
		deleted = true
		return tx.audit("delete", vouch.EntityFile, id, []vouch.Change{{Field: "name", Before: name}})
	})
	return deleted, storedIn, err
}

// PendingContentText lists the items whose file waits for its text to be
// read (a server stopped before it was), oldest first, with their file ids.
func (db *DB) PendingContentText(ctx context.Context) (map[int64]int64, error) {
	rows, err := db.query(ctx, `SELECT id, file_id FROM content_items WHERE text_status = ? AND file_id IS NOT NULL ORDER BY id`, vouch.TextPending)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, fileID int64
		if err := rows.Scan(&id, &fileID); err != nil {
			return nil, err
		}
		out[id] = fileID
	}
	return out, rows.Err()
}

// FileStats counts the files kept and the chunks of those kept in the database.
func (db *DB) FileStats(ctx context.Context) (files, chunks int, err error) {
	err = db.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM files), (SELECT COUNT(*) FROM file_chunks)`).Scan(&files, &chunks)
	return files, chunks, err
}
