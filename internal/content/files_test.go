package content_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// library is a content service with files and a runner, and the content
// index following the database's feed.
type library struct {
	s     *content.Service
	ix    *contentindex.Index
	poll  func()
	admin *vouch.User
	ctx   context.Context // acting as admin
	store *files.Store
}

func newLibrary(t *testing.T, db *store.DB) *library {
	t.Helper()
	feed, cat, _ := testutil.ReadModels(t, db)
	ix := testutil.Library(t, db, feed, cat)
	s := content.New(db, cat)
	fs, err := files.New(db)
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(context.Background(), db, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(runner.Close)
	s.SetFiles(fs, runner)
	admin := testutil.CreateUser(t, db, "admin@example.com", vouch.RoleAdmin)
	return &library{s: s, ix: ix, store: fs, admin: admin,
		ctx: vouch.WithActor(context.Background(), vouch.UserActor(admin)),
		poll: func() {
			if err := feed.Poll(context.Background()); err != nil {
				t.Fatal(err)
			}
		}}
}

func (l *library) item(t *testing.T, title string) *vouch.ContentItem {
	t.Helper()
	item, err := l.s.Create(l.ctx, vouch.ContentInput{Type: str("case study"), Title: str(title)})
	if err != nil {
		t.Fatal(err)
	}
	return item
}

func (l *library) waitText(t *testing.T, id int64) *vouch.ContentItem {
	t.Helper()
	wctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
	defer cancel()
	item, err := l.s.WaitForText(wctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return item
}

// found reports which item ids a team search for word returns.
func (l *library) found(word string) []int64 {
	l.poll()
	var ids []int64
	for _, h := range l.ix.Search(contentindex.Query{Text: word, Manage: true, Limit: -1}).Items {
		ids = append(ids, h.Item.ID)
	}
	return ids
}

func TestUploadedDocumentsAreFoundByTheWordsInThem(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		for _, c := range []struct {
			name, word, mediaType string
			data                  []byte
		}{
			{"nimbus.pdf", "turbofan", files.PDF.MediaType, testutil.PDFBytes("Nimbus Air case study", "Page two mentions the turbofan fleet.")},
			{"nimbus.docx", "hangar", files.DOCX.MediaType, testutil.DOCX("Nimbus Air", "Their hangar crews now plan in minutes.")},
			{"nimbus.pptx", "propeller", files.PPTX.MediaType, testutil.PPTX("Title slide", "Results: propeller maintenance down 30%")},
			{"quote.txt", "runway", files.Text.MediaType, []byte("We cut runway delays in half.\n")},
		} {
			item := l.item(t, "Story in "+c.name)
			got, err := l.s.Upload(l.ctx, item.ID, c.name, bytes.NewReader(c.data))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got.File == nil || got.File.MediaType != c.mediaType || got.File.Size != int64(len(c.data)) || got.TextStatus != vouch.TextPending {
				t.Fatalf("%s: uploaded as %+v, %+v", c.name, got.File, got)
			}
			done := l.waitText(t, item.ID)
			if done.TextStatus != vouch.TextExtracted {
				t.Fatalf("%s: text %s: %s", c.name, done.TextStatus, done.TextReason)
			}
			if ids := l.found(c.word); len(ids) != 1 || ids[0] != item.ID {
				t.Errorf("%s: search for %q found %v, want item %d", c.name, c.word, ids, item.ID)
			}
			f, rc, err := l.s.OpenFile(l.ctx, got.File.ID)
			if err != nil {
				t.Fatal(err)
			}
			back, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(back, c.data) || f.Name != c.name {
				t.Errorf("%s: read back %d bytes as %q", c.name, len(back), f.Name)
			}
		}
	})
}

func TestFilesTheyCannotBeAreRefusedAndNothingIsKept(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		item := l.item(t, "Liar")
		ps, _ := db.ProgramSettings(l.ctx)
		ps.MaxUploadMB = 1
		if err := db.SetProgramSettings(l.ctx, ps); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			data []byte
			want string
		}{
			{"report.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "is HTML, not a PDF"},
			{"logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "is an SVG image, not a PNG image"},
			{"notes.txt", []byte("<html><body>hi</body></html>"), "is HTML, not plain text"},
			{"deck.pdf", testutil.PPTX("slide"), "is a PowerPoint deck (PPTX), not a PDF"},
			{"app.js", []byte("alert(document.cookie)"), "never keeps"},
			{"big.pdf", append(testutil.PDFBytes("x"), bytes.Repeat([]byte(" "), 1<<20)...), "is larger than the 1 MB limit"},
			{"empty.pdf", nil, "is empty"},
		} {
			_, err := l.s.Upload(l.ctx, item.ID, c.name, bytes.NewReader(c.data))
			if vouch.ErrorCode(err) != vouch.EINVALID || !strings.Contains(vouch.ErrorFields(err)["file"], c.want) {
				t.Errorf("%s: got %v (%v), want a file problem %q", c.name, err, vouch.ErrorFields(err), c.want)
			}
		}
		if n, chunks, err := db.FileStats(l.ctx); err != nil || n != 0 || chunks != 0 {
			t.Errorf("%d files, %d chunks kept after refusals (%v)", n, chunks, err)
		}
		if db.Engine == store.SQLite {
			left, _ := os.ReadDir(filepath.Join(filepath.Dir(db.Path), "files"))
			if len(left) != 0 {
				t.Errorf("files left in the data directory: %v", left)
			}
		}
	})
}

func TestADamagedOrEncryptedFileIsKeptWithTheReason(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		good := testutil.PDFBytes("fine words")
		for _, c := range []struct {
			name string
			data []byte
			want string
		}{
			{"cut.pdf", good[:len(good)/2], "the file is damaged"},
			{"locked.pdf", encrypted(good), "the PDF is encrypted"},
		} {
			item := l.item(t, c.name)
			got, err := l.s.Upload(l.ctx, item.ID, c.name, bytes.NewReader(c.data))
			if err != nil {
				t.Fatalf("%s: the upload failed: %v", c.name, err)
			}
			done := l.waitText(t, item.ID)
			if done.TextStatus != vouch.TextUnreadable || !strings.Contains(done.TextReason, c.want) || done.File.ID != got.File.ID {
				t.Errorf("%s: text %q (%q), want unreadable: %q", c.name, done.TextStatus, done.TextReason, c.want)
			}
		}
	})
}

// encrypted marks a PDF's trailer as encrypted with a standard security
// handler whose user password is not empty.
func encrypted(pdf []byte) []byte {
	enc := "/Encrypt << /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -4 >> /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]"
	return bytes.Replace(pdf, []byte("/Root 1 0 R"), []byte("/Root 1 0 R "+enc), 1)
}
