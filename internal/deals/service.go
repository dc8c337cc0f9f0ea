package deals

import (
	"context"
	"errors"
	"fmt"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Service writes opportunities.
type Service struct{ db *store.DB }

// New returns the service over db.
func New(db *store.DB) *Service { return &Service{db: db} }

// Prepare gives a deal the status its stage decides (vouch.ProgramSettings
// .DealStatus): at one of the program's won or lost stages that status,
// whatever the deal carried, except that a status contradicting the stage is
// refused, naming the field "status"; at any other stage the status given,
// open when none is. Every write of a deal starts with it, the one a seller
// creates with a request too, so the status stored is the one the metrics
// engine counts.
func (s *Service) Prepare(ctx context.Context, o *vouch.Opportunity) error {
	settings, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return err
	}
	st, problem := settings.DealStatus(o.Stage, o.Status)
	if problem != "" {
		return &vouch.Error{Code: vouch.EINVALID, Message: "The status contradicts the stage.", Fields: map[string]string{"status": problem}}
	}
	o.Status = st
	return nil
}

// rules are what every write of one opportunity checks: the status its
// stage decides (Prepare), then vouch.Opportunity.Validate.
func (s *Service) rules(ctx context.Context, o *vouch.Opportunity) error {
	if err := s.Prepare(ctx, o); err != nil {
		return err
	}
	return o.Validate()
}

// Create adds a deal (a seller's, or one a CRM sync sends).
func (s *Service) Create(ctx context.Context, o *vouch.Opportunity) error {
	if err := s.rules(ctx, o); err != nil {
		return err
	}
	return s.db.CreateOpportunity(ctx, o)
}

// Update saves a deal read at o.Version; unchanged, it is not written.
func (s *Service) Update(ctx context.Context, o *vouch.Opportunity) error {
	if err := s.rules(ctx, o); err != nil {
		return err
	}
	return s.db.UpdateOpportunity(ctx, o)
}

// Upsert creates the deal, or replaces the one with its CRM id; created
// says which. One that would not change is not written.
func (s *Service) Upsert(ctx context.Context, o *vouch.Opportunity) (created bool, err error) {
	if err := s.rules(ctx, o); err != nil {
		return false, err
	}
	created, err = s.db.UpsertOpportunity(ctx, o)
	if vouch.ErrorCode(err) == vouch.ECONFLICT && vouch.ErrorFields(err)["crm_id"] != "" {
		// Another sync created this CRM id between the look and the insert:
		// once more, it is found and updated.
		created, err = s.db.UpsertOpportunity(ctx, o)
	}
	return created, err
}

// Outcome is what an input does.
type Outcome int

// What an input does to the stored opportunities.
const (
	Rejected  Outcome = iota // it has problems
	Created                  // a new opportunity
	Updated                  // a stored one changes
	Unchanged                // a stored one already is so
	Repeated                 // an earlier input of the plan gives the same opportunity
)

// Plan works out what upserting many inputs does, as one all-or-nothing
// batch, and writes it (Write). It reads nothing but what it is given, so a
// dry run and the import decide alike.
type Plan struct {
	c        *checker
	existing map[string]*vouch.Opportunity // by CRM id
	seen     map[string]seenInput
	creates  []*vouch.Opportunity
	updates  []*vouch.Opportunity
	before   map[int64]*vouch.Opportunity
}

type seenInput struct {
	label string
	o     *vouch.Opportunity
}

// NewPlan plans against a snapshot (its accounts, values and users), the
// program's settings and the stored opportunities by CRM id.
func NewPlan(snap *store.Snapshot, settings vouch.ProgramSettings, existing map[string]*vouch.Opportunity, opts Options) *Plan {
	return &Plan{c: newChecker(snap, settings, opts), existing: existing, seen: map[string]seenInput{},
		before: map[int64]*vouch.Opportunity{}}
}

// Add plans one input; label names it in problems about other inputs
// ("row 7", "items[2]").
func (p *Plan) Add(label string, in Input) (Outcome, []Problem) {
	crm := in.Get(FieldCRMID)
	if crm == "" {
		return Rejected, []Problem{{Field: FieldCRMID, Reason: "is empty; every opportunity needs the CRM's opportunity id, so that importing it again updates it"}}
	}
	if len(crm) > 100 {
		return Rejected, []Problem{{Field: FieldCRMID, Value: crm, Reason: "is longer than 100 characters"}}
	}
	stored := p.existing[crm]
	o := &vouch.Opportunity{CRMID: crm}
	if first, ok := p.seen[crm]; ok {
		o = clone(first.o)
	} else if stored != nil {
		o = clone(stored)
	}
	problems := p.c.check(in, o)
	if len(problems) == 0 {
		if err := o.Validate(); err != nil {
			for f, reason := range vouch.ErrorFields(err) {
				problems = append(problems, Problem{Field: Field(f), Reason: reason})
			}
		}
	}
	if len(problems) > 0 {
		return Rejected, problems
	}
	if first, ok := p.seen[crm]; ok {
		if same(first.o, o) {
			return Repeated, nil
		}
		return Rejected, []Problem{{Field: FieldCRMID, Value: crm,
			Reason: fmt.Sprintf("is the same opportunity as %s, with other values; keep one of them", first.label)}}
	}
	p.seen[crm] = seenInput{label, o}
	switch {
	case stored == nil:
		p.creates = append(p.creates, o)
		return Created, nil
	case same(stored, o):
		return Unchanged, nil
	default:
		p.updates = append(p.updates, o)
		p.before[o.ID] = stored
		return Updated, nil
	}
}

// ValuesAdded names the picklist values the plan adds (Options.AddMissing):
// "Industry 'Agritech'".
func (p *Plan) ValuesAdded() []string {
	var out []string
	for _, v := range p.c.values.Added() {
		out = append(out, fmt.Sprintf("%s '%s'", refsheet.KindName(v.Kind), v.Name))
	}
	return out
}

// progressEvery is how many opportunities are written between progress reports.
const progressEvery = 2000

// Write saves the plan inside b: the picklist values it adds, then the
// new and the changed opportunities, in chunks so progress moves.
func (p *Plan) Write(b *store.Batch, progress func(done, total int)) error {
	ids := map[int64]int64{}
	for _, v := range p.c.values.Added() {
		made := &vouch.TaxonomyValue{Kind: v.Kind, Name: v.Name}
		if err := b.CreateTaxonomyValue(made); err != nil {
			return err
		}
		ids[v.ID] = made.ID
	}
	all := append(append([]*vouch.Opportunity{}, p.creates...), p.updates...)
	if len(ids) > 0 {
		for _, o := range all {
			for _, pf := range picklistFields {
				if to := pf.to(o); *to < 0 {
					*to = ids[*to]
				}
			}
		}
	}
	total, done := len(all), 0
	for start := 0; start < len(p.creates); start += progressEvery {
		part := p.creates[start:min(start+progressEvery, len(p.creates))]
		if err := b.CreateOpportunities(part); err != nil {
			return err
		}
		done += len(part)
		if progress != nil {
			progress(done, total)
		}
	}
	for start := 0; start < len(p.updates); start += progressEvery {
		part := p.updates[start:min(start+progressEvery, len(p.updates))]
		if err := b.UpdateOpportunities(part, p.before); err != nil {
			return err
		}
		done += len(part)
		if progress != nil {
			progress(done, total)
		}
	}
	return nil
}

// MaxBatch is the most opportunities one call of UpsertBatch takes.
const MaxBatch = 1000

// ItemProblem is a problem with one input of a batch, by its index.
type ItemProblem struct {
	Item int
	Problem
}

// BatchResult is what UpsertBatch did (or, with problems, would have done):
// each input's outcome and the counts.
type BatchResult struct {
	Outcomes                              []Outcome
	IDs                                   []int64 // each input's opportunity, once written
	Created, Updated, Unchanged, Repeated int
	Problems                              []ItemProblem
}

var errProblems = errors.New("inputs have problems")

// UpsertBatch upserts up to MaxBatch inputs by CRM id in one transaction:
// all of them, or, when any has a problem, none (Problems lists each). The
// same inputs again change nothing.
func (s *Service) UpsertBatch(ctx context.Context, items []Input, opts Options) (*BatchResult, error) {
	if len(items) > MaxBatch {
		return nil, vouch.Errorf(vouch.EINVALID, "A batch holds at most %d opportunities; this one has %d. Send them in several batches.", MaxBatch, len(items))
	}
	settings, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	res := &BatchResult{Outcomes: make([]Outcome, len(items)), IDs: make([]int64, len(items))}
	err = s.db.Batch(ctx, func(b *store.Batch) error {
		snap, err := b.AccountSnapshot()
		if err != nil {
			return err
		}
		var ids []string
		for _, in := range items {
			if id := in.Get(FieldCRMID); id != "" {
				ids = append(ids, id)
			}
		}
		existing, err := b.OpportunitiesByCRMID(ids)
		if err != nil {
			return err
		}
		p := NewPlan(snap, settings, existing, opts)
		for i, in := range items {
			outcome, problems := p.Add(fmt.Sprintf("items[%d]", i), in)
			res.Outcomes[i] = outcome
			for _, pr := range problems {
				res.Problems = append(res.Problems, ItemProblem{i, pr})
			}
			switch outcome {
			case Created:
				res.Created++
			case Updated:
				res.Updated++
			case Unchanged:
				res.Unchanged++
			case Repeated:
				res.Repeated++
			}
		}
		if len(res.Problems) > 0 {
			return errProblems
		}
		if err := p.Write(b, nil); err != nil {
			return err
		}
		for i, in := range items {
			res.IDs[i] = p.seen[in.Get(FieldCRMID)].o.ID
		}
		return nil
	})
	if errors.Is(err, errProblems) {
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

func clone(o *vouch.Opportunity) *vouch.Opportunity {
	c := *o
	return &c
}

// same reports whether two opportunities hold the same fields.
func same(a, b *vouch.Opportunity) bool {
	return a.Name == b.Name && a.Prospect == b.Prospect && a.AccountID == b.AccountID && a.AmountCents == b.AmountCents &&
		a.Currency == b.Currency && a.Stage == b.Stage && a.CloseDate.String() == b.CloseDate.String() && a.Status == b.Status &&
		a.OwnerID == b.OwnerID && a.IndustryID == b.IndustryID && a.RegionID == b.RegionID && a.ProductID == b.ProductID &&
		a.CompetitorID == b.CompetitorID && a.SegmentID == b.SegmentID && a.CountryID == b.CountryID && a.SizeID == b.SizeID &&
		a.CreatedOn.String() == b.CreatedOn.String() && a.CRMID == b.CRMID
}
