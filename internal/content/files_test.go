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

func TestReplacedAndDeletedFilesAreRemoved(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		item := l.item(t, "Replace me")
		if _, err := l.s.Upload(l.ctx, item.ID, "one.txt", strings.NewReader("first version")); err != nil {
			t.Fatal(err)
		}
		l.waitText(t, item.ID)
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		got, err := l.s.Upload(l.ctx, item.ID, "two.png", bytes.NewReader(png))
		if err != nil {
			t.Fatal(err)
		}
		// An image has no text to read: nothing waits.
		if got.File.MediaType != "image/png" || got.TextStatus != vouch.TextNone {
			t.Errorf("png: %+v, text %q", got.File, got.TextStatus)
		}
		if n, _, _ := db.FileStats(l.ctx); n != 1 {
			t.Errorf("%d files after replacing, want 1", n)
		}
		if ids := l.found("first"); len(ids) != 0 {
			t.Errorf("the replaced file's words are still found: %v", ids)
		}

		// An approval's document outlives the item's file, not the item.
		doc, err := l.s.StoreDocument(l.ctx, "approval.eml", strings.NewReader("From: Dana Park <dana@nimbus.example>\r\nSubject: OK to publish\r\n\r\nYes, approved.\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if doc.MediaType != "message/rfc822" {
			t.Errorf("approval mail kept as %s", doc.MediaType)
		}
		if _, err := l.s.ChangeState(l.ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentAwaitingApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.ChangeState(l.ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			Method: vouch.ApprovalByMail, ApprovedBy: "Dana Park", FileID: doc.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Upload(l.ctx, item.ID, "three.txt", strings.NewReader("third")); err != nil {
			t.Fatal(err)
		}
		l.waitText(t, item.ID)
		if _, _, err := l.s.OpenFile(l.ctx, doc.ID); err != nil {
			t.Errorf("the approval mail is gone with the item's file: %v", err)
		}
		if err := l.s.Delete(l.ctx, item.ID); err != nil {
			t.Fatal(err)
		}
		if n, chunks, _ := db.FileStats(l.ctx); n != 0 || chunks != 0 {
			t.Errorf("%d files, %d chunks after deleting the item", n, chunks)
		}
		if db.Engine == store.SQLite {
			if left, _ := os.ReadDir(filepath.Join(filepath.Dir(db.Path), "files")); len(left) != 0 {
				t.Errorf("left in the data directory: %v", left)
			}
		}
	})
}

func TestApprovalDocumentsOfTheirKindsOnly(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		for name, data := range map[string]string{
			"mail.eml":  "<html><body>approved</body></html>",
			"video.mp4": "\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
		} {
			if _, err := l.s.StoreDocument(l.ctx, name, strings.NewReader(data)); vouch.ErrorFields(err)["file"] == "" {
				t.Errorf("%s: kept as an approval document (%v)", name, err)
			}
		}
		for name, want := range map[string]string{"signed.pdf": files.PDF.MediaType, "pasted.txt": files.Text.MediaType} {
			data := "Yes, you may use the quote. Dana"
			if name == "signed.pdf" {
				data = string(testutil.PDFBytes(data))
			}
			f, err := l.s.StoreDocument(l.ctx, name, strings.NewReader(data))
			if err != nil || f.MediaType != want {
				t.Errorf("%s: %+v %v", name, f, err)
			}
		}
	})
}

func TestPasswordProtectedOfficeFilesAreKeptUnreadable(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		item := l.item(t, "Locked deck")
		cfb := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
		got, err := l.s.Upload(l.ctx, item.ID, "locked.pptx", bytes.NewReader(cfb))
		if err != nil {
			t.Fatal(err)
		}
		if got.File.MediaType != files.PPTX.MediaType {
			t.Errorf("kept as %s", got.File.MediaType)
		}
		if done := l.waitText(t, item.ID); done.TextStatus != vouch.TextUnreadable || !strings.Contains(done.TextReason, "encrypted") {
			t.Errorf("text %q: %q", done.TextStatus, done.TextReason)
		}
		// The same bytes under an old Office name are refused: Vouch reads
		// neither DOC nor PPT.
		if _, err := l.s.Upload(l.ctx, item.ID, "old.ppt", bytes.NewReader(cfb)); !strings.Contains(vouch.ErrorFields(err)["file"], "old Office file") {
			t.Errorf("old.ppt: %v", vouch.ErrorFields(err))
		}
	})
}

// A file whose text a stopped server had not read yet is read at the next
// start (ResumeText).
func TestPendingTextIsReadAgainAtStart(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLibrary(t, db)
		item := l.item(t, "Interrupted")
		// As a server that died between the upload and the reading left it.
		f, err := l.store.Put(l.ctx, "notes.docx", bytes.NewReader(testutil.DOCX("The gyroscope story.")), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AttachContentFile(l.ctx, item.ID, f.ID, vouch.TextPending); err != nil {
			t.Fatal(err)
		}
		if err := l.s.ResumeText(l.ctx); err != nil {
			t.Fatal(err)
		}
		if done := l.waitText(t, item.ID); done.TextStatus != vouch.TextExtracted {
			t.Fatalf("text %s: %s", done.TextStatus, done.TextReason)
		}
		if ids := l.found("gyroscope"); len(ids) != 1 {
			t.Errorf("found %v", ids)
		}
	})
}
