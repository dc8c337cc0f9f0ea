package campaigns

import (
	"context"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Service runs recruiting campaigns: starts them from a gap, records the
// outreach to each candidate contact and nominates those who agree,
// through the nominations service as every nomination is made.
type Service struct {
	db   *store.DB
	cat  *catalog.Catalog
	noms *nominations.Service
}

// New returns the service.
func New(db *store.DB, cat *catalog.Catalog, noms *nominations.Service) *Service {
	return &Service{db: db, cat: cat, noms: noms}
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

// Start records a campaign for the gap c names; an empty name is made from
// the gap ("Healthcare × Call").
func (s *Service) Start(ctx context.Context, by *vouch.User, c vouch.Campaign) (*vouch.Campaign, error) {
	if err := forbidden(by); err != nil {
		return nil, err
	}
	value, typ := s.cat.Value(c.ValueID), s.cat.Value(c.ActivityTypeID)
	if strings.TrimSpace(c.Name) == "" && value != nil && typ != nil {
		c.Name = "Recruit for " + value.Name + " × " + typ.Name
	}
	var v vouch.Validation
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
	if _, err := s.db.Campaign(ctx, c.CampaignID); err != nil {
		return nil, err
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
	if to == vouch.OutreachNominated {
		camp, err := s.db.Campaign(ctx, c.CampaignID)
		if err != nil {
			return nil, err
		}
		reason := fmt.Sprintf("Recruiting campaign “%s”.", camp.Name)
		if note != "" {
			reason += " " + note
		}
		n := vouch.Nomination{AccountID: c.AccountID, Name: c.Name, Email: c.Email, Reason: reason}
		if t := s.cat.Value(camp.ActivityTypeID); t != nil {
			n.Activities = []string{t.Name}
		}
		made, _, err := s.noms.Submit(ctx, by, n)
		if err != nil {
			return nil, err
		}
		c.NominationID = made.ID
	}
	c.State = to
	if err := s.db.MoveCampaignContact(ctx, c); err != nil {
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
	for _, c := range contacts {
		f.ByState[c.State]++
		if c.NominationID == 0 {
			continue
		}
		f.Nominated++
		n, err := s.db.Nomination(ctx, c.NominationID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			continue
		} else if err != nil {
			return f, err
		}
		if n.State == vouch.NominationAccepted {
			f.Recruited++
		}
	}
	if f.Contacts > 0 {
		f.Conversion = f.Recruited * 100 / f.Contacts
	}
	return f, nil
}

// invalid is a validation error of one field.
func invalid(field, reason string) error {
	var v vouch.Validation
	v.Add(field, reason)
	return v.Err()
}
