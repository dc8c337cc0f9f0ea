package vouch

import (
	"strings"
	"time"
)

// Kinds of content use: how a piece reached a buyer or a deal.
const (
	UseCopyLink      = "copy_link"      // a seller copied the item's link
	UseDownload      = "download"       // a seller downloaded the file
	UseProofPage     = "proof_page"     // a seller added it to a proof page
	UseProofView     = "proof_view"     // a buyer opened a proof page showing it
	UseProofDownload = "proof_download" // a buyer downloaded it from a proof page
)

// UseKinds lists the kinds of use a person records ("Use this"); buyers'
// views and downloads are recorded by the proof page itself.
var UseKinds = []string{UseCopyLink, UseDownload, UseProofPage}

// UseKindLabel names a kind of use for people.
func UseKindLabel(k string) string {
	switch k {
	case UseCopyLink:
		return "Link copied"
	case UseDownload:
		return "Downloaded"
	case UseProofPage:
		return "Added to a proof page"
	case UseProofView:
		return "Viewed by a buyer"
	case UseProofDownload:
		return "Downloaded by a buyer"
	}
	return k
}

// ContentUse is one use of an item, against an opportunity when one is named.
type ContentUse struct {
	ID            int64  `json:"id"`
	ContentID     int64  `json:"content_id"`
	Kind          string `json:"kind"`
	UserID        int64  `json:"user_id,omitempty"` // 0 for a buyer on a proof page
	UserName      string `json:"user_name"`
	OpportunityID int64  `json:"opportunity_id,omitempty"`
	ProofPageID   int64  `json:"proof_page_id,omitempty"`
	// OppStage and OppAmountCents are the opportunity's stage and amount
	// when the use was recorded (empty and 0 without an opportunity).
	OppStage       string    `json:"stage_at_request,omitempty"`
	OppAmountCents int64     `json:"amount_at_request_cents,omitempty"`
	At             time.Time `json:"at"`
}

// ContentRating is a seller's verdict on how much an item helped: 1–5 and a
// comment. One per seller and item; rating again replaces it.
type ContentRating struct {
	ID            int64     `json:"id"`
	ContentID     int64     `json:"content_id"`
	UserID        int64     `json:"user_id"`
	UserName      string    `json:"user_name"`
	Rating        int       `json:"rating"`
	Comment       string    `json:"comment"`
	OpportunityID int64     `json:"opportunity_id,omitempty"`
	At            time.Time `json:"at"`
}

// CheckRating validates a helpfulness rating.
func CheckRating(r *ContentRating) error {
	var v Validation
	r.Comment = strings.TrimSpace(r.Comment)
	if r.Rating < 1 || r.Rating > 5 {
		v.Add("rating", "must be a whole number from 1 (no help) to 5 (won the deal)")
	}
	if len(r.Comment) > 2000 {
		v.Add("comment", "must be at most 2,000 characters")
	}
	return v.Err()
}

// ContentStats are an item's use count and average rating.
type ContentStats struct {
	Uses          int        `json:"uses"`  // every use but a buyer's view
	Views         int        `json:"views"` // buyers' views on proof pages
	Ratings       int        `json:"ratings"`
	AverageRating float64    `json:"average_rating"` // 0 when not rated
	LastUsed      *time.Time `json:"last_used"`
}

// ProofPage is a read-only page of approved-for-external content a seller
// shares with a prospect behind a signed, expiring link.
type ProofPage struct {
	ID            int64      `json:"id"`
	Title         string     `json:"title"`    // "Customer stories for Initech"
	Prospect      string     `json:"prospect"` // the buyer's company, as the seller writes it
	Message       string     `json:"message"`  // a note to the buyer
	OpportunityID int64      `json:"opportunity_id,omitempty"`
	ContentIDs    []int64    `json:"content_ids"` // in the order shown
	CreatedBy     int64      `json:"created_by"`
	CreatedByName string     `json:"created_by_name"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
	Views         int        `json:"views"`
	LastViewedAt  *time.Time `json:"last_viewed_at"`
	CreatedAt     time.Time  `json:"created_at"`
}

// ProofPageDays is how long a proof page link lasts unless the seller says otherwise.
const ProofPageDays = 30

// ProofPageOpen says why a proof page may not be shown at now; nil means it may.
func ProofPageOpen(p *ProofPage, now time.Time) error {
	if p.RevokedAt != nil {
		return Errorf(ENOTFOUND, "This page is no longer available. Ask the person who sent it for a new link.")
	}
	if !now.Before(p.ExpiresAt) {
		return Errorf(ENOTFOUND, "This page has expired. Ask the person who sent it for a new link.")
	}
	return nil
}

// Content request states: the team tracks a request for missing content to done.
const (
	ContentRequestOpen       = "open"
	ContentRequestInProgress = "in_progress"
	ContentRequestDone       = "done"
	ContentRequestDeclined   = "declined"
)

// ContentRequestStates lists them in order.
var ContentRequestStates = []string{ContentRequestOpen, ContentRequestInProgress, ContentRequestDone, ContentRequestDeclined}

// ContentRequestStateLabel names a state for people.
func ContentRequestStateLabel(s string) string {
	switch s {
	case ContentRequestOpen:
		return "Open"
	case ContentRequestInProgress:
		return "In progress"
	case ContentRequestDone:
		return "Done"
	case ContentRequestDeclined:
		return "Declined"
	}
	return s
}

// ContentRequest is a seller's ask for content that does not exist yet ("a
// Healthcare case study for Analytics in EMEA"). Open ones count as demand
// in the gap report.
type ContentRequest struct {
	ID            int64     `json:"id"`
	Description   string    `json:"description"`
	TypeID        int64     `json:"type_id,omitempty"` // the content type wanted, if any
	IndustryIDs   []int64   `json:"industry_ids"`
	RegionIDs     []int64   `json:"region_ids"`
	ProductIDs    []int64   `json:"product_ids"`
	UseCaseIDs    []int64   `json:"use_case_ids"`
	SegmentIDs    []int64   `json:"segment_ids"`
	OpportunityID int64     `json:"opportunity_id,omitempty"`
	RequestedBy   int64     `json:"requested_by"`
	RequesterName string    `json:"requester_name"`
	State         string    `json:"state"`
	Note          string    `json:"note"`                   // the team's answer: why declined, what is planned
	FulfilledBy   int64     `json:"fulfilled_by,omitempty"` // the content item that answers it
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// CheckContentRequestMove validates moving a content request to state to.
// Done needs the item that fulfils it; declined a note saying why.
func CheckContentRequestMove(from, to string, fulfilledBy int64, note string) error {
	var v Validation
	if !oneOf(to, ContentRequestStates) {
		v.Add("state", "must be one of "+strings.Join(ContentRequestStates, ", "))
		return v.Err()
	}
	if (from == ContentRequestDone || from == ContentRequestDeclined) && to != ContentRequestOpen && to != from {
		v.Add("state", "a closed content request can only be reopened")
	}
	switch to {
	case ContentRequestDone:
		if fulfilledBy == 0 {
			v.Add("fulfilled_by", "is required: the content item that answers the request")
		}
	case ContentRequestDeclined:
		if strings.TrimSpace(note) == "" {
			v.Add("note", "is required: tell the seller why")
		}
	}
	return v.Err()
}
