package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/vouch"
)

// featured is an account or reference an item features, linked only when
// the viewer may open its page.
type featured struct {
	Name string
	URL  string
}

// tagGroup is one picklist's values on an item.
type tagGroup struct {
	Label  string
	Values []string
}

// historyView is one step of an item's approval history.
type historyView struct {
	vouch.ContentStateEvent
	MethodLabel string
}

// useView is one use of an item.
type useView struct {
	vouch.ContentUse
	Label       string
	Opportunity string // for the team only: the deal it was for
}

// stateAction is a move the team may make from the item's state.
type stateAction struct {
	To    vouch.ContentState
	Label string // the button
}

// contentItemPage is what content_item.html shows.
type contentItemPage struct {
	Item         *vouch.ContentItem
	State        vouch.ContentState // as of today
	Type         string
	Expiring     bool // approved, consent ends within 30 days
	Stats        vouch.ContentStats
	Snippet      string
	Quote        bool // the body is a quote: shown as one
	Accounts     []featured
	References   []featured
	Tags         []tagGroup
	Owner        string
	History      []historyView // newest first
	Uses         []useView
	Ratings      []vouch.ContentRating
	Mine         *vouch.ContentRating // the viewer's own rating
	CanManage    bool
	CanUse       bool
	Usable       bool // approved: "Use this" is offered
	Internal     bool // approved for internal use only
	Opps         []*vouch.Opportunity
	Copied       bool   // the no-JS copy: show the link to copy
	CopyURL      string // what "Copy link" copies
	Actions      []stateAction
	Approve      bool // one of the actions is an approval: its fields show
	Methods      []choice
	MethodLabel  string // how the current approval was given
	FileSize     string
	MaxUploadMB  int64      // the upload limit, for the upload fields' hints
	AvgStars     int        // the average rating, rounded, for the stars
	PostedRating int        // the rating a refused form had chosen
	ExpiryHint   vouch.Date // the default consent end of an approval today
	Failed       string     // the form the errors belong to: "state" or "rate"
	Today        vouch.Date
	RatingRange  []ratingChoice
}

// ratingChoice is one choice of the rating form.
type ratingChoice struct {
	Value int
	Label string
}

// choice is one option of a select or radio group: its value and label.
type choice struct {
	Value string
	Label string
}

var contentStateLabels = map[string]string{"state": "New state", "approved_by": "Approved by", "method": "How",
	"expires_on": "Consent ends", "note": "Note", "file_id": "Approval document", "document": "Approval document"}
var ratingLabels = map[string]string{"rating": "Rating", "comment": "Comment", "opportunity_id": "Opportunity"}

// contentItem serves GET /content/{id}: the item with its file, approval
// history, uses and ratings; for the team, its state actions.
func (h *Handler) contentItem(w http.ResponseWriter, r *http.Request) {
	h.renderContentItem(w, r, http.StatusOK, &page{}, "")
}

// contentFor reads item id as the viewer may see it: hidden items (drafts
// and the like, for a seller) are not found, like unknown ones.
func (h *Handler) contentFor(ctx context.Context, id int64) (*vouch.ContentItem, vouch.ContentState, error) {
	item, err := h.opts.Content.Item(ctx, id)
	if err != nil {
		return nil, "", err
	}
	state := item.EffectiveState(h.clock.Today())
	if !vouch.ContentShown(userFrom(ctx).Can(vouch.PermManageContent), state, true) {
		return nil, "", vouch.Errorf(vouch.ENOTFOUND, "Content item %d not found.", id)
	}
	return item, state, nil
}

func (h *Handler) renderContentItem(w http.ResponseWriter, r *http.Request, status int, p *page, failed string) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	item, state, err := h.contentFor(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.clock.Today()
	d := &contentItemPage{Item: item, State: state, Type: h.opts.Catalog.ValueName(item.TypeID),
		Expiring: item.ExpiresWithin(today, 30), CanManage: u.Can(vouch.PermManageContent),
		CanUse: u.Can(vouch.PermUseContent), Usable: state.Approved(), Internal: state == vouch.ContentApprovedInternal,
		Failed: failed, Today: today, RatingRange: ratingChoices, MethodLabel: vouch.ApprovalMethodLabel(item.ApprovalMethod),
		Copied: r.URL.Query().Get("copied") == "1", CopyURL: item.URL}
	for _, m := range vouch.ApprovalMethods {
		d.Methods = append(d.Methods, choice{Value: m, Label: vouch.ApprovalMethodLabel(m)})
	}
	if item.File != nil {
		d.FileSize = fileSize(item.File.Size)
	}
	d.MaxUploadMB = h.opts.Catalog.ProgramSettings().MaxUploadBytes() >> 20
	if failed == "rate" {
		d.PostedRating, _ = strconv.Atoi(p.Form.Get("rating"))
	}
	d.Quote = strings.EqualFold(d.Type, "Quote") || strings.EqualFold(d.Type, "Testimonial")
	if hit, ok := h.opts.Library.Get(id, true, true); ok {
		d.Stats, d.Snippet = hit.Stats, hit.Snippet
		d.AvgStars = int(math.Round(hit.Stats.AverageRating))
	}
	if d.CopyURL == "" {
		// No page outside Vouch: the link is this page's, for colleagues.
		d.CopyURL = h.absoluteURL(r, fmt.Sprintf("/content/%d", id))
	}
	for _, k := range vouch.ContentTagKinds {
		var names []string
		for _, vid := range item.TagIDs(k) {
			names = append(names, h.opts.Catalog.ValueName(vid))
		}
		if len(names) > 0 {
			d.Tags = append(d.Tags, tagGroup{Label: tagLabel(k), Values: names})
		}
	}
	if err := h.featuredOf(ctx, item, d); err != nil {
		h.serverError(w, r, err)
		return
	}
	if item.OwnerID != 0 {
		if o, err := h.db.User(ctx, item.OwnerID); err == nil {
			d.Owner = o.Name
		}
	}
	history, err := h.opts.Content.History(ctx, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for i := len(history) - 1; i >= 0; i-- {
		d.History = append(d.History, historyView{ContentStateEvent: history[i], MethodLabel: vouch.ApprovalMethodLabel(history[i].Method)})
	}
	uses, err := h.opts.Content.Uses(ctx, id, 20)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var oppIDs []int64
	for _, use := range uses {
		if use.OpportunityID != 0 {
			oppIDs = append(oppIDs, use.OpportunityID)
		}
	}
	opps := map[int64]*vouch.Opportunity{}
	if d.CanManage && len(oppIDs) > 0 {
		if opps, err = h.db.OpportunitiesByID(ctx, oppIDs); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	for _, use := range uses {
		v := useView{ContentUse: use, Label: vouch.UseKindLabel(use.Kind)}
		if o := opps[use.OpportunityID]; o != nil {
			v.Opportunity = o.Name
		}
		d.Uses = append(d.Uses, v)
	}
	if d.Ratings, err = h.opts.Content.Ratings(ctx, id); err != nil {
		h.serverError(w, r, err)
		return
	}
	for i := range d.Ratings {
		if d.Ratings[i].UserID == u.ID {
			d.Mine = &d.Ratings[i]
		}
	}
	if d.CanUse {
		if d.Opps, _, err = h.db.ListOpportunities(ctx, vouch.OpportunityFilter{OwnerID: u.ID, Status: vouch.OpportunityOpen, Limit: 200}); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if d.CanManage {
		next := state.NextStates()
		if state.Approved() {
			next = append([]vouch.ContentState{state}, next...) // re-approving renews consent
		}
		for _, s := range next {
			if s == vouch.ContentExpired {
				continue // expiry comes with the date, not a button
			}
			label := s.Label()
			switch {
			case s == state:
				label = "Renew approval"
			case s == vouch.ContentAwaitingApproval:
				label = "Send for customer approval"
			case s == vouch.ContentDraft:
				label = "Back to draft"
			case s == vouch.ContentWithdrawn:
				label = "Withdraw"
			case s.Approved():
				label = "Approve: " + strings.ToLower(s.Label()[:1]) + s.Label()[1:]
			}
			d.Actions = append(d.Actions, stateAction{To: s, Label: label})
			if s.Approved() {
				d.Approve = true
			}
		}
		months := h.opts.Catalog.ProgramSettings().ConsentMonths
		if months <= 0 {
			months = vouch.DefaultConsentMonths
		}
		d.ExpiryHint = vouch.ConsentExpiry(today, months)
	}
	p.Title, p.Nav, p.Data = item.Title, "content", d
	h.render(w, r, status, "content_item", p)
}

// featuredOf names the accounts and references item features, each linked
// when the viewer may open its page: accounts and references need
// read_references, and a seller sees a reference only as the sight rules
// allow (vouch.SightOfReference).
func (h *Handler) featuredOf(ctx context.Context, item *vouch.ContentItem, d *contentItemPage) error {
	u := userFrom(ctx)
	readRefs := u.Can(vouch.PermReadReferences)
	for _, aid := range item.AccountIDs {
		a, err := h.db.Account(ctx, aid)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		f := featured{Name: a.Name}
		if readRefs {
			f.URL = fmt.Sprintf("/accounts/%d", a.ID)
		}
		d.Accounts = append(d.Accounts, f)
	}
	if len(item.ReferenceIDs) == 0 {
		return nil
	}
	names, err := h.db.ReferenceNames(ctx, item.ReferenceIDs)
	if err != nil {
		return err
	}
	sight, err := h.opts.Fulfillment.SightFor(ctx, u)
	if err != nil {
		return err
	}
	for _, rid := range item.ReferenceIDs {
		name, ok := names[rid]
		if !ok {
			continue
		}
		f := featured{Name: name}
		if hit, ok := h.opts.Index.Get(rid); ok && sight.Of(rid, hit.Status).Listed {
			f.URL = fmt.Sprintf("/references/%d", rid)
		}
		d.References = append(d.References, f)
	}
	return nil
}

// ratingChoices are the rating form's choices, best first.
var ratingChoices = []ratingChoice{{5, "Won the deal"}, {4, "Helped a lot"}, {3, "Helped"}, {2, "Helped a little"}, {1, "No help"}}

// fileSize writes a size in bytes for people: 820 KB, 3.4 MB.
func fileSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}

// tagLabel names a picklist for an item's tags.
func tagLabel(k vouch.TaxonomyKind) string {
	for _, f := range libraryFacets {
		if f.Kind == k {
			return f.Label
		}
	}
	return capitalize(strings.ReplaceAll(string(k), "_", " "))
}

// absoluteURL is path on the address the viewer reached Vouch at, for a
// link they copy.
func (h *Handler) absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil || h.opts.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// changeContentState serves POST /content/{id}/state: a move along the
// approval lifecycle, with who approved, how and until when; a refused move
// shows the page again with the problems next to the fields.
func (h *Handler) changeContentState(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	c := vouch.ContentStateChange{To: vouch.ContentState(f.Get("state")), ApprovedBy: f.Get("approved_by"),
		Method: f.Get("method"), Note: f.Get("note")}
	p := &page{Form: f}
	if raw := strings.TrimSpace(f.Get("expires_on")); raw != "" {
		d, err := vouch.ParseDate(raw)
		if err != nil {
			p.Errors = map[string]string{"expires_on": "Consent ends must be a date like 2028-03-14."}
			p.Error = "Please correct the highlighted field."
			h.renderContentItem(w, r, http.StatusBadRequest, p, "state")
			return
		}
		c.ExpiresOn = d
	}
	version, _ := strconv.Atoi(f.Get("version"))
	if err := h.attachApprovalDocument(r, id, &c); err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		status := failForm(p, err, contentStateLabels)
		h.renderContentItem(w, r, status, p, "state")
		return
	}
	item, err := h.opts.Content.ChangeState(r.Context(), id, version, c)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		status := failForm(p, err, contentStateLabels)
		if vouch.ErrorCode(err) == vouch.ECONFLICT {
			p.Error = "Someone else changed this item after you opened it. Check its state below, then try again."
		}
		h.renderContentItem(w, r, status, p, "state")
		return
	}
	msg := "“" + item.Title + "” is now " + strings.ToLower(item.State.Label()) + "."
	if item.State.Approved() {
		msg += " Consent ends " + h.shortDate(item.ExpiresOn) + "."
	}
	redirect(w, r, fmt.Sprintf("/content/%d", id), msg)
}

// attachApprovalDocument keeps the approval document the state form
// carries (field "document"), if any, and names it in c. The move is
// checked first, so a refused approval leaves no document behind.
func (h *Handler) attachApprovalDocument(r *http.Request, id int64, c *vouch.ContentStateChange) error {
	fh := formFile(r, "document")
	if fh == nil {
		return nil
	}
	item, err := h.opts.Content.Item(r.Context(), id)
	if err != nil {
		return err
	}
	check := *c
	months := h.opts.Catalog.ProgramSettings().ConsentMonths
	if err := vouch.CheckContentTransition(item.EffectiveState(h.clock.Today()), &check, h.clock.Today(), months); err != nil {
		return err
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	doc, err := h.opts.Content.StoreDocument(r.Context(), fh.Filename, file)
	if err != nil {
		if reason := vouch.ErrorFields(err)["file"]; reason != "" {
			return &vouch.Error{Code: vouch.EINVALID, Message: fmt.Sprintf("%q was not kept: it %s.", fh.Filename, reason),
				Fields: map[string]string{"document": reason}}
		}
		return err
	}
	c.FileID = doc.ID
	return nil
}

// approvalDocument serves GET /content/{id}/history/documents/{file}: the
// customer's approval mail or signed document of one of the item's
// approvals, for the program team, sent as every download is.
func (h *Handler) approvalDocument(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	fileID, ok2 := pathID(r, "file")
	if !ok || !ok2 {
		h.notFound(w, r)
		return
	}
	history, err := h.opts.Content.History(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(history, func(e vouch.ContentStateEvent) bool { return e.FileID == fileID }) {
		h.notFound(w, r) // only a document of this item's history, never any file by its id
		return
	}
	f, rc, err := h.opts.Content.OpenFile(r.Context(), fileID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	files.Serve(w, r, f, rc, false)
}

// deleteContent serves POST /content/{id}/delete: the item goes with its
// history, uses and ratings, after the person ticked the confirmation.
func (h *Handler) deleteContent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	item, err := h.opts.Content.Item(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !on(r.PostForm.Get("confirm")) {
		redirectError(w, r, fmt.Sprintf("/content/%d", id), "Nothing was deleted: tick “Yes, delete it” to confirm.")
		return
	}
	if err := h.opts.Content.Delete(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/content", "Deleted “"+item.Title+"”.")
}

// useContent serves POST /content/{id}/use: "Use this". A copied link is
// recorded and, without JavaScript, the page shows the link to copy; a
// download is recorded and the browser goes on to the file. Each may name
// one of the person's opportunities.
func (h *Handler) useContent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	in := contentUseInput(r)
	back := fmt.Sprintf("/content/%d", id)
	use, item, err := h.opts.Content.Use(r.Context(), id, in)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		msg := useProblem(err)
		if r.Header.Get("X-Requested-With") == "fetch" {
			http.Error(w, msg, http.StatusBadRequest)
			return
		}
		redirectError(w, r, back, msg)
		return
	}
	switch {
	case use.Kind == vouch.UseDownload:
		http.Redirect(w, r, fmt.Sprintf("/content/%d/file", id), http.StatusSeeOther)
	case r.Header.Get("X-Requested-With") == "fetch":
		// The script copied the link already; it only needs to know the use counted.
		w.WriteHeader(http.StatusNoContent)
	default:
		msg := "Recorded. Copy the link below."
		if item.EffectiveState(h.clock.Today()) == vouch.ContentApprovedInternal {
			msg = "Recorded. Copy the link below — for internal use only: do not send it to a buyer."
		}
		redirect(w, r, back+"?copied=1#use", msg)
	}
}

// useProblem says in one sentence why a use was refused: the rule's own
// message, or the fields' reasons when it only points at them.
func useProblem(err error) string {
	fields := vouch.ErrorFields(err)
	if _, ok := fields["kind"]; ok || len(fields) == 0 {
		return vouch.ErrorMessage(err)
	}
	var out []string
	for _, msg := range fieldErrors(err, ratingLabels) {
		out = append(out, msg)
	}
	slices.Sort(out)
	return "Nothing was recorded: " + strings.Join(out, " ")
}

func contentUseInput(r *http.Request) content.UseInput {
	in := content.UseInput{Kind: r.PostForm.Get("kind")}
	in.OpportunityID, _ = strconv.ParseInt(r.PostForm.Get("opportunity_id"), 10, 64)
	return in
}

// rateContent serves POST /content/{id}/rate: the person's helpfulness
// rating, 1–5 with a comment; rating again replaces it.
func (h *Handler) rateContent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	rating := vouch.ContentRating{Comment: f.Get("comment")}
	rating.Rating, _ = strconv.Atoi(f.Get("rating"))
	rating.OpportunityID, _ = strconv.ParseInt(f.Get("opportunity_id"), 10, 64)
	if _, err := h.opts.Content.Rate(r.Context(), id, rating); err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: f}
		status := failForm(p, err, ratingLabels)
		h.renderContentItem(w, r, status, p, "rate")
		return
	}
	redirect(w, r, fmt.Sprintf("/content/%d#ratings", id), "Thanks — your rating is saved.")
}
