package campaigns

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Service runs recruiting campaigns: starts them from a gap, records the
// outreach to each candidate contact and nominates those who agree,
// through the nominations service as every nomination is made.
type Service struct {
	db     *store.DB
	cat    *catalog.Catalog
	noms   *nominations.Service
	wins   Wins
	ledger *refindex.Ledger
}

// Wins answers each account's latest won deal in a span of days: the
// metrics engine (analytics.Model).
type Wins interface {
	RecentWins(from, to vouch.Date) map[int64]analytics.Win
}

// SetWins makes the ranking count recent wins from w.
func (s *Service) SetWins(w Wins) { s.wins = w }

// New returns the service. The ask ledger's read model tells the outreach
// preview when the fatigue rules hold an account back; sending checks the
// rules again inside its own transaction.
func New(db *store.DB, cat *catalog.Catalog, noms *nominations.Service, ledger *refindex.Ledger) *Service {
	return &Service{db: db, cat: cat, noms: noms, ledger: ledger}
}

// dimensionKinds are the picklists of the coverage dimensions.
var dimensionKinds = map[string]vouch.TaxonomyKind{"industry": vouch.TaxIndustry, "region": vouch.TaxRegion,
	"product": vouch.TaxProduct, "segment": vouch.TaxSegment, "size": vouch.TaxCompanySize}

func forbidden(by *vouch.User) error {
	if by == nil || !by.Can(vouch.PermManageCampaigns) {
		return vouch.Errorf(vouch.EFORBIDDEN, "Your role cannot run recruiting campaigns.")
	}
	return nil
}

// Start records a campaign for the gap, goal or drive c names; an empty
// name is made from the aim ("Recruit for Healthcare × Call", "Recruit for
// goal “Grow Healthcare”", "10 × Review on G2 by 31 Mar 2027").
func (s *Service) Start(ctx context.Context, by *vouch.User, c vouch.Campaign) (*vouch.Campaign, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	if c.Aim == "" {
		c.Aim = vouch.AimGap
	}
	value, typ := s.cat.Value(c.ValueID), s.cat.Value(c.ActivityTypeID)
	var v vouch.Validation
	var goal *vouch.Goal
	if c.Aim == vouch.AimGoal && c.GoalID > 0 {
		g, err := s.db.Goal(ctx, c.GoalID)
		switch {
		case vouch.ErrorCode(err) == vouch.ENOTFOUND:
			v.Add("goal_id", "is not a known goal")
		case err != nil:
			return nil, err
		case g.Kind != vouch.GoalProgram || g.Archived:
			v.Add("goal_id", "must be a program goal that is not archived")
		default:
			goal = g
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		switch {
		case c.Aim == vouch.AimGap && value != nil && typ != nil:
			c.Name = "Recruit for " + value.Name + " × " + typ.Name
		case c.Aim == vouch.AimGoal && goal != nil:
			c.Name = "Recruit for goal “" + goal.Name + "”"
		case c.Aim == vouch.AimDrive && strings.TrimSpace(c.DriveWhat) != "" && c.DriveTarget > 0 && !c.DueOn.IsZero():
			c.Name = fmt.Sprintf("%d × %s by %s", c.DriveTarget, strings.TrimSpace(c.DriveWhat), c.DueOn.Time().Format("2 Jan 2006"))
		}
	}
	if err := c.Validate(); err != nil {
		for f, m := range vouch.ErrorFields(err) {
			v.Add(f, m)
		}
	}
	if kind, ok := dimensionKinds[c.Dimension]; ok && c.ValueID > 0 && (value == nil || value.Kind != kind) {
		v.Add("value_id", "is not a value of "+c.Dimension)
	}
	if c.ActivityTypeID > 0 && (typ == nil || typ.Kind != vouch.TaxActivityType) {
		v.Add("activity_type_id", "is not an activity type")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.CreatedBy = by.ID
	if err := s.db.CreateCampaign(ctx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// AddContact adds a contact at a candidate account to the campaign's outreach.
func (s *Service) AddContact(ctx context.Context, by *vouch.User, c vouch.CampaignContact) (*vouch.CampaignContact, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	camp, err := s.db.Campaign(ctx, c.CampaignID)
	if err != nil {
		return nil, err
	}
	if camp.Closed() {
		return nil, vouch.ErrCampaignClosed(camp)
	}
	if camp.Aim == vouch.AimDrive {
		return nil, invalid("campaign_id", "is a drive: invite references as advocates instead")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.db.Account(ctx, c.AccountID); vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, invalid("account_id", "is not a known account")
	} else if err != nil {
		return nil, err
	}
	if err := s.db.AddCampaignContact(ctx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Move moves the outreach to a contact to state to, from version, adding
// note (a reply, say) to its notes. Moving to nominated nominates the
// contact through the nominations service, crediting the campaign in the
// nomination's reason and linking the nomination to the contact, which is
// how the campaign counts its nominations and the references they become.
func (s *Service) Move(ctx context.Context, by *vouch.User, id int64, version int, to vouch.OutreachState, note string) (*vouch.CampaignContact, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	c, err := s.db.CampaignContact(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Version != version {
		return nil, vouch.StaleVersion("campaign contact")
	}
	camp, err := s.open(ctx, c.CampaignID)
	if err != nil {
		return nil, err
	}
	if !c.State.CanMove(to) {
		return nil, invalid("state", fmt.Sprintf("cannot move from %s to %s", c.State.Label(), to.Label()))
	}
	note = strings.TrimSpace(note)
	if len(note) > 5000 {
		return nil, invalid("note", "must be at most 5,000 characters")
	}
	line := s.db.Today().String() + " " + to.Label()
	if note != "" {
		line += ": " + note
	}
	if c.Notes != "" {
		c.Notes += "\n"
	}
	c.Notes += line
	if to == vouch.OutreachContacted {
		// Reached outside Vouch (a call, a word at an event): still an ask
		// of the account, in its ledger and under its rules.
		c.State = to
		if err := s.db.ReachCampaignContact(ctx, c, by.ID, vouch.Outgoing{}); err != nil {
			return nil, err
		}
		return c, nil
	}
	if to != vouch.OutreachNominated {
		c.State = to
		if err := s.db.MoveCampaignContact(ctx, c); err != nil {
			return nil, err
		}
		return c, nil
	}
	reason := fmt.Sprintf("Recruiting campaign “%s”.", camp.Name)
	if note != "" {
		reason += " " + note
	}
	n := vouch.Nomination{AccountID: c.AccountID, Name: c.Name, Email: c.Email, Reason: reason, CampaignID: camp.ID}
	if t := s.cat.Value(camp.ActivityTypeID); t != nil {
		n.Activities = []string{t.Name}
	}
	// The nomination and the contact's move are one transaction: a move
	// that fails (someone moved the contact meanwhile) leaves no nomination.
	if _, _, err := s.noms.SubmitThen(ctx, by, n, func(b *store.Batch, made *vouch.Nomination) error {
		c.NominationID, c.State = made.ID, to
		return b.MoveCampaignContact(c)
	}); err != nil {
		c.NominationID, c.State = 0, "" // nothing was saved
		return nil, err
	}
	return c, nil
}

// Funnel is a campaign's conversion: contacts by state, and of the
// nominations made, those accepted (the references recruited).
type Funnel struct {
	Contacts   int
	ByState    map[vouch.OutreachState]int
	Nominated  int
	Recruited  int // nominations accepted: the contact is a reference now
	Conversion int // recruited per contact, in percent
}

// FunnelOf counts the campaign's contacts.
func (s *Service) FunnelOf(ctx context.Context, contacts []*vouch.CampaignContact) (Funnel, error) {
	f := Funnel{Contacts: len(contacts), ByState: map[vouch.OutreachState]int{}}
	var noms []int64
	for _, c := range contacts {
		f.ByState[c.State]++
		if c.NominationID != 0 {
			f.Nominated++
			noms = append(noms, c.NominationID)
		}
	}
	// The nominations' states in one read, not one query per contact.
	if len(noms) > 0 {
		if err := s.db.EachAnalyticsNomination(ctx, noms, func(n *store.AnalyticsNomination) error {
			if n.State == vouch.NominationAccepted {
				f.Recruited++
			}
			return nil
		}); err != nil {
			return f, err
		}
	}
	if f.Contacts > 0 {
		f.Conversion = f.Recruited * 100 / f.Contacts
	}
	return f, nil
}

// open reads campaign id, refusing it when it is closed.
func (s *Service) open(ctx context.Context, id int64) (*vouch.Campaign, error) {
	c, err := s.db.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Closed() {
		return nil, vouch.ErrCampaignClosed(c)
	}
	return c, nil
}

// Change renames, closes or reopens campaign id, read at version: closing
// records the day, who closed it and the outcome note. A closed campaign
// keeps its history, funnel and metrics but takes no more outreach or
// invitations until it is reopened. Every change is audited.
func (s *Service) Change(ctx context.Context, by *vouch.User, id int64, version int, ch vouch.CampaignChange) (*vouch.Campaign, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	if version <= 0 {
		return nil, invalid("version", "is required: the version of the campaign you read")
	}
	return s.db.ChangeCampaign(ctx, id, version, by.ID, func(c *vouch.Campaign, today vouch.Date) (bool, error) {
		return ch.Apply(c, today, by.ID)
	})
}

// GoalCampaign is a campaign aimed at a goal as the goal's page lists it:
// its funnel in a few words.
type GoalCampaign struct {
	Campaign *vouch.Campaign
	Funnel   Funnel
}

// OfGoal lists the campaigns aimed at goal id, newest first, with their
// funnels, for anyone who may see the goal (the caller checked): the goal's
// page names them to every reader, linking them only for the program team.
func (s *Service) OfGoal(ctx context.Context, goalID int64) ([]GoalCampaign, error) {
	list, err := s.db.CampaignsOfGoal(ctx, goalID)
	if err != nil {
		return nil, err
	}
	out := make([]GoalCampaign, 0, len(list))
	for _, c := range list {
		contacts, err := s.db.CampaignContacts(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		f, err := s.FunnelOf(ctx, contacts)
		if err != nil {
			return nil, err
		}
		out = append(out, GoalCampaign{Campaign: c, Funnel: f})
	}
	return out, nil
}

// invalid is a validation error of one field.
func invalid(field, reason string) error {
	var v vouch.Validation
	v.Add(field, reason)
	return v.Err()
}

// SetOutreach saves the campaign's outreach mail template; both empty, the
// default text comes back.
func (s *Service) SetOutreach(ctx context.Context, by *vouch.User, id int64, subject, body string) (*vouch.Campaign, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	if _, err := s.open(ctx, id); err != nil {
		return nil, err
	}
	subject, body = strings.TrimSpace(subject), strings.TrimSpace(body)
	if subject != "" || body != "" {
		if err := vouch.ValidateOutreach(subject, body); err != nil {
			return nil, err
		}
	}
	return s.db.SetCampaignOutreach(ctx, id, subject, body)
}

// Draft is the outreach mail to one contact, rendered from the campaign's
// template, to be read and edited before it is sent.
type Draft struct {
	Contact  *vouch.CampaignContact
	Campaign *vouch.Campaign
	Account  string
	To       string
	Subject  string
	Body     string
	// HeldBack is why the ask ledger's rules refuse the ask today; "" it may go.
	HeldBack string
}

// Outreach renders the outreach mail to contact id, sent by user by. A
// contact without an email, or one already reached, has none to send.
func (s *Service) Outreach(ctx context.Context, by *vouch.User, id int64) (*Draft, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	c, err := s.db.CampaignContact(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Email == "" {
		return nil, invalid("email", "is needed to send outreach: record the outreach by moving the contact instead")
	}
	if c.State != vouch.OutreachToContact {
		return nil, invalid("state", "must be To contact: "+c.Name+" was reached already")
	}
	camp, err := s.open(ctx, c.CampaignID)
	if err != nil {
		return nil, err
	}
	a, err := s.db.Account(ctx, c.AccountID)
	if err != nil {
		return nil, err
	}
	subject, body := camp.OutreachTemplate()
	d := &Draft{Contact: c, Campaign: camp, Account: a.Name, To: c.Email,
		Subject: vouch.RenderOutreach(subject, c.Name, a.Name, by.Name), Body: vouch.RenderOutreach(body, c.Name, a.Name, by.Name)}
	d.HeldBack = s.ledger.AccountHeldBack(a.ID)
	return d, nil
}

// SendOutreach sends the outreach mail (subject and body as edited) to
// contact id, read at version, through the outbox, and moves the contact
// to contacted: the ask lands in the account's ledger. The ask ledger's
// fatigue rules refuse it, saying why, when they hold the account back.
// Replies go to the sender, who records them on the contact.
func (s *Service) SendOutreach(ctx context.Context, by *vouch.User, id int64, version int, subject, body string) (*vouch.CampaignContact, error) {
	d, err := s.Outreach(ctx, by, id)
	if err != nil {
		return nil, err
	}
	c := d.Contact
	if c.Version != version {
		return nil, vouch.StaleVersion("campaign contact")
	}
	subject, body = strings.TrimSpace(subject), strings.TrimSpace(body)
	if err := vouch.ValidateOutreach(subject, body); err != nil {
		return nil, err
	}
	line := s.db.Today().String() + " " + vouch.OutreachContacted.Label() + ": outreach mail “" + subject + "” sent by " + by.Name
	if c.Notes != "" {
		c.Notes += "\n"
	}
	c.Notes += line
	c.State = vouch.OutreachContacted
	mail := vouch.Mail{To: c.Email, Subject: subject, Body: body + "\n", FromName: by.Name, ReplyTo: by.Email}
	if err := s.db.ReachCampaignContact(ctx, c, by.ID, vouch.Outgoing{Mails: []vouch.Mail{mail}}); err != nil {
		return nil, err
	}
	return c, nil
}

// RecordReply adds the contact's reply (or any note) to the outreach to
// contact id, read at version, without moving it on.
func (s *Service) RecordReply(ctx context.Context, by *vouch.User, id int64, version int, reply string) (*vouch.CampaignContact, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	reply = strings.TrimSpace(reply)
	if reply == "" || len(reply) > 5000 {
		return nil, invalid("note", "must be 1–5,000 characters")
	}
	c, err := s.db.CampaignContact(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Version != version {
		return nil, vouch.StaleVersion("campaign contact")
	}
	if _, err := s.open(ctx, c.CampaignID); err != nil {
		return nil, err
	}
	if c.Notes != "" {
		c.Notes += "\n"
	}
	c.Notes += s.db.Today().String() + " Reply: " + reply
	if err := s.db.MoveCampaignContact(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// View is a campaign as its page and the API show it: for a gap or a
// goal, the outreach so far with its funnel and the ranked candidates with
// their reasons, those the ask ledger holds back apart; for a drive, its
// advocates and progress.
type View struct {
	Campaign     *vouch.Campaign
	Value        string // the gap's value, e.g. "Healthcare"
	ActivityType string
	Goal         *vouch.Goal // a goal campaign's goal
	Contacts     []*vouch.CampaignContact
	AccountNames map[int64]string
	Funnel       Funnel
	Candidates   []Candidate
	Held         []Held
	Advocates    []*vouch.DriveAdvocate
	Progress     vouch.DriveProgress
}

// candidateLimit is how many ranked candidates a campaign shows.
const candidateLimit = 20

// Get reads campaign id for user by, with its funnel and candidates ranked
// from the read models accts and ix, or a drive's advocates. A closed
// campaign has its funnel and advocates but no candidates.
func (s *Service) Get(ctx context.Context, by *vouch.User, accts *refindex.Accounts, ix *refindex.Index, id int64) (*View, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	c, err := s.db.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &View{Campaign: c, AccountNames: map[int64]string{}, Contacts: []*vouch.CampaignContact{},
		Candidates: []Candidate{}, Held: []Held{}, Advocates: []*vouch.DriveAdvocate{}}
	v.Value, v.ActivityType = s.cat.ValueName(c.ValueID), s.cat.ValueName(c.ActivityTypeID)
	if c.Aim == vouch.AimDrive {
		if v.Advocates, err = s.db.DriveAdvocates(ctx, id); err != nil {
			return nil, err
		}
		v.Progress = vouch.ProgressOf(c.DriveTarget, v.Advocates)
		return v, nil
	}
	if v.Contacts, err = s.db.CampaignContacts(ctx, id); err != nil {
		return nil, err
	}
	if v.Funnel, err = s.FunnelOf(ctx, v.Contacts); err != nil {
		return nil, err
	}
	// Account names from the accounts' read model, not a query per contact.
	for _, ct := range v.Contacts {
		if a := accountOf(accts, ct.AccountID); a != nil {
			v.AccountNames[ct.AccountID] = a.Name
		}
	}
	if c.Closed() {
		// A closed campaign reaches no one: no candidates to rank.
		return v, nil
	}
	t := Target{Dimension: c.Dimension, ValueID: c.ValueID, ActivityTypeID: c.ActivityTypeID}
	if c.Aim == vouch.AimGoal {
		if c.GoalID != 0 {
			g, err := s.db.Goal(ctx, c.GoalID)
			if err != nil && vouch.ErrorCode(err) != vouch.ENOTFOUND {
				return nil, err
			}
			v.Goal = g
			if g != nil {
				t.Filter = g.Filter
			}
		}
		t.Dimension, t.Goal = "", true
	}
	today := s.db.Today()
	var wins map[int64]analytics.Win
	if s.wins != nil {
		wins = s.wins.RecentWins(today.AddDays(-RecentWinDays), today)
	}
	ranked := Rank(accts, ix, wins, t, today, candidateLimit)
	v.Candidates, v.Held = HoldBack(ix.Ledger(), ranked)
	return v, nil
}

// List lists every campaign, newest first.
func (s *Service) List(ctx context.Context, by *vouch.User) ([]*vouch.Campaign, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	return s.db.Campaigns(ctx)
}

func forDrive(ctx context.Context, s *Service, id int64) (*vouch.Campaign, error) {
	c, err := s.db.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Aim != vouch.AimDrive {
		return nil, invalid("campaign_id", "is not a drive: add contacts at candidate accounts instead")
	}
	if c.Closed() {
		return nil, vouch.ErrCampaignClosed(c)
	}
	return c, nil
}

// InviteAdvocate asks reference refID (an existing reference) for an item of
// drive id: the ask lands in the reference's ledger, refused with the
// reason when the fatigue rules hold the reference back.
func (s *Service) InviteAdvocate(ctx context.Context, by *vouch.User, id, refID int64, note string) (*vouch.DriveAdvocate, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	if _, err := forDrive(ctx, s, id); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if len(note) > 5000 {
		return nil, invalid("note", "must be at most 5,000 characters")
	}
	if refID <= 0 {
		return nil, invalid("reference_id", "must name the reference to invite")
	}
	ref, err := s.db.Reference(ctx, refID)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, invalid("reference_id", "is not a known reference")
	} else if err != nil {
		return nil, err
	}
	if ref.Status != vouch.StatusActive {
		return nil, invalid("reference_id", ref.Name+" is not an active reference")
	}
	a := &vouch.DriveAdvocate{CampaignID: id, ReferenceID: refID, InvitedBy: by.ID}
	if note != "" {
		a.Notes = s.db.Today().String() + " Invited: " + note
	}
	if err := s.db.InviteAdvocate(ctx, a); err != nil {
		return nil, err
	}
	return s.db.DriveAdvocate(ctx, a.ID)
}

// ReferenceByEmailOrID finds the reference a form names by email or by id
// ("#12" or "12"); 0 when none.
func (s *Service) ReferenceByEmailOrID(ctx context.Context, text string) (int64, error) {
	text = strings.TrimPrefix(strings.TrimSpace(text), "#")
	if id, err := strconv.ParseInt(text, 10, 64); err == nil {
		return id, nil
	}
	if !strings.Contains(text, "@") {
		return 0, nil
	}
	return s.db.ReferenceIDByEmail(ctx, vouch.NormalizeEmail(text))
}

// MoveAdvocate moves advocate id of a drive, read at version, to state to
// with the evidence (the review's address; required for done) and a note.
func (s *Service) MoveAdvocate(ctx context.Context, by *vouch.User, id int64, version int, to vouch.AdvocateState, evidence, note string) (*vouch.DriveAdvocate, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	evidence, note = strings.TrimSpace(evidence), strings.TrimSpace(note)
	if len(note) > 5000 {
		return nil, invalid("note", "must be at most 5,000 characters")
	}
	a, err := s.db.DriveAdvocate(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Version != version {
		return nil, vouch.StaleVersion("drive advocate")
	}
	if _, err := s.open(ctx, a.CampaignID); err != nil {
		return nil, err
	}
	if err := vouch.CheckAdvocateMove(a.State, to, evidence); err != nil {
		return nil, err
	}
	line := s.db.Today().String() + " " + to.Label()
	if note != "" {
		line += ": " + note
	}
	if a.Notes != "" {
		a.Notes += "\n"
	}
	a.Notes += line
	a.State = to
	if evidence != "" {
		a.Evidence = evidence
	}
	err = s.db.MoveAdvocate(ctx, a, func(before *vouch.DriveAdvocate) error {
		return vouch.CheckAdvocateMove(before.State, to, a.Evidence)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// accountOf reads an account from the accounts' read model; nil (a test
// that needs no names) knows none.
func accountOf(accts *refindex.Accounts, id int64) *vouch.Account {
	if accts == nil {
		return nil
	}
	return accts.Account(id)
}
