package files

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
)

// BackupDir is where Backup puts the files of a database backed up to file:
// beside it, "vouch-2026-12-02.db" → "vouch-2026-12-02.files".
func BackupDir(file string) string {
	return strings.TrimSuffix(file, filepath.Ext(file)) + ".files"
}

// Backup copies the uploaded files of a SQLite database into dest, which
// must not exist yet, and returns how many it copied. Files are never
// changed once written, so copying while Vouch runs is safe; uploads still
// being received are left out. With PostgreSQL the files are in the
// database and there is nothing to copy.
//
// Run it after the database's own backup: a file uploaded in between is
// then copied too, harmlessly; only a file deleted in between (its item
// deleted or its file replaced) can be missing from the copy.
func Backup(db *store.DB, dest string) (int, error) {
	if db.Engine != store.SQLite {
		return 0, nil
	}
	src := filepath.Join(filepath.Dir(db.Path), "files")
	entries, err := os.ReadDir(src)
	if os.IsNotExist(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if _, err := os.Stat(dest); err == nil {
		return 0, fmt.Errorf("backup folder %s already exists; choose a new name", dest)
	}
	if err := os.MkdirAll(dest, 0o700); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".upload-") {
			continue
		}
		from, to := filepath.Join(src, e.Name()), filepath.Join(dest, e.Name())
		// A hard link costs nothing on the same disk and is safe: files are never written again.
		if err := os.Link(from, to); err != nil {
			if err := copyFile(from, to); err != nil {
				if os.IsNotExist(err) {
					continue // deleted meanwhile
				}
				return n, fmt.Errorf("backing up %s: %w", e.Name(), err)
			}
		}
		n++
	}
	return n, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
