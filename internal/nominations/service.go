// Package nominations holds the rules about nominations that need data:
// any internal user nominates a customer contact; Vouch lists the likely
// duplicates among accounts, references and open nominations (from the
// duplicate index, Index); the program team qualifies the nomination
// against the program's checklist, then accepts it — creating the reference,
// or re-activating the one it duplicates, through references.Service in the
// same transaction as the nomination's acceptance — or rejects it with a
// reason. The nominator is told either way, in Vouch and by mail. A
// customer may also volunteer through the public form when the program
// turns it on; a volunteer lands as a nomination without a nominator.
//
// Who sees what: the program team (manage_program) sees and decides every
// nomination; anyone else sees only their own, and another's answers 404.
package nominations

import (
	"context"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Settings kept in the database.
const (
	// SettingChecklist is the qualification checklist, one item per line;
	// unset, vouch.DefaultChecklist.
	SettingChecklist = "nomination_checklist"
	// SettingVolunteerForm turns the public volunteer form on ("on"); off
	// by default.
	SettingVolunteerForm = "nomination_volunteer_form"
)

// Service records and decides nominations.
type Service struct {
	db      *store.DB
	refs    *references.Service
	ix      *Index
	baseURL string
}

// New returns the service over db, saving references through refs and
// finding duplicates in ix (which the caller keeps current on the feed).
func New(db *store.DB, refs *references.Service, ix *Index) *Service {
	return &Service{db: db, refs: refs, ix: ix}
}

// SetBaseURL sets where links in mails point.
func (s *Service) SetBaseURL(u string) { s.baseURL = strings.TrimSuffix(u, "/") }

// URL is the absolute address of nomination id's page.
func (s *Service) URL(id int64) string { return fmt.Sprintf("%s/nominations/%d", s.baseURL, id) }

func normID(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// View is a nomination as its page shows it.
type View struct {
	Nomination *vouch.Nomination
	Duplicates []vouch.Duplicate
	Checklist  []vouch.CheckItem
	Nominator  string // the nominator's name; "" for a volunteer
	DecidedBy  string
	// Campaign is the name of the recruiting campaign that made the
	// nomination; "" for any other.
	Campaign  string
	CanDecide bool // the viewer may qualify, accept and reject
}

var (
	errTeamOnly = vouch.Errorf(vouch.EFORBIDDEN, "Only the program team qualifies, accepts and rejects nominations.")
)

// Checklist is the program's qualification checklist.
func (s *Service) Checklist(ctx context.Context) ([]vouch.CheckItem, error) {
	text, err := s.db.Setting(ctx, SettingChecklist, "")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return vouch.DefaultChecklist, nil
	}
	items, err := vouch.ParseChecklist(text)
	if err != nil || len(items) == 0 {
		return vouch.DefaultChecklist, nil // a damaged setting never stops qualifying
	}
	return items, nil
}

// SetChecklist saves the checklist written one item per line; empty, the
// default comes back.
func (s *Service) SetChecklist(ctx context.Context, by *vouch.User, text string) ([]vouch.CheckItem, error) {
	if !by.Can(vouch.PermManageProgram) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team sets the checklist.")
	}
	items, err := vouch.ParseChecklist(text)
	if err != nil {
		return nil, err
	}
	if err := s.db.SetSetting(ctx, SettingChecklist, vouch.ChecklistText(items)); err != nil {
		return nil, err
	}
	return s.Checklist(ctx)
}

// VolunteerFormOn reports whether the public volunteer form is turned on.
func (s *Service) VolunteerFormOn(ctx context.Context) (bool, error) {
	v, err := s.db.Setting(ctx, SettingVolunteerForm, "")
	return v == "on", err
}

// SetVolunteerForm turns the public volunteer form on or off.
func (s *Service) SetVolunteerForm(ctx context.Context, by *vouch.User, on bool) error {
	if !by.Can(vouch.PermManageProgram) {
		return vouch.Errorf(vouch.EFORBIDDEN, "Only the program team turns the volunteer form on or off.")
	}
	v := ""
	if on {
		v = "on"
	}
	return s.db.SetSetting(ctx, SettingVolunteerForm, v)
}

// Duplicates lists the likely duplicates of what is known of a nomination
// so far (the form as it is filled in).
func (s *Service) Duplicates(p vouch.DuplicateProbe) []vouch.Duplicate {
	return s.ix.Find(p, 0)
}

func probeOf(n *vouch.Nomination) vouch.DuplicateProbe {
	return vouch.DuplicateProbe{AccountID: n.AccountID, AccountName: n.AccountName, Name: n.Name, Email: n.Email, CRMID: n.CRMID}
}

// Submit records a nomination by user by and returns it with its likely
// duplicates. The duplicates are a warning, never a refusal: the team
// decides on the nomination page.
func (s *Service) Submit(ctx context.Context, by *vouch.User, n vouch.Nomination) (*vouch.Nomination, []vouch.Duplicate, error) {
	if !by.Can(vouch.PermNominate) {
		return nil, nil, vouch.Errorf(vouch.EFORBIDDEN, "Your role cannot nominate references.")
	}
	n.Source, n.NominatorID = vouch.NominationByUser, by.ID
	return s.submit(ctx, n, nil)
}

// SubmitThen is Submit with then run in the nomination's transaction, as
// Accept runs in the reference service's: a recruiting campaign moves its
// contact to nominated there, so either both are saved or neither.
func (s *Service) SubmitThen(ctx context.Context, by *vouch.User, n vouch.Nomination, then func(b *store.Batch, n *vouch.Nomination) error) (*vouch.Nomination, []vouch.Duplicate, error) {
	if !by.Can(vouch.PermNominate) {
		return nil, nil, vouch.Errorf(vouch.EFORBIDDEN, "Your role cannot nominate references.")
	}
	n.Source, n.NominatorID = vouch.NominationByUser, by.ID
	return s.submit(ctx, n, then)
}

// Volunteer records a customer offering themself through the public form,
// refused when the form is off.
func (s *Service) Volunteer(ctx context.Context, n vouch.Nomination) (*vouch.Nomination, error) {
	on, err := s.VolunteerFormOn(ctx)
	if err != nil {
		return nil, err
	}
	if !on {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Not found.")
	}
	n.AccountID, n.NominatorID, n.Source = 0, 0, vouch.NominationByVolunteer
	out, _, err := s.submit(ctx, n, nil)
	return out, err
}

func (s *Service) submit(ctx context.Context, n vouch.Nomination, then func(b *store.Batch, n *vouch.Nomination) error) (*vouch.Nomination, []vouch.Duplicate, error) {
	n.Normalize()
	var v vouch.Validation
	if err := n.Validate(); err != nil {
		for f, reason := range vouch.ErrorFields(err) {
			v.Add(f, reason)
		}
	}
	if n.AccountID != 0 {
		a, err := s.db.Account(ctx, n.AccountID)
		switch {
		case vouch.ErrorCode(err) == vouch.ENOTFOUND:
			v.Add("account_id", "is not a known account")
		case err != nil:
			return nil, nil, err
		default:
			n.AccountName = a.Name
		}
	}
	for _, a := range n.Activities {
		if s.refs.Lookup(vouch.TaxActivityType, a) == 0 {
			v.Add("activities", s.refs.UnknownValue(vouch.TaxActivityType, a))
		}
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	if then == nil {
		if err := s.db.CreateNomination(ctx, &n, vouch.Outgoing{}); err != nil {
			return nil, nil, err
		}
	} else if err := s.db.Batch(ctx, func(b *store.Batch) error {
		if err := b.CreateNomination(&n, vouch.Outgoing{}); err != nil {
			return err
		}
		return then(b, &n)
	}); err != nil {
		return nil, nil, err
	}
	return &n, s.ix.Find(probeOf(&n), n.ID), nil
}

// Get reads nomination id for user by with its duplicates and checklist;
// a nomination by someone else answers 404 to anyone but the team.
func (s *Service) Get(ctx context.Context, by *vouch.User, id int64) (*View, error) {
	n, err := s.db.Nomination(ctx, id)
	if err != nil {
		return nil, err
	}
	team := by.Can(vouch.PermManageProgram)
	if !team && n.NominatorID != by.ID {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Nomination %d not found.", id)
	}
	checklist, err := s.Checklist(ctx)
	if err != nil {
		return nil, err
	}
	v := &View{Nomination: n, Checklist: checklist, CanDecide: team && n.State.Waiting()}
	if n.State.Waiting() {
		v.Duplicates = s.ix.Find(probeOf(n), n.ID)
	}
	v.Nominator = s.userName(ctx, n.NominatorID)
	v.DecidedBy = s.userName(ctx, n.DecidedBy)
	if n.CampaignID != 0 {
		c, err := s.db.Campaign(ctx, n.CampaignID)
		if err != nil && vouch.ErrorCode(err) != vouch.ENOTFOUND {
			return nil, err
		}
		if c != nil {
			v.Campaign = c.Name
		}
	}
	return v, nil
}

func (s *Service) userName(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	u, err := s.db.User(ctx, id)
	if err != nil {
		return ""
	}
	return u.Name
}

// List lists the nominations in states (all when none) that user by may
// see, oldest first: the team sees all, anyone else their own.
func (s *Service) List(ctx context.Context, by *vouch.User, states []vouch.NominationState) ([]*vouch.Nomination, error) {
	return s.ListOf(ctx, by, store.NominationFilter{States: states})
}

// ListOf lists the nominations f selects that user by may see, oldest
// first (ReferenceID: the nominations a reference was recruited from).
func (s *Service) ListOf(ctx context.Context, by *vouch.User, f store.NominationFilter) ([]*vouch.Nomination, error) {
	f.NominatorID = 0
	if !by.Can(vouch.PermManageProgram) {
		f.NominatorID = by.ID
	}
	return s.db.Nominations(ctx, f)
}

// Qualify ticks the checklist items of nomination id, read at version; it
// is qualified once every item is ticked (vouch.CheckQualify).
func (s *Service) Qualify(ctx context.Context, by *vouch.User, id int64, version int, ticked []string) (*vouch.Nomination, error) {
	if !by.Can(vouch.PermManageProgram) {
		return nil, errTeamOnly
	}
	checklist, err := s.Checklist(ctx)
	if err != nil {
		return nil, err
	}
	return s.db.QualifyNomination(ctx, id, version, ticked, func(n *vouch.Nomination) error {
		return vouch.CheckQualify(n.State, checklist, ticked)
	})
}

// Accepted is an accepted nomination with its reference.
type Accepted struct {
	Nomination  *vouch.Nomination
	Reference   *vouch.Reference
	Reactivated bool // an existing reference was brought back rather than a new one created
}

// Accept accepts qualified nomination id, read at version: with
// referenceID 0 it creates the reference (and the account when none has
// the nomination's name), otherwise it re-activates reference referenceID,
// the one the nomination duplicates. Either way the reference service
// saves the reference, the nomination records it and who recruited it, and
// the nominator is told, all in one transaction.
func (s *Service) Accept(ctx context.Context, by *vouch.User, id int64, version int, referenceID int64) (*Accepted, error) {
	if !by.Can(vouch.PermManageProgram) {
		return nil, errTeamOnly
	}
	n, err := s.db.Nomination(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := vouch.CheckAccept(n.State); err != nil {
		return nil, err
	}
	check := func(cur *vouch.Nomination) error { return vouch.CheckAccept(cur.State) }
	res := &Accepted{}
	accept := func(b *store.Batch, ref *vouch.Reference) error {
		out := s.tell(ctx, n, fmt.Sprintf("Your nomination of %s at %s was accepted: they are now an active reference.", n.Name, n.AccountName),
			"Your nomination was accepted: "+n.Name)
		saved, err := b.AcceptNomination(id, version, ref.ID, by.ID, check, out)
		res.Nomination = saved
		return err
	}
	if referenceID != 0 {
		ref, err := s.refs.Reactivate(ctx, referenceID, fmt.Sprintf("Re-activated from nomination %d", id), accept)
		if err != nil {
			if vouch.ErrorCode(err) == vouch.ENOTFOUND && res.Nomination == nil {
				return nil, &vouch.Error{Code: vouch.EINVALID, Message: "That reference does not exist.",
					Fields: map[string]string{"reference_id": "is not a known reference"}}
			}
			return nil, err
		}
		res.Reference, res.Reactivated = ref, true
		return res, nil
	}
	// A reference with the nominated email is this person: it is re-activated, not made twice.
	if n.Email != "" {
		known, err := s.db.ReferenceIDByEmail(ctx, n.Email)
		if err != nil {
			return nil, err
		}
		if known != 0 {
			return nil, &vouch.Error{Code: vouch.EINVALID,
				Message: fmt.Sprintf("Reference %d already has the email %s: accept by re-activating it instead.", known, n.Email),
				Fields:  map[string]string{"reference_id": fmt.Sprintf("must be %d, the reference with this email", known)}}
		}
	}
	in := vouch.ReferenceInput{Name: &n.Name, Status: ptr(string(vouch.StatusActive)), OwnerID: &by.ID}
	if n.AccountID != 0 {
		in.AccountID = &n.AccountID
	} else {
		in.Account, in.CreateAccount = &n.AccountName, true
	}
	if n.Email != "" {
		in.Email = &n.Email
	}
	if n.Title != "" {
		in.Title = &n.Title
	}
	saved, err := s.refs.CreateReferenceThen(ctx, in, accept)
	if err != nil {
		return nil, err
	}
	res.Reference = saved.Reference
	return res, nil
}

func ptr[T any](v T) *T { return &v }

// Reject closes waiting nomination id, read at version, with reason; the
// nominator is told why.
func (s *Service) Reject(ctx context.Context, by *vouch.User, id int64, version int, reason string) (*vouch.Nomination, error) {
	if !by.Can(vouch.PermManageProgram) {
		return nil, errTeamOnly
	}
	reason = strings.TrimSpace(reason)
	n, err := s.db.Nomination(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := vouch.CheckReject(n.State, reason); err != nil {
		return nil, err
	}
	out := s.tell(ctx, n, fmt.Sprintf("Your nomination of %s at %s was not accepted: %s", n.Name, n.AccountName, reason),
		"Your nomination was not accepted: "+n.Name)
	return s.db.RejectNomination(ctx, id, version, reason, by.ID, func(cur *vouch.Nomination) error {
		return vouch.CheckReject(cur.State, reason)
	}, out)
}

// tell is the notification and mail that tell n's nominator body; a
// volunteer has no nominator and is told nothing here.
func (s *Service) tell(ctx context.Context, n *vouch.Nomination, body, subject string) vouch.Outgoing {
	var out vouch.Outgoing
	if n.NominatorID == 0 {
		return out
	}
	link := fmt.Sprintf("/nominations/%d", n.ID)
	out.Notifications = append(out.Notifications, vouch.Notification{UserID: n.NominatorID, Body: body, Link: link})
	if u, err := s.db.User(ctx, n.NominatorID); err == nil && u.Email != "" {
		out.Mails = append(out.Mails, vouch.Mail{To: u.Email, Subject: subject, Body: body + "\n\n" + s.URL(n.ID) + "\n"})
	}
	return out
}
