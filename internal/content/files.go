package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/extract"
	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/vouch"
)

// ExtractTimeout bounds how long reading one file's text may take; a file
// that takes longer is marked unreadable rather than holding a worker.
var ExtractTimeout = 2 * time.Minute

// SetFiles gives the service where uploaded files are kept and the runner
// their text is read in (the server's one runner, shared with imports).
// Without it, Upload, StoreDocument and OpenFile fail.
func (s *Service) SetFiles(f *files.Store, runner *jobs.Runner) {
	s.files, s.runner = f, runner
}

// SetLogger sets where extraction failures Vouch did not expect are logged.
func (s *Service) SetLogger(l *slog.Logger) { s.log = l }

func (s *Service) logger() *slog.Logger {
	if s.log == nil {
		return slog.Default()
	}
	return s.log
}

func (s *Service) checkFiles() error {
	if s.files == nil {
		return errors.New("content: no file store (SetFiles was not called)")
	}
	return nil
}

// Upload makes the file read from r, called name, item itemID's file. The
// file is streamed (never held in memory whole), at most the program's
// upload limit, of a kind of files.Library decided from its bytes; any
// refusal is an EINVALID error on field "file" and keeps nothing. The
// file it replaces is deleted unless an approval still refers to it. Text
// is read from it in the background (text status pending until then); the
// item returned is as of the upload.
func (s *Service) Upload(ctx context.Context, itemID int64, name string, r io.Reader) (*vouch.ContentItem, error) {
	if err := s.checkFiles(); err != nil {
		return nil, err
	}
	before, err := s.db.ContentItem(ctx, itemID)
	if err != nil {
		return nil, err
	}
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.files.Put(ctx, name, r, ps.MaxUploadBytes())
	if err != nil {
		return nil, err
	}
	status := vouch.TextNone
	if extract.Supports(f.MediaType) {
		status = vouch.TextPending
	}
	item, err := s.db.AttachContentFile(ctx, itemID, f.ID, status)
	if err != nil {
		if _, derr := s.files.Delete(context.WithoutCancel(ctx), f.ID); derr != nil {
			s.logger().Warn("removing an upload that was not attached", "file", f.ID, "err", derr)
		}
		return nil, err
	}
	if before.File != nil && before.File.ID != f.ID {
		s.dropFile(ctx, before.File)
	}
	if status == vouch.TextPending {
		owner := vouch.ActorFrom(ctx).UserID
		if owner == 0 {
			owner = item.OwnerID
		}
		if err := s.startExtract(ctx, owner, item.ID, f); err != nil {
			return nil, err
		}
	}
	return item, nil
}

// dropFile deletes f, an item's file no more, unless an approval still
// refers to it. A failure leaves an unused file behind, logged: the change
// it follows is made.
func (s *Service) dropFile(ctx context.Context, f *vouch.ContentFile) {
	if f == nil || s.files == nil {
		return
	}
	if _, err := s.files.Delete(context.WithoutCancel(ctx), f.ID); err != nil {
		s.logger().Warn("deleting a file no item uses", "file", f.ID, "err", err)
	}
}

// StoreDocument keeps the proof of an approval, the customer's mail or a
// signed document, read from r: a PDF, a DOCX, plain text, a mail saved as
// .eml (kept as message/rfc822 and always downloaded, never shown) or an
// image, at most the upload limit. Its id goes into
// vouch.ContentStateChange.FileID; until an approval refers to it nothing
// else does, and it is kept regardless.
func (s *Service) StoreDocument(ctx context.Context, name string, r io.Reader) (*vouch.ContentFile, error) {
	if err := s.checkFiles(); err != nil {
		return nil, err
	}
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	return s.files.PutOnly(ctx, name, r, ps.MaxUploadBytes(), files.Documents)
}

// OpenFile returns the file with fileID and its bytes (a files.Reader: it
// can seek, for Range requests); the caller closes them and decides
// whether the reader may see the file. Send it with files.Serve.
func (s *Service) OpenFile(ctx context.Context, fileID int64) (*vouch.ContentFile, io.ReadCloser, error) {
	if err := s.checkFiles(); err != nil {
		return nil, nil, err
	}
	return s.files.Open(ctx, fileID)
}

// TextJob is the newest text-reading job of item itemID that user started
// (its progress while it runs), or nil when there is none.
func (s *Service) TextJob(ctx context.Context, user, itemID int64) (*vouch.Job, error) {
	if s.runner == nil || user == 0 {
		return nil, nil
	}
	j, err := s.runner.Latest(ctx, user, vouch.JobExtract, strconv.FormatInt(itemID, 10))
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, nil
	}
	return j, err
}

// WaitForText waits until item itemID's text is no longer pending (read,
// or unreadable) or ctx ends, and returns the item.
func (s *Service) WaitForText(ctx context.Context, itemID int64) (*vouch.ContentItem, error) {
	for {
		item, err := s.db.ContentItem(ctx, itemID)
		if err != nil || item.TextStatus != vouch.TextPending {
			return item, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// ResumeText reads the text of the items a stopped server left pending. It
// is called once at start; the reading runs in the background as jobs of
// the items' owners, and an item without an owner is read here, before
// ResumeText returns (ctx stops it).
func (s *Service) ResumeText(ctx context.Context) error {
	if err := s.checkFiles(); err != nil {
		return err
	}
	pending, err := s.db.PendingContentText(ctx)
	if err != nil {
		return err
	}
	for itemID, fileID := range pending {
		item, err := s.db.ContentItem(ctx, itemID)
		if err != nil {
			continue // deleted meanwhile
		}
		if item.File == nil || item.File.ID != fileID {
			continue
		}
		if err := s.startExtract(ctx, item.OwnerID, itemID, item.File); err != nil {
			return err
		}
	}
	return nil
}

// startExtract reads f's text for item itemID in the background, as a job
// of owner; with no owner (or no runner) it reads it at once, here.
func (s *Service) startExtract(ctx context.Context, owner, itemID int64, f *vouch.ContentFile) error {
	if s.runner == nil || owner == 0 {
		_, err := s.extract(ctx, nil, itemID, f.ID)
		return err
	}
	_, err := s.runner.Start(ctx, owner, vouch.JobExtract, strconv.FormatInt(itemID, 10), f.Name,
		func(ctx context.Context, p *jobs.Progress) (any, error) {
			return s.extract(ctx, p, itemID, f.ID)
		})
	return err
}

// extractResult is what a finished text job keeps.
type extractResult struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	Words  int    `json:"words"`
}

// extract reads file fileID's text and records it as item itemID's. A file
// that cannot be read is recorded unreadable with the reason; the job
// fails only when Vouch stops (the item stays pending, and is read again
// at the next start) or on a problem of Vouch's own.
func (s *Service) extract(ctx context.Context, p *jobs.Progress, itemID, fileID int64) (any, error) {
	if p == nil {
		p = &jobs.Progress{}
	}
	p.Phase("Reading the file's text")
	f, rd, err := s.files.OpenReader(ctx, fileID)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var ra io.ReaderAt = rd
	if _, local := rd.(*os.File); !local {
		// A file kept in the database is copied out first: a PDF reader
		// reads all over the file, one query per jump otherwise.
		tmp, err := os.CreateTemp("", "vouch-extract-*")
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if _, err := io.Copy(tmp, rd); err != nil {
			return nil, fmt.Errorf("copying file %d out of the database: %w", fileID, err)
		}
		ra = tmp
	}
	rctx, cancel := context.WithTimeout(ctx, ExtractTimeout)
	defer cancel()
	text, err := extract.Text(rctx, f.MediaType, ra, f.Size, p.Set)
	res := extractResult{Status: vouch.TextExtracted}
	var u *extract.Unreadable
	switch {
	case err == nil:
		res.Words = len(strings.Fields(text))
	case ctx.Err() != nil:
		return nil, ctx.Err() // Vouch stops: the item stays pending
	case errors.Is(err, context.DeadlineExceeded):
		res.Status, res.Reason = vouch.TextUnreadable, "reading its text took longer than "+ExtractTimeout.String()
	case errors.As(err, &u):
		res.Status, res.Reason = vouch.TextUnreadable, u.Reason
	default:
		s.logger().Error("reading a file's text", "item", itemID, "file", fileID, "err", err)
		res.Status, res.Reason = vouch.TextUnreadable, "Vouch could not read the stored file; upload it again"
	}
	if res.Status == vouch.TextUnreadable {
		text = ""
	}
	wctx := context.WithoutCancel(ctx)
	if err := s.db.SetContentText(wctx, itemID, fileID, res.Status, res.Reason, text); err != nil {
		return nil, err
	}
	return res, nil
}

// ItemFile returns item itemID's file and its bytes for a reader who
// manages content (manage) or not: the program team reads every item's
// file; everyone else only those of items vouch.ContentShown shows them
// (approved, or expired and marked so). An item the reader may not see, or
// one without a file, is an ENOTFOUND error, as if it did not exist.
func (s *Service) ItemFile(ctx context.Context, itemID int64, manage bool) (*vouch.ContentItem, *vouch.ContentFile, io.ReadCloser, error) {
	if err := s.checkFiles(); err != nil {
		return nil, nil, nil, err
	}
	item, err := s.db.ContentItem(ctx, itemID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !vouch.ContentShown(manage, item.EffectiveState(s.db.Today()), true) {
		return nil, nil, nil, vouch.Errorf(vouch.ENOTFOUND, "Content item %d not found.", itemID)
	}
	if item.File == nil {
		return nil, nil, nil, vouch.Errorf(vouch.ENOTFOUND, "Content item %d has no file.", itemID)
	}
	f, rc, err := s.files.Open(ctx, item.File.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	return item, f, rc, nil
}
