package files_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestBackupCopiesTheUploadedFilesOfSQLite(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
	fs, err := files.New(db)
	if err != nil {
		t.Fatal(err)
	}
	pdf := testutil.PDFBytes("A case study worth keeping")
	f, err := fs.Put(ctx, "story.pdf", bytes.NewReader(pdf), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "vouch-2026-12-02.db")
	dir := files.BackupDir(backup)
	if filepath.Base(dir) != "vouch-2026-12-02.files" {
		t.Fatalf("backup folder %s", dir)
	}
	n, err := files.Backup(db, dir)
	if err != nil || n != 1 {
		t.Fatalf("backed up %d files: %v", n, err)
	}
	got, err := os.ReadFile(filepath.Join(dir, filepath.Base(storedPath(t, db, f.ID))))
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("the backed-up file differs from the upload (%v)", err)
	}
	if _, err := files.Backup(db, dir); err == nil {
		t.Error("a second backup into the same folder was not refused")
	}
}

// storedPath is where the data directory keeps file id.
func storedPath(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(filepath.Dir(db.Path), "files"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("the files folder holds %d entries (%v), want 1 for file %d", len(entries), err, id)
	}
	return entries[0].Name()
}
