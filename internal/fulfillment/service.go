// Package fulfillment runs the reference request loop: a seller's request,
// matching, asking the advocate through a signed link, booking capacity,
// scheduling, completion and feedback — and what each step tells people.
// Web pages and the API both call it, so the two cannot behave differently.
package fulfillment

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/deals"

	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/signedlink"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Timing of the loop, as long as the program settings keep their defaults
// (vouch.DefaultProgramSettings); the program team can change the first
// three under Settings → Program settings.
const (
	AskTTL       = 14 * 24 * time.Hour // an unanswered ask expires
	RemindAfter  = 3 * 24 * time.Hour  // a reminder when an ask has no answer
	MaxReminders = 2
	FeedbackTTL  = 30 * 24 * time.Hour
)

// timing is the loop's timing as the program settings have it now.
type timing struct {
	askTTL       time.Duration
	remindAfter  time.Duration
	maxReminders int
}

func (s *Service) timing(ctx context.Context) (timing, error) {
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return timing{}, err
	}
	day := 24 * time.Hour
	return timing{askTTL: time.Duration(ps.AskExpiryDays) * day, remindAfter: time.Duration(ps.ReminderDays) * day,
		maxReminders: ps.MaxReminders}, nil
}

// Service is the request loop over a database and the reference index.
type Service struct {
	db      *store.DB
	deals   *deals.Service // opportunities are written through it
	ix      *refindex.Index
	baseURL string
	links   *signedlink.Signer
	log     *slog.Logger
	onLink  func(purpose, token string)
}

// New returns the service. baseURL is where the links in mails point
// (e.g. https://vouch.example.com). The key that signs links is made once
// and kept in the database, so every instance signs alike.
func New(ctx context.Context, db *store.DB, ix *refindex.Index, baseURL string, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.Default()
	}
	links, err := signedlink.Load(ctx, db)
	if err != nil {
		return nil, err
	}
	return &Service{db: db, deals: deals.New(db), ix: ix, baseURL: strings.TrimSuffix(baseURL, "/"), links: links, log: log}, nil
}

func (s *Service) now() time.Time { return s.db.Now() }

func (s *Service) url(path string) string { return s.baseURL + path }

// RequestURL is the request's page.
func (s *Service) RequestURL(id int64) string { return s.url(fmt.Sprintf("/requests/%d", id)) }

func (s *Service) typeName(id int64) string {
	if n := s.ix.Catalog().ValueName(id); n != "" {
		return n
	}
	return "reference activity"
}

func (s *Service) userName(ctx context.Context, id int64) (name, email string) {
	if id == 0 {
		return "", ""
	}
	u, err := s.db.User(ctx, id)
	if err != nil {
		return "", ""
	}
	return u.Name, u.Email
}

// team is everyone who fulfills requests: told about new ones.
func (s *Service) team(ctx context.Context) ([]*vouch.User, error) {
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var out []*vouch.User
	for _, u := range users {
		if !u.Disabled && u.Can(vouch.PermManageProgram) && u.Role != vouch.RoleAdmin {
			out = append(out, u)
		}
	}
	return out, nil
}

// CheckRequest records in v every problem of a new request from by, and
// of the new opportunity opp it comes with (nil when it names one): the
// request's and the opportunity's own rules (vouch.CheckNewRequest), the
// taxonomy values it names, and whose opportunity it is
// (vouch.MayRequestFor), and that a reference it proposes is one by may
// request (vouch.ProposalProblem). The pages and the API call it when they found
// problems of their own reading the input, so that all are told at once;
// CreateRequest calls it otherwise. Only an error reading the data is returned.
func (s *Service) CheckRequest(ctx context.Context, by *vouch.User, r *vouch.Request, opp *vouch.Opportunity, v *vouch.Validation) error {
	if opp != nil {
		// A status that contradicts the deal's stage is a problem of the
		// new opportunity's field, told with the others.
		if err := v.Merge(prefixed("opportunity.", s.deals.Prepare(ctx, opp))); err != nil {
			return err
		}
	}
	vouch.CheckNewRequest(v, r, opp, s.db.Today())
	for _, x := range r.Values() {
		if x.ID != 0 {
			if val := s.ix.Catalog().Value(x.ID); val == nil || val.Kind != x.Kind {
				v.Add(x.Field, "is not a known "+strings.TrimSuffix(strings.ToLower(x.Kind.Label()), "s"))
			}
		}
	}
	if r.ProposedReferenceID != 0 {
		if err := s.checkProposal(ctx, by, r.ProposedReferenceID, v); err != nil {
			return err
		}
	}
	if opp != nil || r.OpportunityID == 0 {
		return nil
	}
	o, err := s.db.Opportunity(ctx, r.OpportunityID)
	switch {
	case vouch.ErrorCode(err) == vouch.ENOTFOUND:
		v.Add("opportunity", "is not a known opportunity")
	case err != nil:
		return err
	case !vouch.MayRequestFor(by, o):
		v.Add("opportunity", vouch.NotYourOpportunity)
	}
	return nil
}

// checkProposal records in v why by may not propose reference refID for a
// new request (vouch.ProposalProblem), if they may not.
func (s *Service) checkProposal(ctx context.Context, by *vouch.User, refID int64, v *vouch.Validation) error {
	hit, sight, err := s.Reference(ctx, by, refID)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		v.Add("reference", vouch.NotARequestableReference)
		return nil
	} else if err != nil {
		return err
	}
	if problem := vouch.ProposalProblem(sight, hit.Status); problem != "" {
		v.Add("reference", problem)
	}
	return nil
}

// CreateRequest stores a seller's request, creating its opportunity first
// when opp is given (owned by the requester unless it names an owner), and
// tells the program team. Every problem is named in one error, and
// nothing is written until there are none.
func (s *Service) CreateRequest(ctx context.Context, by *vouch.User, r *vouch.Request, opp *vouch.Opportunity) error {
	var v vouch.Validation
	if err := s.CheckRequest(ctx, by, r, opp, &v); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	if opp != nil && opp.OwnerID == 0 {
		opp.OwnerID = by.ID
	}
	r.RequesterID = by.ID
	team, err := s.team(ctx)
	if err != nil {
		return err
	}
	var out vouch.Outgoing
	body := fmt.Sprintf("%s requested %s (due %s)", by.Name, vouch.WithArticle(s.typeName(r.ActivityTypeID)), r.DueDate.String())
	if h, ok := s.ix.Get(r.ProposedReferenceID); ok && r.ProposedReferenceID != 0 {
		body += fmt.Sprintf(", proposing %s (%s)", h.Reference.Name, h.Account.Name)
	}
	for _, u := range team {
		if u.ID == by.ID {
			continue
		}
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: u.ID, Body: body}) // no link: the store points it at the new request
	}
	if opp != nil {
		// One transaction: a request the database refuses leaves no orphan
		// opportunity behind.
		return s.db.CreateRequestWithOpportunity(ctx, r, opp, out)
	}
	return s.db.CreateRequest(ctx, r, out)
}

// matchQuery is the match query of a request: its rules and criteria,
// leaving out anyone already asked for its opportunity.
func (s *Service) matchQuery(ctx context.Context, r *vouch.Request) (refindex.MatchQuery, error) {
	asked, err := s.db.AskedForOpportunity(ctx, r.OpportunityID)
	if err != nil {
		return refindex.MatchQuery{}, err
	}
	// The ask ledger's fatigue rules hold some back: they are not proposed.
	// The read model answers (the ask itself is checked in its transaction).
	return refindex.MatchQuery{ActivityTypeID: r.ActivityTypeID, Criteria: r.Criteria, DueDate: r.DueDate,
		Today: s.db.Today(), Exclude: asked, HeldBack: s.ix.Ledger().HeldBackAll()}, nil
}

// Matches ranks every reference that passes a request's hard rules, best
// first, and returns the page of limit (-1: all) after offset; anyone
// already asked for its opportunity is left out.
func (s *Service) Matches(ctx context.Context, r *vouch.Request, offset, limit int) (refindex.MatchResult, error) {
	q, err := s.matchQuery(ctx, r)
	if err != nil {
		return refindex.MatchResult{}, err
	}
	q.Offset, q.Limit = offset, limit
	return s.ix.Match(q), nil
}

// AskCheck is what asking one reference for a request would mean: its fit,
// and the warnings the team confirms before asking (each criterion missed,
// each fatigue signal). A reference that fails a hard rule has no AskCheck:
// CheckAsk refuses it.
type AskCheck struct {
	Request  *vouch.Request
	Match    refindex.Match
	Warnings []string
}

// CheckAsk holds a reference against a request before by asks it, wherever
// the reference was found (the matches, a search, its profile). A hard rule
// it fails — already asked for the opportunity, not active, not agreed to
// the activity, no capacity before the due date, no email — refuses, in
// words; the criteria it misses and the signs it was asked or used a lot
// lately are warnings.
func (s *Service) CheckAsk(ctx context.Context, by *vouch.User, requestID, refID int64) (*AskCheck, error) {
	req, err := s.db.Request(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if !vouch.CanPick(by, req) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team picks references for this request.")
	}
	if req.State.Closed() {
		return nil, vouch.Errorf(vouch.ECONFLICT, "Request #%d is %s; nobody more can be asked for it.", req.ID, strings.ToLower(req.State.Label()))
	}
	q, err := s.matchQuery(ctx, req)
	if err != nil {
		return nil, err
	}
	// Held back by the ask ledger's fatigue rules: refused, saying why,
	// before any warning is offered to confirm.
	if why, ok := q.HeldBack[refID]; ok {
		return nil, vouch.ErrHeldBack(why)
	}
	m, failures, ok := s.ix.Judge(q, refID)
	if !ok {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Reference %d not found.", refID)
	}
	if len(failures) > 0 {
		texts := make([]string, len(failures))
		for i, f := range failures {
			texts[i] = f.Text
		}
		return nil, vouch.Errorf(vouch.ECONFLICT, "%s cannot be asked for this request: %s.", m.Reference.Name, strings.Join(texts, "; "))
	}
	if m.Reference.Email == "" {
		return nil, vouch.Errorf(vouch.EINVALID, "%s has no email address; add one to the reference before asking.", m.Reference.Name)
	}
	return &AskCheck{Request: req, Match: m, Warnings: vouch.AskWarnings(m.Criteria, m.Fatigue)}, nil
}

// OpenRequestsToPick are the open requests by may pick references for,
// soonest due first: what the team chooses from to ask a reference it
// found itself.
func (s *Service) OpenRequestsToPick(ctx context.Context, by *vouch.User) ([]*vouch.Request, error) {
	reqs, _, err := s.ListRequests(ctx, by, vouch.RequestFilter{Open: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	out := reqs[:0]
	for _, r := range reqs {
		if vouch.CanPick(by, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Ask picks a reference for a request, without a personal note (AskReference).
func (s *Service) Ask(ctx context.Context, by *vouch.User, requestID, refID int64, confirmed bool) (*vouch.Ask, error) {
	return s.AskReference(ctx, by, vouch.AskInput{RequestID: requestID, ReferenceID: refID, Confirmed: confirmed})
}

// AskReference picks a reference for a request. The hard rules must hold
// (CheckAsk); when the reference misses a criterion or shows fatigue, the
// ask is made only once confirmed, and is otherwise refused with a
// *vouch.UnconfirmedAsk naming the warnings. The advocate is mailed a
// signed link, with the note and signed by the team member who asked, or
// the account owner is asked to approve first when the activity type says
// so; the owner is told either way.
func (s *Service) AskReference(ctx context.Context, by *vouch.User, in vouch.AskInput) (*vouch.Ask, error) {
	in.Note = strings.TrimSpace(in.Note)
	if err := vouch.CheckAskNote(in.Note); err != nil {
		return nil, err
	}
	check, err := s.CheckAsk(ctx, by, in.RequestID, in.ReferenceID)
	if err != nil {
		return nil, err
	}
	m, req := check.Match, check.Request
	if len(check.Warnings) > 0 && !in.Confirmed {
		return nil, &vouch.UnconfirmedAsk{Reference: m.Reference.Name, Warnings: check.Warnings}
	}
	ref, acct := m.Reference, m.Account
	rules, err := s.db.ActivityTypeRules(ctx)
	if err != nil {
		return nil, err
	}
	rule := rules[req.ActivityTypeID]
	opp, err := s.db.Opportunity(ctx, req.OpportunityID)
	if err != nil {
		return nil, err
	}
	ask := &vouch.Ask{RequestID: req.ID, ReferenceID: ref.ID, Score: m.Score, Reasons: m.Reasons, State: vouch.AskPending,
		Note: in.Note, AskedBy: by.ID}
	needApproval := rule.Approval && acct.OwnerID != 0 && acct.OwnerID != by.ID
	var out vouch.Outgoing
	var link vouch.NewLink
	ownerName, ownerEmail := s.userName(ctx, acct.OwnerID)
	if needApproval {
		ask.State = vouch.AskAwaitingApproval
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: acct.OwnerID,
			Body: fmt.Sprintf("Approve asking %s (%s) for a %s?", ref.Name, acct.Name, strings.ToLower(s.typeName(req.ActivityTypeID))),
			Link: fmt.Sprintf("/requests/%d", req.ID)})
		note := ""
		if ask.Note != "" {
			note = fmt.Sprintf("Their note to %s:\n%s\n\n", ref.Name, ask.Note)
		}
		out.Mails = append(out.Mails, vouch.Mail{To: ownerEmail, Subject: "Approve a reference ask: " + ref.Name + " at " + acct.Name,
			Body: fmt.Sprintf("Hello %s,\n\n%s would like to ask %s (%s, %s) for a %s for the opportunity %q.\n\n%s"+
				"Approve or decline here: %s\n", ownerName, by.Name, ref.Name, ref.Title, acct.Name,
				strings.ToLower(s.typeName(req.ActivityTypeID)), opp.Name, note, s.RequestURL(req.ID)),
			FromName: by.Name, ReplyTo: by.Email})
	} else {
		var token string
		tm, err := s.timing(ctx)
		if err != nil {
			return nil, err
		}
		token, link = s.newLink(vouch.LinkAnswer, tm.askTTL)
		mail, err := s.askMail(ctx, &scene{ask: ask, req: req, ref: ref, acct: acct, opp: opp}, by, token, link.ExpiresAt, false)
		if err != nil {
			return nil, err
		}
		out.Mails = append(out.Mails, mail)
		if acct.OwnerID != 0 && acct.OwnerID != by.ID {
			out.Notifications = append(out.Notifications, vouch.Notification{UserID: acct.OwnerID,
				Body: fmt.Sprintf("%s was asked for a %s for %s", ref.Name, strings.ToLower(s.typeName(req.ActivityTypeID)), opp.Name),
				Link: fmt.Sprintf("/requests/%d", req.ID)})
		}
	}
	if req.RequesterID != by.ID {
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: req.RequesterID,
			Body: fmt.Sprintf("%s (%s) was picked for your request", ref.Name, acct.Name), Link: fmt.Sprintf("/requests/%d", req.ID)})
	}
	if err := s.db.CreateAsk(ctx, ask, link, out); err != nil {
		return nil, err
	}
	return ask, nil
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// Approve records the account owner's (or the program team's) decision on
// an ask awaiting approval; approved, the advocate is mailed the link.
func (s *Service) Approve(ctx context.Context, by *vouch.User, askID int64, approve bool, note string) (*vouch.Ask, error) {
	sc, err := s.scene(ctx, askID)
	if err != nil {
		return nil, err
	}
	req, ref := sc.req, sc.ref
	if !vouch.CanApprove(by, sc.acct.OwnerID) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the account owner or the program team can approve this ask.")
	}
	var out vouch.Outgoing
	var link vouch.NewLink
	if approve {
		var token string
		tm, err := s.timing(ctx)
		if err != nil {
			return nil, err
		}
		token, link = s.newLink(vouch.LinkAnswer, tm.askTTL)
		// Signed by the team member who asked: the approver only let it go.
		mail, err := s.askMail(ctx, sc, s.asker(ctx, sc.ask), token, link.ExpiresAt, false)
		if err != nil {
			return nil, err
		}
		out.Mails = append(out.Mails, mail)
	}
	for _, id := range distinct(req.RequesterID, req.AssigneeID) {
		if id != 0 && id != by.ID {
			verb := map[bool]string{true: "approved", false: "did not approve"}[approve]
			out.Notifications = append(out.Notifications, vouch.Notification{UserID: id,
				Body: fmt.Sprintf("%s %s asking %s", by.Name, verb, ref.Name), Link: fmt.Sprintf("/requests/%d", req.ID)})
		}
	}
	return s.db.ApproveAsk(ctx, askID, approve, note, link, out)
}

// scene is everything a step on one ask talks about.
type scene struct {
	ask  *vouch.Ask
	req  *vouch.Request
	ref  *vouch.Reference
	acct *vouch.Account
	opp  *vouch.Opportunity
	// sample marks the made-up ask a mail preview shows when there is none.
	sample bool
}

// scene reads an ask with its request, reference, account and opportunity.
func (s *Service) scene(ctx context.Context, askID int64) (*scene, error) {
	sc := &scene{}
	var err error
	if sc.ask, err = s.db.Ask(ctx, askID); err != nil {
		return nil, err
	}
	if sc.req, err = s.db.Request(ctx, sc.ask.RequestID); err != nil {
		return nil, err
	}
	if sc.ref, err = s.db.Reference(ctx, sc.ask.ReferenceID); err != nil {
		return nil, err
	}
	if sc.acct, err = s.db.Account(ctx, sc.ref.AccountID); err != nil {
		return nil, err
	}
	if sc.opp, err = s.db.Opportunity(ctx, sc.req.OpportunityID); err != nil {
		return nil, err
	}
	return sc, nil
}

// Withdraw ends an open ask.
func (s *Service) Withdraw(ctx context.Context, by *vouch.User, askID int64, reason string) (*vouch.Ask, error) {
	sc, err := s.scene(ctx, askID)
	if err != nil {
		return nil, err
	}
	if !vouch.CanPick(by, sc.req) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team (or the requester, on a self-serve request) can withdraw this ask.")
	}
	return s.db.WithdrawAsk(ctx, askID, reason, vouch.Outgoing{})
}

// LinkView is what a public page shows for a signed link.
type LinkView struct {
	Purpose     string
	Ask         *vouch.Ask
	Request     *vouch.Request
	Opportunity *vouch.Opportunity
	Reference   *vouch.Reference
	Account     *vouch.Account
	Seller      string
	Activity    string // the activity type's name
	ExpiresAt   time.Time
	Company     string // the company asking, as the mail settings name it ("our company" until set)
	// AskedBy and AskedByEmail are the team member who asked, who wrote
	// Ask.Note; empty when unknown.
	AskedBy, AskedByEmail string
}

// OpenLink checks a link and reads what its page shows. A tampered,
// unknown, used or expired link is an error that says which, in words
// for the person who clicked it.
func (s *Service) OpenLink(ctx context.Context, token string) (*LinkView, error) {
	purpose, hash, err := s.checkLink(token)
	if err != nil {
		return nil, err
	}
	l, err := s.db.LinkByHash(ctx, hash)
	if err != nil {
		return nil, ErrBadLink
	}
	if l.UsedAt != nil {
		return nil, vouch.ErrLinkUsed
	}
	if !s.now().Before(l.ExpiresAt) {
		return nil, vouch.ErrLinkExpired
	}
	v := &LinkView{Purpose: purpose, ExpiresAt: l.ExpiresAt}
	if v.Ask, err = s.db.Ask(ctx, l.AskID); err != nil {
		return nil, err
	}
	if purpose == vouch.LinkAnswer && v.Ask.State != vouch.AskPending {
		return nil, vouch.AskNotOpen(v.Ask.State)
	}
	if purpose == vouch.LinkSellerFeedback || purpose == vouch.LinkAdvocateFeedback {
		// The seller may rate the activity in the app too: the mailed link
		// then says so instead of offering a form that cannot be sent.
		if err := s.checkNotRated(ctx, v.Ask, purpose); err != nil {
			return nil, err
		}
	}
	if v.Request, err = s.db.Request(ctx, v.Ask.RequestID); err != nil {
		return nil, err
	}
	if v.Opportunity, err = s.db.Opportunity(ctx, v.Request.OpportunityID); err != nil {
		return nil, err
	}
	if v.Reference, err = s.db.Reference(ctx, v.Ask.ReferenceID); err != nil {
		return nil, err
	}
	if v.Account, err = s.db.Account(ctx, v.Reference.AccountID); err != nil {
		return nil, err
	}
	v.Seller, _ = s.userName(ctx, v.Request.RequesterID)
	v.Activity = s.typeName(v.Request.ActivityTypeID)
	v.AskedBy, v.AskedByEmail = s.userName(ctx, v.Ask.AskedBy)
	ms, err := s.db.MailSettings(ctx)
	if err != nil {
		return nil, err
	}
	v.Company = ms.CompanyName()
	return v, nil
}

// advocateActor is how an advocate's answers appear in the audit log.
func advocateActor(ctx context.Context, v *LinkView) context.Context {
	return vouch.WithActor(ctx, vouch.Actor{Label: "advocate:" + v.Reference.Email})
}

// Answer records the advocate's answer given through a link. Accepting
// books capacity; when it is gone meanwhile the answer is
// vouch.ErrNoLongerAvailable and nothing changes.
func (s *Service) Answer(ctx context.Context, token string, ans vouch.Answer) (*vouch.Ask, error) {
	v, err := s.OpenLink(ctx, token)
	if err != nil {
		return nil, err
	}
	if v.Purpose != vouch.LinkAnswer {
		return nil, ErrBadLink
	}
	_, hash, _ := s.checkLink(token)
	verb := map[string]string{vouch.AnswerAccept: "accepted", vouch.AnswerDecline: "declined",
		vouch.AnswerPause: "declined for now", vouch.AnswerOptOut: "opted out of the program"}[ans.Action]
	var out vouch.Outgoing
	for _, id := range distinct(v.Request.AssigneeID, v.Request.RequesterID) {
		if id != 0 {
			out.Notifications = append(out.Notifications, vouch.Notification{UserID: id,
				Body: fmt.Sprintf("%s %s (%s)", v.Reference.Name, verb, v.Opportunity.Name), Link: fmt.Sprintf("/requests/%d", v.Request.ID)})
		}
	}
	if v.Account.OwnerID != 0 && ans.Action == vouch.AnswerOptOut {
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: v.Account.OwnerID,
			Body: fmt.Sprintf("%s (%s) opted out of the reference program", v.Reference.Name, v.Account.Name),
			Link: fmt.Sprintf("/references/%d", v.Reference.ID)})
	}
	return s.db.AnswerAsk(advocateActor(ctx, v), hash, ans, out)
}

// Schedule sets the agreed time of an accepted ask and mails an invitation
// (.ics) to the seller and the advocate.
func (s *Service) Schedule(ctx context.Context, by *vouch.User, askID int64, sched vouch.Schedule) (*vouch.Ask, error) {
	sc, err := s.scene(ctx, askID)
	if err != nil {
		return nil, err
	}
	a, req, ref, acct, opp := sc.ask, sc.req, sc.ref, sc.acct, sc.opp
	if !vouch.CanPick(by, req) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team schedules this request.")
	}
	if err := sched.Validate(); err != nil {
		return nil, err
	}
	sellerName, sellerEmail := s.userName(ctx, req.RequesterID)
	kind := s.typeName(req.ActivityTypeID)
	summary := fmt.Sprintf("%s: %s (%s) with %s", kind, ref.Name, acct.Name, orDefault(opp.Prospect, opp.Name))
	// The ask's version grows with each reschedule, so calendars replace
	// the earlier invitation (same UID, higher SEQUENCE).
	event := notify.Event{UID: fmt.Sprintf("ask-%d@vouch", a.ID), Sequence: a.Version, Stamp: s.now(),
		Start: sched.At.UTC(), End: sched.At.UTC().Add(time.Duration(sched.DurationMinutes) * time.Minute), Summary: summary,
		Description: fmt.Sprintf("Reference %s for the opportunity %s.\n%s", strings.ToLower(kind), opp.Name, req.Context),
		Location:    sched.MeetingURL, Organizer: notify.Person{Name: sellerName, Email: sellerEmail},
		Attendees: []notify.Person{{Name: ref.Name, Email: ref.Email}, {Name: sellerName, Email: sellerEmail}}}
	ics := notify.ICS(event)
	// The seller's copy names the advocate without their address when the
	// program keeps contact details from sellers (seller_contact: never).
	sellerICS := ics
	if seller, err := s.db.User(ctx, req.RequesterID); err == nil {
		sight, err := s.SightFor(ctx, seller)
		if err != nil {
			return nil, err
		}
		status := ref.Status
		if h, ok := s.ix.Get(ref.ID); ok {
			status = h.Status
		}
		if !sight.Of(ref.ID, status).Contact {
			event.Attendees = []notify.Person{{Name: sellerName, Email: sellerEmail}}
			sellerICS = notify.ICS(event)
		}
	}
	when, sellerWhen := s.callTimes(ctx, sched.At, ref, req.RequesterID)
	meeting := ""
	if sched.MeetingURL != "" {
		meeting = "\nJoin: " + sched.MeetingURL + "\n"
	}
	out := vouch.Outgoing{Mails: []vouch.Mail{
		{To: ref.Email, Subject: "Scheduled: " + summary, ICS: ics, RequestID: req.ID,
			Body: fmt.Sprintf("Hello %s,\n\nThank you for agreeing to help. The %s is set for %s (%d minutes).\n%s\nThe invitation is attached.\n",
				ref.Name, strings.ToLower(kind), when, sched.DurationMinutes, meeting)},
		{To: sellerEmail, Subject: "Scheduled: " + summary, ICS: sellerICS, RequestID: req.ID,
			Body: fmt.Sprintf("Hello %s,\n\nYour %s with %s (%s, %s) is set for %s (%d minutes).\n%s\nBefore the call, read the reference's story: %s\n",
				sellerName, strings.ToLower(kind), ref.Name, ref.Title, acct.Name, sellerWhen,
				sched.DurationMinutes, meeting, s.url(fmt.Sprintf("/references/%d", ref.ID)))},
	}}
	return s.db.ScheduleAsk(ctx, askID, sched, out)
}

// Complete records how a scheduled ask went. When it happened, the seller
// and the advocate are each mailed a feedback link.
func (s *Service) Complete(ctx context.Context, by *vouch.User, askID int64, outcome string, day vouch.Date) (*vouch.Ask, error) {
	sc, err := s.scene(ctx, askID)
	if err != nil {
		return nil, err
	}
	req, ref := sc.req, sc.ref
	if !vouch.CanPick(by, req) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team completes this request.")
	}
	var out vouch.Outgoing
	var links []vouch.NewLink
	if outcome == vouch.OutcomeCompleted {
		_, sellerEmail := s.userName(ctx, req.RequesterID)
		kind := strings.ToLower(s.typeName(req.ActivityTypeID))
		sellerToken, sl := s.newLink(vouch.LinkSellerFeedback, FeedbackTTL)
		advocateToken, al := s.newLink(vouch.LinkAdvocateFeedback, FeedbackTTL)
		links = []vouch.NewLink{sl, al}
		ms, err := s.db.MailSettings(ctx)
		if err != nil {
			return nil, err
		}
		// Signed by whoever marks it completed: they were there.
		seller, advocate := s.mailValues(ctx, ms, sc, by), s.mailValues(ctx, ms, sc, by)
		seller["feedback_link"], advocate["feedback_link"] = s.url("/f/"+sellerToken), s.url("/f/"+advocateToken)
		out.Mails = []vouch.Mail{mailFrom(ms, vouch.MailFeedback, seller, sellerEmail, req.ID, by),
			mailFrom(ms, vouch.MailThankYou, advocate, ref.Email, req.ID, by)}
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: req.RequesterID,
			Body: fmt.Sprintf("Rate the %s with %s", kind, ref.Name), Link: fmt.Sprintf("/requests/%d", req.ID)})
	}
	return s.db.CompleteAsk(ctx, askID, outcome, day, links, out)
}

// Feedback stores feedback given through a link; the link says whose.
func (s *Service) Feedback(ctx context.Context, token string, f *vouch.Feedback) error {
	v, err := s.OpenLink(ctx, token)
	if err != nil {
		return err
	}
	switch v.Purpose {
	case vouch.LinkSellerFeedback:
		f.Source = vouch.FeedbackSeller
		ctx = vouch.WithActor(ctx, vouch.Actor{UserID: v.Request.RequesterID, Label: "seller feedback link"})
	case vouch.LinkAdvocateFeedback:
		f.Source = vouch.FeedbackAdvocate
		ctx = advocateActor(ctx, v)
	default:
		return ErrBadLink
	}
	_, hash, _ := s.checkLink(token)
	var out vouch.Outgoing
	if v.Request.AssigneeID != 0 {
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: v.Request.AssigneeID,
			Body: fmt.Sprintf("New %s feedback on %s: %d/5", f.Source, v.Reference.Name, f.Rating), Link: fmt.Sprintf("/requests/%d", v.Request.ID)})
	}
	return s.db.SaveFeedback(ctx, hash, f, out)
}

// ChangeState moves a request by hand (decline, cancel, unfulfilled …) and
// tells its requester.
func (s *Service) ChangeState(ctx context.Context, by *vouch.User, id int64, version int, c vouch.RequestChange) (*vouch.Request, error) {
	req, err := s.db.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	// The requester may cancel their own request; everything else is the team's.
	ownCancel := req.RequesterID == by.ID && c.To == vouch.RequestCancelled
	if !by.Can(vouch.PermManageProgram) && !ownCancel {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team can move this request; you may cancel your own.")
	}
	// Moves into the states asks bring about need the asks for them: a
	// board button or a hand-made call cannot say an advocate was asked.
	asks, err := s.db.Asks(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := vouch.CheckRequestMove(req, asks, c); err != nil {
		return nil, err
	}
	var out vouch.Outgoing
	if req.RequesterID != by.ID {
		body := fmt.Sprintf("Your request is now %s", strings.ToLower(c.To.Label()))
		if c.Reason != "" {
			body += ": " + c.Reason
		}
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: req.RequesterID, Body: body, Link: fmt.Sprintf("/requests/%d", id)})
		_, email := s.userName(ctx, req.RequesterID)
		if c.To.Closed() {
			out.Mails = append(out.Mails, vouch.Mail{To: email, Subject: "Your reference request is " + strings.ToLower(c.To.Label()),
				Body: body + ".\n\n" + s.RequestURL(id) + "\n", RequestID: id})
		}
	}
	return s.db.ChangeRequestState(ctx, id, version, c, out)
}

// Assign gives a request to a team member, who is told.
func (s *Service) Assign(ctx context.Context, by *vouch.User, id int64, version int, assigneeID int64) (*vouch.Request, error) {
	if !by.Can(vouch.PermManageProgram) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team assigns requests.")
	}
	if assigneeID != 0 {
		a, err := s.db.User(ctx, assigneeID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			return nil, &vouch.Error{Code: vouch.EINVALID, Message: "Requests are assigned to members of the program team only.",
				Fields: map[string]string{"assignee": "is not a known user"}}
		} else if err != nil {
			return nil, err
		}
		if err := vouch.CheckAssignee(a); err != nil {
			return nil, err
		}
	}
	var out vouch.Outgoing
	if assigneeID != 0 && assigneeID != by.ID {
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: assigneeID,
			Body: fmt.Sprintf("%s assigned you request #%d", by.Name, id), Link: fmt.Sprintf("/requests/%d", id)})
	}
	return s.db.AssignRequest(ctx, id, version, assigneeID, out)
}

// Message adds a message to a request's timeline; the other side is told.
func (s *Service) Message(ctx context.Context, by *vouch.User, id int64, body string) error {
	req, err := s.db.Request(ctx, id)
	if err != nil {
		return err
	}
	if !vouch.CanSeeRequest(by, req) {
		return vouch.Errorf(vouch.EFORBIDDEN, "This request is not yours.")
	}
	var out vouch.Outgoing
	for _, uid := range distinct(req.RequesterID, req.AssigneeID) {
		if uid != 0 && uid != by.ID {
			out.Notifications = append(out.Notifications, vouch.Notification{UserID: uid,
				Body: fmt.Sprintf("%s wrote on request #%d", by.Name, id), Link: fmt.Sprintf("/requests/%d", id)})
		}
	}
	return s.db.AddRequestMessage(ctx, id, body, out)
}

// Remind mails a reminder for asks without an answer after the program's
// reminder days (at most its number of reminders), and expires asks older
// than its expiry. The server runs it every few minutes.
func (s *Service) Remind(ctx context.Context) error {
	tm, err := s.timing(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	expired, err := s.db.ExpireAsks(ctx, now.Add(-tm.askTTL))
	if err != nil {
		return err
	}
	for _, a := range expired {
		s.log.Info("ask expired", "ask", a.ID, "request", a.RequestID)
	}
	since := now.Add(-tm.remindAfter)
	due, err := s.db.AsksToRemind(ctx, since, tm.maxReminders)
	if err != nil {
		return err
	}
	var failed error
	for _, a := range due {
		// One ask that cannot be reminded must not hold up the others.
		if err := s.remind(ctx, a, since, tm.askTTL); err != nil {
			s.log.Error("reminding an advocate", "ask", a.ID, "err", err)
			failed = err
		}
	}
	return failed
}

func (s *Service) remind(ctx context.Context, a *vouch.Ask, since time.Time, askTTL time.Duration) error {
	sc, err := s.scene(ctx, a.ID)
	if err != nil {
		return err
	}
	// The first link may be gone with the first mail; the reminder
	// carries a new one and either answers the ask.
	// Its link lasts as long as the ask: the ask expires askTTL after it was
	// first sent, so a reminder promising askTTL from now would name a day
	// on which the advocate finds it expired.
	ttl := askTTL
	if a.SentAt != nil {
		ttl = a.SentAt.Add(askTTL).Sub(s.now())
	}
	token, link := s.newLink(vouch.LinkAnswer, ttl)
	// Nobody sends a reminder by hand: the program's sender signs it.
	mail, err := s.askMail(ctx, sc, nil, token, link.ExpiresAt, true)
	if err != nil {
		return err
	}
	return s.db.RemindAsk(ctx, a.ID, since, link, vouch.Outgoing{Mails: []vouch.Mail{mail}})
}

// RunReminders calls Remind every interval until ctx ends.
func (s *Service) RunReminders(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("request reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PublicURL is the absolute address of path on this server, as links in
// mails have it: for links other capabilities hand out (a proof page).
func (s *Service) PublicURL(path string) string { return s.url(path) }

// SetBaseURL changes where links in mails point; the server sets it once
// it knows its address when no base URL was configured.
func (s *Service) SetBaseURL(u string) { s.baseURL = strings.TrimSuffix(u, "/") }

// BaseURL is where the links in mails point, for other services' mails.
func (s *Service) BaseURL() string { return s.baseURL }

// distinct drops repeated ids, so a seller who is also the assignee is
// told once.
func distinct(ids ...int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// prefixed renames the fields of a validation error with prefix; any other
// error is returned as it is.
func prefixed(prefix string, err error) error {
	fields := vouch.ErrorFields(err)
	if vouch.ErrorCode(err) != vouch.EINVALID || len(fields) == 0 {
		return err
	}
	out := &vouch.Error{Code: vouch.EINVALID, Message: vouch.ErrorMessage(err), Fields: map[string]string{}}
	for f, reason := range fields {
		out.Fields[prefix+f] = reason
	}
	return out
}
