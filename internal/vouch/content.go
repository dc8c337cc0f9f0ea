package vouch

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ContentState is where a content item is in its approval and consent
// lifecycle.
type ContentState string

// The lifecycle: draft → awaiting customer approval → approved for external
// use / approved for internal use only → expired or withdrawn.
const (
	ContentDraft            ContentState = "draft"
	ContentAwaitingApproval ContentState = "awaiting_approval"
	ContentApprovedExternal ContentState = "approved_external"
	ContentApprovedInternal ContentState = "approved_internal"
	ContentExpired          ContentState = "expired"
	ContentWithdrawn        ContentState = "withdrawn"
)

// ContentStates lists every state in lifecycle order.
var ContentStates = []ContentState{ContentDraft, ContentAwaitingApproval, ContentApprovedExternal,
	ContentApprovedInternal, ContentExpired, ContentWithdrawn}

// Label is the state for people.
func (s ContentState) Label() string {
	switch s {
	case ContentDraft:
		return "Draft"
	case ContentAwaitingApproval:
		return "Awaiting customer approval"
	case ContentApprovedExternal:
		return "Approved for external use"
	case ContentApprovedInternal:
		return "Approved for internal use only"
	case ContentExpired:
		return "Expired"
	case ContentWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s ContentState) Valid() bool {
	for _, x := range ContentStates {
		if s == x {
			return true
		}
	}
	return false
}

// Approved reports whether the state lets the item be used at all.
func (s ContentState) Approved() bool {
	return s == ContentApprovedExternal || s == ContentApprovedInternal
}

// ParseContentState accepts a state by value or label, in any case
// ("Approved for external use", "approved-external", "external").
func ParseContentState(s string) (ContentState, bool) {
	k := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "approved_for_external_use", "external", "approved":
		k = string(ContentApprovedExternal)
	case "approved_for_internal_use_only", "approved_for_internal_use", "internal", "internal_only":
		k = string(ContentApprovedInternal)
	case "awaiting_customer_approval", "awaiting", "pending", "pending_approval":
		k = string(ContentAwaitingApproval)
	}
	st := ContentState(k)
	return st, st.Valid()
}

// ContentStateNames is the list of states an error message offers.
func ContentStateNames() string {
	names := make([]string, len(ContentStates))
	for i, s := range ContentStates {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// contentTransitions lists the allowed moves. Withdrawn is possible from
// anywhere (the customer took consent back); an expired or withdrawn item
// comes back only through a fresh approval (renewed consent) or as a draft.
var contentTransitions = map[ContentState][]ContentState{
	ContentDraft:            {ContentAwaitingApproval, ContentApprovedExternal, ContentApprovedInternal},
	ContentAwaitingApproval: {ContentApprovedExternal, ContentApprovedInternal, ContentDraft},
	ContentApprovedExternal: {ContentApprovedInternal, ContentAwaitingApproval, ContentExpired},
	ContentApprovedInternal: {ContentApprovedExternal, ContentAwaitingApproval, ContentExpired},
	ContentExpired:          {ContentAwaitingApproval, ContentApprovedExternal, ContentApprovedInternal, ContentDraft},
	ContentWithdrawn:        {ContentDraft},
}

// NextStates lists where an item in s may go.
func (s ContentState) NextStates() []ContentState {
	out := append([]ContentState(nil), contentTransitions[s]...)
	if s != ContentWithdrawn {
		out = append(out, ContentWithdrawn)
	}
	return out
}

// Approval methods: how the customer's consent was given.
const (
	ApprovalByMail     = "mail"     // the customer's approval mail, attached or quoted
	ApprovalByDocument = "document" // a signed release form or contract clause
	ApprovalInternal   = "internal" // no customer named (our own webinar, an anonymous quote)
)

// ApprovalMethods lists the ways consent is recorded.
var ApprovalMethods = []string{ApprovalByMail, ApprovalByDocument, ApprovalInternal}

// ApprovalMethodLabel names a method for people.
func ApprovalMethodLabel(m string) string {
	switch m {
	case ApprovalByMail:
		return "Customer's approval mail"
	case ApprovalByDocument:
		return "Signed document"
	case ApprovalInternal:
		return "No customer consent needed"
	}
	return m
}

// DefaultConsentMonths is how long a customer's approval lasts unless the
// team sets another default or an expiry date on the item.
const DefaultConsentMonths = 24

// ContentStateChange is a request to move an item along its lifecycle. An
// approval says who at the customer approved, how, and until when.
type ContentStateChange struct {
	To         ContentState `json:"state"`
	ApprovedBy string       `json:"approved_by"` // the customer's name, e.g. "Dana Park, VP Marketing"
	Method     string       `json:"method"`      // mail, document, internal
	Note       string       `json:"note"`        // the approval mail quoted, a reason for withdrawing
	FileID     int64        `json:"file_id,omitempty"`
	ExpiresOn  Date         `json:"expires_on"` // zero: the default consent period from today
}

// CheckContentTransition validates moving an item from → c.To.
// consentMonths is the default consent period; today is the program's day.
// It fills c.ExpiresOn for an approval that gave none.
func CheckContentTransition(from ContentState, c *ContentStateChange, today Date, consentMonths int) error {
	var v Validation
	if !c.To.Valid() {
		v.Add("state", "must be one of "+ContentStateNames())
		return v.Err()
	}
	allowed := from == c.To && c.To.Approved() // re-approving renews consent
	for _, s := range from.NextStates() {
		if s == c.To {
			allowed = true
		}
	}
	if !allowed {
		names := []string{}
		for _, s := range from.NextStates() {
			names = append(names, strings.ToLower(s.Label()))
		}
		return &Error{Code: EINVALID, Message: fmt.Sprintf("Content that is %s cannot become %s; it can become %s.",
			strings.ToLower(from.Label()), strings.ToLower(c.To.Label()), strings.Join(names, ", ")),
			Fields: map[string]string{"state": "cannot change from " + string(from) + " to " + string(c.To)}}
	}
	c.ApprovedBy = strings.TrimSpace(c.ApprovedBy)
	c.Note = strings.TrimSpace(c.Note)
	c.Method = strings.ToLower(strings.TrimSpace(c.Method))
	switch {
	case c.To.Approved():
		if c.Method == "" {
			v.Add("method", "is required: how the approval was given ("+strings.Join(ApprovalMethods, ", ")+")")
		} else if !oneOf(c.Method, ApprovalMethods) {
			v.Add("method", "must be one of "+strings.Join(ApprovalMethods, ", "))
		}
		if c.ApprovedBy == "" && c.Method != ApprovalInternal {
			v.Add("approved_by", "is required: who at the customer approved")
		}
		if c.ExpiresOn.IsZero() {
			months := consentMonths
			if months <= 0 {
				months = DefaultConsentMonths
			}
			c.ExpiresOn = ConsentExpiry(today, months)
		} else if !c.ExpiresOn.After(today) {
			v.Add("expires_on", "must be after today")
		}
	case c.To == ContentWithdrawn:
		if c.Note == "" {
			v.Add("note", "is required: why the content is withdrawn")
		}
		c.ExpiresOn = Date{}
	default:
		c.ExpiresOn = Date{}
	}
	if len(c.Note) > 5000 {
		v.Add("note", "must be at most 5,000 characters")
	}
	return v.Err()
}

// ConsentExpiry is the day consent given on day ends after months.
func ConsentExpiry(day Date, months int) Date {
	return DateOf(day.Time().AddDate(0, months, 0))
}

// ContentStateEvent is one step in an item's approval history.
type ContentStateEvent struct {
	ID         int64        `json:"id"`
	From       ContentState `json:"from"`
	To         ContentState `json:"to"`
	ApprovedBy string       `json:"approved_by"`
	Method     string       `json:"method"`
	Note       string       `json:"note"`
	FileID     int64        `json:"file_id,omitempty"`
	ExpiresOn  Date         `json:"expires_on"`
	Actor      string       `json:"actor"`
	At         time.Time    `json:"at"`
}

// Text extraction states of an uploaded file.
const (
	TextNone       = ""           // no file, or a type that has no text (an image, a video)
	TextPending    = "pending"    // waiting for the background job
	TextExtracted  = "extracted"  // the words are searchable
	TextUnreadable = "unreadable" // damaged, encrypted or empty: TextReason says why
)

// ContentFile is the file uploaded to an item, as its metadata.
type ContentFile struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`       // as uploaded, for Content-Disposition
	MediaType string    `json:"media_type"` // decided from the bytes, not the name
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
}

// ContentItem is one piece of customer evidence: a case study, a video, a
// quote, a deck …, with its approval and consent state.
type ContentItem struct {
	ID             int64        `json:"id"`
	TypeID         int64        `json:"type_id"` // a value of the content_type picklist
	Title          string       `json:"title"`
	Summary        string       `json:"summary"`
	Body           string       `json:"body"` // the text, or the quote itself
	URL            string       `json:"url"`  // where it lives outside Vouch (website, video host, Google Docs …)
	File           *ContentFile `json:"file"` // nil: no upload
	TextStatus     string       `json:"text_status"`
	TextReason     string       `json:"text_reason"`
	AccountIDs     []int64      `json:"account_ids"`   // accounts it features
	ReferenceIDs   []int64      `json:"reference_ids"` // references it features (quoted, on camera)
	IndustryIDs    []int64      `json:"industry_ids"`
	RegionIDs      []int64      `json:"region_ids"`
	CountryIDs     []int64      `json:"country_ids"`
	SegmentIDs     []int64      `json:"segment_ids"`
	SizeIDs        []int64      `json:"company_size_ids"`
	ProductIDs     []int64      `json:"product_ids"`
	UseCaseIDs     []int64      `json:"use_case_ids"`
	CompetitorIDs  []int64      `json:"competitor_ids"`
	Language       string       `json:"language"`
	PublishedOn    Date         `json:"published_on"`
	OwnerID        int64        `json:"owner_id,omitempty"`
	State          ContentState `json:"state"`
	ApprovedOn     Date         `json:"approved_on"`
	ApprovedBy     string       `json:"approved_by"`
	ApprovalMethod string       `json:"approval_method"`
	ExpiresOn      Date         `json:"expires_on"` // consent ends; zero: not approved
	Version        int          `json:"version"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// EffectiveState is the state as of today: approved content whose consent
// ended is expired, even before the daily job records it.
func (c *ContentItem) EffectiveState(today Date) ContentState {
	if c.State.Approved() && !c.ExpiresOn.IsZero() && !today.Before(c.ExpiresOn) {
		return ContentExpired
	}
	return c.State
}

// ExpiresWithin reports whether approved consent ends within days of today.
func (c *ContentItem) ExpiresWithin(today Date, days int) bool {
	return c.EffectiveState(today).Approved() && !c.ExpiresOn.IsZero() && c.ExpiresOn.Before(today.AddDays(days+1))
}

// TagIDs returns the item's values of a picklist kind (nil for kinds content has no field for).
func (c *ContentItem) TagIDs(kind TaxonomyKind) []int64 {
	switch kind {
	case TaxIndustry:
		return c.IndustryIDs
	case TaxRegion:
		return c.RegionIDs
	case TaxCountry:
		return c.CountryIDs
	case TaxSegment:
		return c.SegmentIDs
	case TaxCompanySize:
		return c.SizeIDs
	case TaxProduct:
		return c.ProductIDs
	case TaxUseCase:
		return c.UseCaseIDs
	case TaxCompetitor:
		return c.CompetitorIDs
	}
	return nil
}

// SetTagIDs replaces the item's values of a picklist kind.
func (c *ContentItem) SetTagIDs(kind TaxonomyKind, ids []int64) {
	switch kind {
	case TaxIndustry:
		c.IndustryIDs = ids
	case TaxRegion:
		c.RegionIDs = ids
	case TaxCountry:
		c.CountryIDs = ids
	case TaxSegment:
		c.SegmentIDs = ids
	case TaxCompanySize:
		c.SizeIDs = ids
	case TaxProduct:
		c.ProductIDs = ids
	case TaxUseCase:
		c.UseCaseIDs = ids
	case TaxCompetitor:
		c.CompetitorIDs = ids
	}
}

// ContentTagKinds are the picklists content is tagged with: the same as references'.
var ContentTagKinds = []TaxonomyKind{TaxIndustry, TaxRegion, TaxCountry, TaxSegment, TaxCompanySize,
	TaxProduct, TaxUseCase, TaxCompetitor}

// Normalize writes the typed fields in their stored form.
func (c *ContentItem) Normalize() {
	c.Title = strings.Join(strings.Fields(c.Title), " ")
	c.Summary = strings.TrimSpace(c.Summary)
	c.Body = strings.TrimSpace(c.Body)
	c.URL = strings.TrimSpace(c.URL)
	c.Language = strings.TrimSpace(c.Language)
	if c.State == "" {
		c.State = ContentDraft
	}
	for _, k := range ContentTagKinds {
		if c.TagIDs(k) == nil {
			c.SetTagIDs(k, []int64{})
		}
	}
	if c.AccountIDs == nil {
		c.AccountIDs = []int64{}
	}
	if c.ReferenceIDs == nil {
		c.ReferenceIDs = []int64{}
	}
}

// Validate normalises and checks the fields a person types.
func (c *ContentItem) Validate() error {
	var v Validation
	c.Normalize()
	if c.Title == "" {
		v.Add("title", "is required")
	} else if len(c.Title) > 300 {
		v.Add("title", "must be at most 300 characters")
	}
	if c.TypeID == 0 {
		v.Add("type", "is required: case study, video, quote …")
	}
	if len(c.Summary) > 5000 {
		v.Add("summary", "must be at most 5,000 characters")
	}
	if len(c.Body) > 200000 {
		v.Add("body", "must be at most 200,000 characters")
	}
	if c.URL != "" {
		if reason := CheckContentURL(c.URL); reason != "" {
			v.Add("url", reason)
		}
	}
	if len(c.Language) > 50 {
		v.Add("language", "must be at most 50 characters")
	}
	if !c.State.Valid() {
		v.Add("state", "must be one of "+ContentStateNames())
	}
	return v.Err()
}

// CheckContentURL says why u is no link a buyer's browser may open; "" when
// it is one. Only http and https: a javascript: or data: link would run on
// whoever clicks it.
func CheckContentURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return "must be a web address starting with https:// or http://"
	}
	if len(u) > 2000 {
		return "must be at most 2,000 characters"
	}
	return ""
}

// ContentInput is what a person or a program gives to create or update an
// item. Nil fields are left as they are; picklist values and featured
// accounts and references come by name, id or email.
type ContentInput struct {
	Type         *string                   `json:"type"`
	Title        *string                   `json:"title"`
	Summary      *string                   `json:"summary"`
	Body         *string                   `json:"body"`
	URL          *string                   `json:"url"`
	Accounts     *[]string                 `json:"accounts"` // account names
	AccountIDs   *[]int64                  `json:"account_ids"`
	ReferenceIDs *[]int64                  `json:"reference_ids"`
	References   *[]string                 `json:"references"` // reference emails
	Tags         map[TaxonomyKind][]string `json:"-"`          // by kind; a kind absent is left as it is
	Language     *string                   `json:"language"`
	PublishedOn  *string                   `json:"published_on"`
	OwnerID      *int64                    `json:"owner_id"`
	OwnerEmail   *string                   `json:"owner_email"`
	Version      *int                      `json:"version"`
	// Unreadable holds fields whose value could not be read at all (the API
	// got a number for a name), reported with the other problems.
	Unreadable map[string]string `json:"-"`
}

// ContentFilter selects items in store reads; zero values match everything.
type ContentFilter struct {
	AccountID   int64
	ReferenceID int64
}

// ContentShown decides whether a reader sees an item in effective state s:
// the program team (manage) sees every item; everyone else sees approved
// items only, expired ones when they ask for them (marked), and never
// drafts, items awaiting approval or withdrawn ones, which may not be used.
func ContentShown(manage bool, s ContentState, includeExpired bool) bool {
	switch {
	case manage:
		return true
	case s.Approved():
		return true
	case s == ContentExpired:
		return includeExpired
	}
	return false
}

// ContentShareable reports whether an item in effective state s may reach a
// buyer: only approved for external use.
func ContentShareable(s ContentState) bool { return s == ContentApprovedExternal }
