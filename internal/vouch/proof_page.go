package vouch

import (
	"fmt"
	"strings"
	"time"
)

// ProofPageMaxDays is the longest a proof page link may last: a buyer's
// evaluation, not a permanent address.
const ProofPageMaxDays = 180

// ProofPageMaxItems bounds the items on one proof page.
const ProofPageMaxItems = 30

// Letter of a proof page link in a signed token (see internal/signedlink);
// the request loop's links use others.
const ProofPageLetter = 'p'

// CheckProofPage normalises and checks a new proof page: a title, at least
// one item (each once), and a link lasting days (0: ProofPageDays) from now,
// which it sets as p.ExpiresAt.
func CheckProofPage(p *ProofPage, days int, now time.Time) error {
	var v Validation
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	p.Prospect = strings.Join(strings.Fields(p.Prospect), " ")
	p.Message = strings.TrimSpace(p.Message)
	switch {
	case p.Title == "":
		v.Add("title", "is required: what the buyer sees on top, e.g. “Customer stories for Initech”")
	case len(p.Title) > 200:
		v.Add("title", "must be at most 200 characters")
	}
	if len(p.Prospect) > 200 {
		v.Add("prospect", "must be at most 200 characters")
	}
	if len(p.Message) > 5000 {
		v.Add("message", "must be at most 5,000 characters")
	}
	seen := map[int64]bool{}
	ids := []int64{}
	for _, id := range p.ContentIDs {
		if id <= 0 {
			v.Add("content_ids", fmt.Sprintf("%d is not a content item", id))
			continue
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	p.ContentIDs = ids
	switch {
	case len(ids) == 0:
		v.Add("content_ids", "choose at least one item approved for external use")
	case len(ids) > ProofPageMaxItems:
		v.Add("content_ids", fmt.Sprintf("a proof page shows at most %d items", ProofPageMaxItems))
	}
	if days == 0 {
		days = ProofPageDays
	}
	if days < 1 || days > ProofPageMaxDays {
		v.Add("expires_in_days", fmt.Sprintf("must be a whole number of days from 1 to %d", ProofPageMaxDays))
	}
	p.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour)
	return v.Err()
}

// NotShareable is the problem with an item a seller puts on a proof page
// that may not reach a buyer.
func NotShareable(title string, s ContentState) string {
	return fmt.Sprintf("“%s” is %s: only content approved for external use can go on a proof page", title, strings.ToLower(s.Label()))
}

// ProofPageFilter selects proof pages; zero values match everything.
type ProofPageFilter struct {
	CreatedBy     int64 // the seller's own
	OpportunityID int64
	Offset, Limit int
}

// ProofPageItemStats is what buyers did with one item of a proof page.
type ProofPageItemStats struct {
	ContentID int64 `json:"content_id"`
	Views     int   `json:"views"`
	Downloads int   `json:"downloads"`
}

// MaySeeProofPage reports whether u may open proof page p: its seller, and
// the program team.
func MaySeeProofPage(u *User, p *ProofPage) bool {
	return u.Can(PermManageContent) || (p.CreatedBy != 0 && p.CreatedBy == u.ID)
}

// ContentRequestTagKinds are the picklists a content request is described by.
var ContentRequestTagKinds = []TaxonomyKind{TaxIndustry, TaxRegion, TaxProduct, TaxUseCase, TaxSegment}

// TagIDs returns the request's values of a picklist kind (nil for kinds it has no field for).
func (r *ContentRequest) TagIDs(kind TaxonomyKind) []int64 {
	switch kind {
	case TaxIndustry:
		return r.IndustryIDs
	case TaxRegion:
		return r.RegionIDs
	case TaxProduct:
		return r.ProductIDs
	case TaxUseCase:
		return r.UseCaseIDs
	case TaxSegment:
		return r.SegmentIDs
	}
	return nil
}

// SetTagIDs replaces the request's values of a picklist kind.
func (r *ContentRequest) SetTagIDs(kind TaxonomyKind, ids []int64) {
	switch kind {
	case TaxIndustry:
		r.IndustryIDs = ids
	case TaxRegion:
		r.RegionIDs = ids
	case TaxProduct:
		r.ProductIDs = ids
	case TaxUseCase:
		r.UseCaseIDs = ids
	case TaxSegment:
		r.SegmentIDs = ids
	}
}

// Normalize fills empty lists and trims the text.
func (r *ContentRequest) Normalize() {
	r.Description = strings.TrimSpace(r.Description)
	r.Note = strings.TrimSpace(r.Note)
	if r.State == "" {
		r.State = ContentRequestOpen
	}
	for _, k := range ContentRequestTagKinds {
		if r.TagIDs(k) == nil {
			r.SetTagIDs(k, []int64{})
		}
	}
}

// Validate normalises and checks what a seller types into a content request.
func (r *ContentRequest) Validate() error {
	var v Validation
	r.Normalize()
	switch {
	case r.Description == "":
		v.Add("description", "is required: what content you need, e.g. “a Healthcare case study for Analytics in EMEA”")
	case len(r.Description) > 2000:
		v.Add("description", "must be at most 2,000 characters")
	}
	if len(r.Note) > 2000 {
		v.Add("note", "must be at most 2,000 characters")
	}
	return v.Err()
}

// ContentRequestFilter selects content requests; zero values match everything.
type ContentRequestFilter struct {
	RequestedBy   int64
	State         string
	Offset, Limit int
}

// ContentRequestMove is the team's step on a content request, read at Version.
type ContentRequestMove struct {
	State       string
	Note        *string // nil: keep the note
	FulfilledBy *int64  // nil: keep it
	Version     int
}

// MayMoveContentRequest reports whether u may move content requests along:
// the program team.
func MayMoveContentRequest(u *User) bool { return u.Can(PermManageContent) }

// MaySeeContentRequest reports whether u may open r: its requester, and the team.
func MaySeeContentRequest(u *User, r *ContentRequest) bool {
	return u.Can(PermManageContent) || (r.RequestedBy != 0 && r.RequestedBy == u.ID)
}

// ContentRequestAnswer is the in-app notification a requester gets when the
// team closes their content request; "" when the move tells them nothing.
func ContentRequestAnswer(r *ContentRequest, to, itemTitle string) string {
	what := r.Description
	if rs := []rune(what); len(rs) > 80 {
		what = strings.TrimSpace(string(rs[:77])) + "…"
	}
	switch to {
	case ContentRequestDone:
		return fmt.Sprintf("Your content request “%s” is done: “%s” is in the library.", what, itemTitle)
	case ContentRequestDeclined:
		return fmt.Sprintf("Your content request “%s” was declined: %s", what, r.Note)
	}
	return ""
}
