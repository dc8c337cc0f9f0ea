package references

import (
	"context"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// applyAccount sets the fields of a that in gives, resolving names, and
// adds every problem to v; a is the account as saved (empty for a new one).
func (s *Service) applyAccount(ctx context.Context, in *vouch.AccountInput, a *vouch.Account, v *vouch.Validation) error {
	for f, reason := range in.Unreadable {
		v.Add(f, reason)
	}
	for _, f := range []struct {
		in *string
		to *string
	}{{in.Name, &a.Name}, {in.Domain, &a.Domain}, {in.CRMID, &a.CRMID}, {in.CSM, &a.CSM},
		{in.Health, &a.Health}, {in.Notes, &a.Notes}} {
		if f.in != nil {
			*f.to = *f.in
		}
	}
	for _, p := range vouch.AccountPicklists {
		name, ok := in.Values[p.Field]
		if !ok {
			continue
		}
		to := a.PicklistID(p.Field)
		id, problem := s.Value(p.Kind, name, []int64{*to})
		if problem != "" {
			v.Add(p.Field, problem)
			continue
		}
		*to = id
	}
	if in.Products != nil {
		a.ProductIDs = s.values(v, "products", vouch.TaxProduct, *in.Products, a.ProductIDs)
	}
	if id, ok, err := s.owner(ctx, v, in.OwnerID, in.OwnerEmail); err != nil {
		return err
	} else if ok {
		a.OwnerID = id
	}
	if in.NPS != nil {
		a.NPS = *in.NPS
	}
	if in.CustomerSince != nil {
		a.CustomerSince = date(v, "customer_since", *in.CustomerSince)
	}
	if in.RenewalDate != nil {
		a.RenewalDate = date(v, "renewal_date", *in.RenewalDate)
	}
	applyARR(in, a, v)
	return v.Merge(a.Validate())
}

// CreateAccount adds an account. Every problem is reported at once.
func (s *Service) CreateAccount(ctx context.Context, in vouch.AccountInput) (*vouch.Account, error) {
	var v vouch.Validation
	if in.Version != nil {
		v.Add("version", "is given by the server; leave it out when creating")
	}
	a := &vouch.Account{ProductIDs: []int64{}}
	if err := s.applyAccount(ctx, &in, a, &v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.CreateAccount(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAccount saves the fields in gives on account id. The version read is
// required: if someone saved since, nothing is written and the error is an
// ECONFLICT naming version.
func (s *Service) UpdateAccount(ctx context.Context, id int64, in vouch.AccountInput) (*vouch.Account, error) {
	a, err := s.db.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	var v vouch.Validation
	if in.Version == nil || *in.Version <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	if err := s.applyAccount(ctx, &in, a, &v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	a.Version = *in.Version
	if err := s.db.UpdateAccount(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteAccount removes an account that has no references.
func (s *Service) DeleteAccount(ctx context.Context, id int64) error {
	return s.db.DeleteAccount(ctx, id)
}

// applyARR sets the account's ARR from the amount and currency in gives.
func applyARR(in *vouch.AccountInput, a *vouch.Account, v *vouch.Validation) {
	if in.ARR == nil {
		if in.ARRCurrency != nil {
			a.ARRCurrency = *in.ARRCurrency
		}
		return
	}
	given := ""
	if in.ARRCurrency != nil {
		given = *in.ARRCurrency
	}
	cents, currency, field, problem := vouch.ReadARR(*in.ARR, given)
	if problem != "" {
		v.Add(field, problem)
		return
	}
	if currency == "" && strings.TrimSpace(*in.ARR) != "" {
		currency = a.ARRCurrency // a new figure in the currency it had
	}
	a.ARRCents, a.ARRCurrency = cents, currency
}
