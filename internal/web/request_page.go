package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// matchesPerPage is how many matches (and references failing a rule) the
// request page lists at a time.
const matchesPerPage = 20

// matchView is one candidate on the request page.
type matchView struct {
	refindex.Match
	WhyNot  string // why it cannot be asked from here; "" when it can
	Primary bool   // the page's one primary action
}

// askView is one ask on the request page, with the actions that apply.
type askView struct {
	*vouch.Ask
	Reference   *vouch.Reference
	Account     *vouch.Account
	Feedback    []feedbackLine
	CanApprove  bool
	CanWithdraw bool
	CanSchedule bool
	CanComplete bool
	CanFeedback bool   // the requester may still rate it
	Contact     bool   // the viewer sees the reference's email and phone (vouch.SightOfReference)
	Listed      bool   // the viewer may open the reference's profile
	Primary     string // the action that is the page's primary one: approve, schedule, complete or feedback
	TimeZones   []zoneChoice
	ScheduleAt  string // the datetime-local value of the current schedule, in TimeZones[0]
	When        string // the scheduled time in the advocate's zone, and the viewer's beside it
	Early       bool   // the scheduled time is still ahead: completing asks on which day it took place
	DoneOn      string // the default day for completing
	DoneMin     string // the earliest day it can have happened: the day the request was made
	DoneMax     string // the latest day it can have happened: the advocate's today
}

// zoneChoice is a time zone the scheduling form offers, with whose it is.
type zoneChoice struct {
	Name  string // the IANA name
	Label string // "America/Denver (Dana Ruiz's)"
}

// scheduleZones are the zones a call can be entered in: the advocate's
// first (the default), then the scheduler's own, the program's and UTC,
// each once.
func scheduleZones(advocate, advocateName, mine, program string) []zoneChoice {
	var out []zoneChoice
	var whose [][]string
	for _, z := range []struct{ name, whose string }{{advocate, advocateName + "'s"}, {mine, "yours"},
		{program, "the program's"}, {"UTC", ""}} {
		i := slices.IndexFunc(out, func(c zoneChoice) bool { return c.Name == z.name })
		if i < 0 {
			out, whose = append(out, zoneChoice{Name: z.name}), append(whose, nil)
			i = len(out) - 1
		}
		if z.whose != "" {
			whose[i] = append(whose[i], z.whose)
		}
	}
	for i := range out {
		out[i].Label = out[i].Name
		if len(whose[i]) > 0 {
			out[i].Label += " (" + strings.Join(whose[i], ", ") + ")"
		}
	}
	return out
}

// feedbackLine is feedback given on an ask, in words.
type feedbackLine struct {
	Source  string // Seller or Advocate
	Summary string // "4/5, influenced the deal, accelerated — “Great call”"
}

func feedbackSummary(f vouch.Feedback) feedbackLine {
	s := fmt.Sprintf("%d/5", f.Rating)
	if f.Influenced != nil {
		s += map[bool]string{true: ", influenced the deal", false: ", did not influence the deal"}[*f.Influenced]
	}
	if f.Impact != "" {
		s += ", " + map[string]string{"accelerated": "deal accelerated", "no_change": "no change to the deal",
			"delayed": "deal delayed"}[f.Impact]
	}
	switch f.ThankYou {
	case "":
	case "none":
		s += ", wants no thank-you"
	default:
		s += ", would like a thank-you: " + f.ThankYou
	}
	if f.Comment != "" {
		s += " — “" + f.Comment + "”"
	}
	return feedbackLine{Source: capitalize(f.Source), Summary: s}
}

// eventView is one timeline entry.
type eventView struct {
	vouch.RequestEvent
	Reference string
}

// requestPageData is what request.html shows.
type requestPageData struct {
	Req           *vouch.Request
	Stage         vouch.RequestStage // where it stands and whose move it is
	Opportunity   *vouch.Opportunity
	Type          string
	Requester     string
	Assignee      string
	Criteria      []string // "industry: Healthcare"
	Overdue       bool
	Events        []eventView
	Asks          []askView
	ShowMatches   bool
	MatchesFolded bool // enough references are asked; more candidates stay folded
	Matches       []matchView
	MatchSummary  string // "No reference meets every criterion; best first."
	Eligible      int
	MatchPages    pager
	Ineligible    ineligibleView
	HeldBack      []fulfillment.HeldBackMatch // held back by the ask ledger's fatigue rules: the program team sees why
	CanPick       bool
	CanManage     bool
	IsRequester   bool
	Me            int64
	Viewer        *vouch.User // whose zone times are written in
	Team          []*vouch.User
	CloseStates   []vouch.RequestState
	Questions     vouch.FeedbackQuestions // the seller's feedback form
	MessageHint   string                  // who a message reaches
	Proposed      *proposalView
	Content       *requestContentView // approved content that fits; nil when the viewer may not read content
}

// requestContentView is the content that fits a request, shown beside its
// matches: "while you wait for a reference".
type requestContentView struct {
	Total int
	Noun  string // "case studies" when every fit is one, else "pieces of content"
	Items []contentFitView
}

// contentFitView is one item that fits, with its type's name.
type contentFitView struct {
	contentindex.Fit
	Type string
}

// proposalView is the reference the requester proposed, as the request page shows it.
type proposalView struct {
	refindex.Hit
	Asked   *vouch.Ask // the ask of it on this request; nil when not asked yet
	CanAsk  bool
	Primary bool
}

// requestPage serves GET /requests/{id}.
func (h *Handler) requestPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathRequest(w, r)
	if !ok {
		return
	}
	ctx, u := r.Context(), userFrom(r.Context())
	d, err := h.requestPageData(ctx, u, v, r.URL.Query())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	title := "Request for " + d.Opportunity.Name
	h.render(w, r, http.StatusOK, "request", &page{Title: title, Nav: "requests", Data: d})
}

func (h *Handler) requestPageData(ctx context.Context, u *vouch.User, v *fulfillment.RequestView, query url.Values) (*requestPageData, error) {
	req, asks := v.Request, v.Asks
	ix := h.opts.Index
	today := h.clock.Today()
	opp, err := h.opts.Fulfillment.Opportunity(ctx, req.OpportunityID)
	if err != nil {
		return nil, err
	}
	team, users, err := h.teamUsers(ctx)
	if err != nil {
		return nil, err
	}
	d := &requestPageData{Req: req, Stage: v.Stage, Opportunity: opp, Type: h.opts.Catalog.ValueName(req.ActivityTypeID),
		Requester: userName(users, req.RequesterID), Assignee: userName(users, req.AssigneeID),
		Overdue: !req.State.Closed() && req.DueDate.Before(today), CanPick: vouch.CanPick(u, req),
		CanManage: u.Can(vouch.PermManageProgram), IsRequester: req.RequesterID == u.ID, Me: u.ID, Viewer: u, Team: team,
		Questions: vouch.QuestionsFor(vouch.FeedbackSeller)}
	d.Criteria = h.criteriaLabels(req.Criteria)
	d.MessageHint = messageHint(u, req, users)
	for _, s := range req.State.NextStates() {
		if s.Closed() && s != vouch.RequestCompleted && (d.CanManage || (d.IsRequester && s == vouch.RequestCancelled)) {
			d.CloseStates = append(d.CloseStates, s)
		}
	}

	events, err := h.opts.Fulfillment.Events(ctx, v)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		ev := eventView{RequestEvent: e}
		if e.ReferenceID != 0 {
			if hit, ok := ix.Get(e.ReferenceID); ok {
				ev.Reference = hit.Reference.Name
			}
			// A call's time reads in the advocate's zone and the viewer's.
			ev.Body = vouch.EventFor(e.Body, h.advocateZone(e.ReferenceID), h.readerZone(u))
		}
		d.Events = append(d.Events, ev)
	}

	feedback, err := h.opts.Fulfillment.RequestFeedback(ctx, v)
	if err != nil {
		return nil, err
	}
	sight, err := h.opts.Fulfillment.SightFor(ctx, u)
	if err != nil {
		return nil, err
	}
	primary := ""
	active := 0 // asks that hold or may hold a reference, or did the work
	for _, a := range asks {
		v, err := h.askView(ctx, u, req, a, feedback)
		if err != nil {
			return nil, err
		}
		rs := sight.Of(v.Reference.ID, v.Reference.EffectiveStatus(today))
		v.Contact, v.Listed = rs.Contact, rs.Listed
		if a.State.Open() || a.State == vouch.AskCompleted {
			active++
		}
		d.Asks = append(d.Asks, v)
	}
	// One primary action: approving comes first, then scheduling, completing
	// and rating; picking a reference when none of those waits.
	for _, kind := range []string{"approve", "schedule", "complete", "feedback"} {
		for i := range d.Asks {
			a := &d.Asks[i]
			if primary == "" && a.can(kind) {
				a.Primary, primary = kind, kind
			}
		}
	}

	// While a request is open, the approved content that fits its criteria
	// is something the seller can use at once.
	if lib := h.opts.Library; lib != nil && u.Can(vouch.PermReadContent) && !req.State.Closed() && len(d.Criteria) > 0 {
		d.Content = h.requestContent(lib, req.Criteria)
	}

	// The proposed reference comes first: the team starts picking from it.
	// It shows only while the viewer may still see the reference.
	if req.ProposedReferenceID != 0 && v.Sight.SeesMatches() {
		hit, _, err := h.opts.Fulfillment.Reference(ctx, u, req.ProposedReferenceID)
		switch {
		case vouch.ErrorCode(err) == vouch.ENOTFOUND:
		case err != nil:
			return nil, err
		default:
			pv := &proposalView{Hit: hit}
			for _, a := range asks {
				if a.ReferenceID == hit.Reference.ID {
					pv.Asked = a
				}
			}
			pv.CanAsk = pv.Asked == nil && d.CanPick && vouch.CheckRequestTakesAsks(req) == nil
			if pv.CanAsk && primary == "" {
				pv.Primary, primary = true, "proposal"
			}
			d.Proposed = pv
		}
	}

	// The ranked list is for the requester and the program team; the owner
	// of an asked account sees the asks about their customers only.
	open := req.State == vouch.RequestSubmitted || req.State == vouch.RequestInProgress || req.State == vouch.RequestAwaitingAdvocate
	if open && v.Sight.SeesMatches() {
		d.ShowMatches = true
		d.MatchesFolded = active >= req.ReferencesNeeded
		page := pageNumber(query.Get("page"))
		res, err := h.opts.Fulfillment.MatchesFor(ctx, v, (page-1)*matchesPerPage, matchesPerPage)
		if err != nil {
			return nil, err
		}
		d.MatchSummary, d.Eligible = res.Summary(), res.Eligible
		d.MatchPages = newPager(requestURL(req.ID, ""), query, "page", page, res.Eligible, "matches")
		for i, m := range res.Items {
			mv := matchView{Match: m}
			switch {
			case !d.CanPick && req.Workflow == vouch.WorkflowSelfServe:
				mv.WhyNot = "Only the seller who asked and the program team pick references."
			case !d.CanPick:
				mv.WhyNot = "The program team picks and asks."
			case m.Reference.Email == "":
				mv.WhyNot = "No email address on file; add one to the reference to ask."
			}
			mv.Primary = i == 0 && page == 1 && primary == "" && mv.WhyNot == "" && !d.MatchesFolded
			d.Matches = append(d.Matches, mv)
		}
		// The references that fail a rule name do-not-contact and retired
		// customers: for the program team only, and listed on demand.
		if d.CanManage {
			if d.HeldBack, err = h.opts.Fulfillment.HeldBackFor(ctx, req); err != nil {
				return nil, err
			}
		}
		if d.CanManage {
			d.Ineligible.Count = res.Ineligible
			on := url.Values{"failing": {"1"}}
			d.Ineligible.ShowURL = requestURL(req.ID, "") + "?" + on.Encode() + "#failing"
			if query.Get("failing") == "1" {
				d.Ineligible.Shown = true
				d.Ineligible.HideURL = requestURL(req.ID, "") + "#matches"
				fpage := pageNumber(query.Get("failing_page"))
				fres, err := h.opts.Fulfillment.IneligibleFor(ctx, u, v, (fpage-1)*matchesPerPage, matchesPerPage)
				if err != nil {
					return nil, err
				}
				d.Ineligible.Items = fres.Items
				d.Ineligible.Pages = newPager(requestURL(req.ID, ""), query, "failing_page", fpage, fres.Total, "failing")
			}
		}
	}
	return d, nil
}

// requestContentShown is how many fits the request page lists.
const requestContentShown = 3

// requestContent ranks the approved content for criteria and names what it is.
func (h *Handler) requestContent(lib *contentindex.Index, c vouch.Criteria) *requestContentView {
	fits, total := lib.ContentFor(contentindex.FitQuery{Criteria: c, Limit: -1})
	v := &requestContentView{Total: total, Noun: "pieces of content"}
	types := map[int64]bool{}
	for i, f := range fits {
		types[f.Item.TypeID] = true
		if i < requestContentShown {
			v.Items = append(v.Items, contentFitView{Fit: f, Type: h.opts.Catalog.ValueName(f.Item.TypeID)})
		}
	}
	if len(types) == 1 {
		v.Noun = pluralNoun(strings.ToLower(h.opts.Catalog.ValueName(fits[0].Item.TypeID)))
	}
	if total == 1 {
		v.Noun = "piece of content"
		if len(v.Items) == 1 {
			v.Noun = strings.ToLower(v.Items[0].Type)
		}
	}
	return v
}

// pluralNoun is the English plural of a type's name: "case study" → "case
// studies", "slide deck" → "slide decks".
func pluralNoun(s string) string {
	switch {
	case s == "":
		return "pieces of content"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s") || strings.HasSuffix(s, "x") || strings.HasSuffix(s, "ch") || strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}

// messageHint says who is told of a message u writes on req: its requester
// and its assignee, except u.
func messageHint(u *vouch.User, req *vouch.Request, users map[int64]*vouch.User) string {
	var names []string
	for _, id := range []int64{req.RequesterID, req.AssigneeID} {
		if id != 0 && id != u.ID && !slices.Contains(names, userName(users, id)) {
			names = append(names, userName(users, id))
		}
	}
	switch len(names) {
	case 0:
		return "It stays on the timeline; nobody else is notified until someone is assigned."
	case 1:
		return names[0] + " is notified."
	}
	return names[0] + " and " + names[1] + " are notified."
}

// can reports whether action kind applies to the ask.
func (a *askView) can(kind string) bool {
	switch kind {
	case "approve":
		return a.CanApprove
	case "schedule":
		return a.CanSchedule && a.State == vouch.AskAccepted
	case "complete":
		return a.CanComplete && a.State == vouch.AskScheduled
	case "feedback":
		return a.CanFeedback
	}
	return false
}

func (h *Handler) askView(ctx context.Context, u *vouch.User, req *vouch.Request, a *vouch.Ask, feedback []vouch.Feedback) (askView, error) {
	ref, err := h.db.Reference(ctx, a.ReferenceID)
	if err != nil {
		return askView{}, err
	}
	acct, err := h.db.Account(ctx, ref.AccountID)
	if err != nil {
		return askView{}, err
	}
	pick := vouch.CanPick(u, req)
	v := askView{Ask: a, Reference: ref, Account: acct,
		CanApprove:  vouch.CanTakeStep(a.State, vouch.StepApprove) && vouch.CanApprove(u, acct.OwnerID),
		CanWithdraw: vouch.CanTakeStep(a.State, vouch.StepWithdraw) && pick,
		CanSchedule: vouch.CanTakeStep(a.State, vouch.StepSchedule) && pick,
		CanComplete: vouch.CanTakeStep(a.State, vouch.StepComplete) && pick}
	sellerRated := false
	for _, f := range feedback {
		if f.AskID == a.ID {
			v.Feedback = append(v.Feedback, feedbackSummary(f))
			sellerRated = sellerRated || f.Source == vouch.FeedbackSeller
		}
	}
	v.CanFeedback = vouch.CheckFeedbackOn(a.State) == nil && req.RequesterID == u.ID && !sellerRated
	// The advocate reads in their zone (the program's when theirs is not
	// known); the form enters a time there unless the scheduler picks
	// another, and the card shows it there with the viewer's time beside.
	advocate := h.clock.ZoneFor(ref.TimeZone)
	advLoc := h.clock.LocationFor(advocate)
	v.TimeZones = scheduleZones(advocate, ref.Name, h.clock.ZoneFor(u.TimeZone), h.clock.Zone().String())
	now := h.clock.Now()
	if a.ScheduledAt != nil {
		v.ScheduleAt = a.ScheduledAt.In(advLoc).Format(dateTimeLocal)
		v.When = vouch.TimeFor(*a.ScheduledAt, advLoc, h.readerZone(u))
		v.Early = a.ScheduledAt.After(now)
	}
	// The advocate's day, as the store counts it when the form is sent:
	// the scheduled day once it passed, else today where they are; never
	// before the request was made.
	done, _ := vouch.CompletionDay(vouch.Date{}, a.ScheduledAt, now, advocate, vouch.Date{})
	v.DoneOn, v.DoneMax = done.String(), h.clock.TodayIn(ref.TimeZone).String()
	v.DoneMin = vouch.DateIn(req.CreatedAt, advocate).String()
	return v, nil
}

// criteriaLabels names a request's criteria for people.
func (h *Handler) criteriaLabels(c vouch.Criteria) []string {
	var out []string
	for _, x := range []struct {
		label string
		id    int64
	}{{"Industry", c.IndustryID}, {"Region", c.RegionID}, {"Country", c.CountryID}, {"Company size", c.SizeID},
		{"Product", c.ProductID}, {"Use case", c.UseCaseID}, {"Competitor", c.CompetitorID}} {
		if x.id != 0 {
			out = append(out, x.label+": "+h.opts.Catalog.ValueName(x.id))
		}
	}
	if c.Language != "" {
		out = append(out, "Language: "+c.Language)
	}
	if c.Seniority != "" {
		out = append(out, "Seniority: "+capitalize(c.Seniority))
	}
	return slices.Clip(out)
}

// dateTimeLocal is the format of an <input type="datetime-local">.
const dateTimeLocal = "2006-01-02T15:04"

// ineligibleView is the request page's list, on demand, of the references
// that fail a hard rule, each with the rules it fails.
type ineligibleView struct {
	Count   int    // how many fail a rule
	ShowURL string // the link that lists them
	HideURL string
	Shown   bool
	Items   []refindex.Ineligible
	Pages   pager
}

// pager is the page links of a list paged by number (?page=2).
type pager struct {
	Page, Pages, Total int
	From, To           int // the items shown, counted from 1
	Prev, Next         string
	Links              []pageLink
}

// pageLink is one page's link; a zero N is a gap ("…").
type pageLink struct {
	N       int
	URL     string
	Current bool
}

// pageNumber reads a page number from a query; anything but 1, 2, … is 1.
func pageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1<<20 {
		return 1
	}
	return n
}

// newPager is page of total items, matchesPerPage a page, linked as base
// with the query's other parameters kept and param set, at the anchor.
func newPager(base string, query url.Values, param string, page, total int, anchor string) pager {
	p := pager{Page: page, Total: total, Pages: max((total+matchesPerPage-1)/matchesPerPage, 1)}
	p.From, p.To = min((page-1)*matchesPerPage+1, total), min(page*matchesPerPage, total)
	link := func(n int) string {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		if n == 1 {
			q.Del(param)
		} else {
			q.Set(param, strconv.Itoa(n))
		}
		if len(q) == 0 {
			return base + "#" + anchor
		}
		return base + "?" + q.Encode() + "#" + anchor
	}
	if page > 1 {
		p.Prev = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	if p.Pages == 1 {
		return p
	}
	for n := 1; n <= p.Pages; n++ {
		switch {
		case n == 1 || n == p.Pages || (n >= page-2 && n <= page+2):
			p.Links = append(p.Links, pageLink{N: n, URL: link(n), Current: n == page})
		case len(p.Links) > 0 && p.Links[len(p.Links)-1].N != 0:
			p.Links = append(p.Links, pageLink{})
		}
	}
	return p
}
