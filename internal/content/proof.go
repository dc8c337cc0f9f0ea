package content

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/vouchhq/vouch/internal/signedlink"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Proof pages: a seller puts approved-for-external items on a read-only
// page for a prospect and sends its signed, expiring link. The buyer needs
// no account; the link is the credential. Whatever is wrong with a link —
// altered, unknown, revoked, expired — the buyer is told the same thing, so
// a guess learns nothing.

// ErrProofUnavailable is the one answer to a proof page link that cannot be
// shown, whatever the reason.
var ErrProofUnavailable = vouch.Errorf(vouch.ENOTFOUND, "This page is not available.")

// ProofPageInput is what a seller gives to make a proof page.
type ProofPageInput struct {
	Title         string
	Prospect      string
	Message       string
	OpportunityID int64
	ContentIDs    []int64
	ExpiresInDays int // 0: vouch.ProofPageDays
}

// proofLinks signs proof page links with the installation's key, loaded
// the first time one is needed.
type proofLinks struct {
	mu     sync.Mutex
	signer *signedlink.Signer
}

func (s *Service) links(ctx context.Context) (*signedlink.Signer, error) {
	l := &s.proof
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.signer == nil {
		signer, err := signedlink.Load(ctx, s.db)
		if err != nil {
			return nil, err
		}
		l.signer = signer
	}
	return l.signer, nil
}

// CreateProofPage makes a proof page of by's and returns it with its link's
// token, which is shown once: only its hash is kept. Every item must be
// approved for external use today; each problem is reported at once, naming
// the item. Adding an item records a proof_page use of it.
func (s *Service) CreateProofPage(ctx context.Context, by *vouch.User, in ProofPageInput) (*vouch.ProofPage, string, error) {
	p := &vouch.ProofPage{Title: in.Title, Prospect: in.Prospect, Message: in.Message, OpportunityID: in.OpportunityID,
		ContentIDs: in.ContentIDs}
	var v vouch.Validation
	if err := v.Merge(vouch.CheckProofPage(p, in.ExpiresInDays, s.db.Now())); err != nil {
		return nil, "", err
	}
	if len(p.ContentIDs) > 0 {
		items, err := s.db.ContentItems(ctx, p.ContentIDs)
		if err != nil {
			return nil, "", err
		}
		found := map[int64]*vouch.ContentItem{}
		for _, it := range items {
			found[it.ID] = it
		}
		today := s.db.Today()
		for _, id := range p.ContentIDs {
			it := found[id]
			switch {
			case it == nil || !vouch.ContentShown(by.Can(vouch.PermManageContent), it.EffectiveState(today), false):
				v.Add("content_ids", fmt.Sprintf("%d is not a content item you can share", id))
			case !vouch.ContentShareable(it.EffectiveState(today)):
				v.Add("content_ids", vouch.NotShareable(it.Title, it.EffectiveState(today)))
			}
		}
	}
	if p.OpportunityID != 0 {
		o, err := s.db.Opportunity(ctx, p.OpportunityID)
		switch {
		case vouch.ErrorCode(err) == vouch.ENOTFOUND:
			v.Add("opportunity", "is not a known opportunity")
		case err != nil:
			return nil, "", err
		case !vouch.MayRequestFor(by, o):
			v.Add("opportunity", vouch.NotYourOpportunity)
		}
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	signer, err := s.links(ctx)
	if err != nil {
		return nil, "", err
	}
	token, hash := signer.Issue(vouch.ProofPageLetter)
	if err := s.db.CreateProofPage(vouch.WithActor(ctx, vouch.UserActor(by)), p, hash); err != nil {
		return nil, "", err
	}
	saved, err := s.db.ProofPage(ctx, p.ID)
	return saved, token, err
}

// ProofPages lists the proof pages by may see: a seller their own, the
// program team every one; f.CreatedBy narrows the team's list.
func (s *Service) ProofPages(ctx context.Context, by *vouch.User, f vouch.ProofPageFilter) ([]*vouch.ProofPage, int, error) {
	if !by.Can(vouch.PermManageContent) {
		f.CreatedBy = by.ID
	}
	return s.db.ListProofPages(ctx, f)
}

// ProofPage reads page id for by; a page by may not see is not found.
func (s *Service) ProofPage(ctx context.Context, by *vouch.User, id int64) (*vouch.ProofPage, error) {
	p, err := s.db.ProofPage(ctx, id)
	if err != nil {
		return nil, err
	}
	if !vouch.MaySeeProofPage(by, p) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Proof page %d not found.", id)
	}
	return p, nil
}

// ProofPageStats is, per item of page id, the buyers' views and downloads.
func (s *Service) ProofPageStats(ctx context.Context, id int64) (map[int64]*vouch.ProofPageItemStats, error) {
	return s.db.ProofPageStats(ctx, id)
}

// RevokeProofPage ends page id's link for good.
func (s *Service) RevokeProofPage(ctx context.Context, by *vouch.User, id int64) (*vouch.ProofPage, error) {
	if _, err := s.ProofPage(ctx, by, id); err != nil {
		return nil, err
	}
	if err := s.db.RevokeProofPage(vouch.WithActor(ctx, vouch.UserActor(by)), id); err != nil {
		return nil, err
	}
	return s.db.ProofPage(ctx, id)
}

// PublicProof is what a buyer sees of a proof page: the page and the items
// still approved for external use, in the seller's order.
type PublicProof struct {
	Page  *vouch.ProofPage
	Items []*vouch.ContentItem
}

// openProof finds the page of token and the items it may show now; any
// problem with the link is ErrProofUnavailable.
func (s *Service) openProof(ctx context.Context, token string) (*PublicProof, error) {
	signer, err := s.links(ctx)
	if err != nil {
		return nil, err
	}
	letter, hash, ok := signer.Check(token)
	if !ok || letter != vouch.ProofPageLetter {
		return nil, ErrProofUnavailable
	}
	p, err := s.db.ProofPageByNonce(ctx, hash)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, ErrProofUnavailable
	} else if err != nil {
		return nil, err
	}
	if vouch.ProofPageOpen(p, s.db.Now()) != nil {
		return nil, ErrProofUnavailable
	}
	items, err := s.db.ContentItems(ctx, p.ContentIDs)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*vouch.ContentItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	out := &PublicProof{Page: p}
	today := s.db.Today()
	for _, id := range p.ContentIDs {
		// Consent that ended or was withdrawn since the page was made takes
		// the item off the page at once.
		if it := byID[id]; it != nil && vouch.ContentShareable(it.EffectiveState(today)) {
			out.Items = append(out.Items, it)
		}
	}
	return out, nil
}

// buyer is the actor of what a buyer does on proof page id.
func buyer(ctx context.Context, id int64) context.Context {
	return vouch.WithActor(ctx, vouch.Actor{Label: fmt.Sprintf("buyer on proof page %d", id)})
}

// ViewProofPage opens the page of token for a buyer and records the view:
// the page's count, and a proof_view use of each item shown.
func (s *Service) ViewProofPage(ctx context.Context, token string) (*PublicProof, error) {
	pp, err := s.openProof(ctx, token)
	if err != nil {
		return nil, err
	}
	shown := make([]int64, len(pp.Items))
	for i, it := range pp.Items {
		shown[i] = it.ID
	}
	if err := s.db.RecordProofView(buyer(ctx, pp.Page.ID), pp.Page, shown); err != nil {
		return nil, err
	}
	pp.Page.Views++
	now := s.db.Now()
	pp.Page.LastViewedAt = &now
	return pp, nil
}

// ProofDownload opens the file of item contentID on the page of token for
// a buyer, and records the download unless count is false (the further
// parts of one download a browser asks for by Range). Only an item shown
// on the page and with a file is found; anything else is
// ErrProofUnavailable. The caller closes the reader; send it with
// files.Serve.
func (s *Service) ProofDownload(ctx context.Context, token string, contentID int64, count bool) (*vouch.ContentFile, io.ReadCloser, error) {
	pp, err := s.openProof(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	for _, it := range pp.Items {
		if it.ID != contentID || it.File == nil {
			continue
		}
		f, rc, err := s.OpenFile(ctx, it.File.ID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			return nil, nil, ErrProofUnavailable
		} else if err != nil {
			return nil, nil, err
		}
		if count {
			if err := s.db.RecordProofDownload(buyer(ctx, pp.Page.ID), pp.Page, it.ID); err != nil {
				rc.Close()
				return nil, nil, err
			}
		}
		return f, rc, nil
	}
	return nil, nil, ErrProofUnavailable
}
