package store

import (
	"fmt"

	"github.com/vouchhq/vouch/internal/vouch"
)

// OpportunitiesByCRMID reads, inside the batch, the opportunities with the
// given CRM ids, in few queries: what an import or a batch of the API
// upserts compares with.
func (b *Batch) OpportunitiesByCRMID(crmIDs []string) (map[string]*vouch.Opportunity, error) {
	out := make(map[string]*vouch.Opportunity, len(crmIDs))
	const per = 500
	for start := 0; start < len(crmIDs); start += per {
		part := crmIDs[start:min(start+per, len(crmIDs))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := b.tx.query(`SELECT `+opportunityColumns+` FROM opportunities WHERE crm_id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			o, err := scanOpportunity(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[o.CRMID] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkOpportunityRefs is validateOpportunityRefs for a batch: the values
// and users from the batch's caches, the accounts from known.
func (tx *Tx) checkOpportunityRefs(o *vouch.Opportunity, known map[int64]bool) error {
	var v vouch.Validation
	for _, c := range []struct {
		field string
		kind  vouch.TaxonomyKind
		id    int64
	}{{"industry", vouch.TaxIndustry, o.IndustryID}, {"region", vouch.TaxRegion, o.RegionID},
		{"product", vouch.TaxProduct, o.ProductID}, {"competitor", vouch.TaxCompetitor, o.CompetitorID},
		{"segment", vouch.TaxSegment, o.SegmentID}, {"country", vouch.TaxCountry, o.CountryID}, {"company_size", vouch.TaxCompanySize, o.SizeID}} {
		if err := tx.checkValue(&v, c.field, c.kind, c.id); err != nil {
			return err
		}
	}
	if err := tx.checkUser(&v, "owner", o.OwnerID); err != nil {
		return err
	}
	if o.AccountID != 0 && !known[o.AccountID] {
		v.Add("account_id", "is no account")
	}
	return v.Err()
}

func (tx *Tx) opportunityAccounts(opps []*vouch.Opportunity) (map[int64]bool, error) {
	ids := map[int64]bool{}
	for _, o := range opps {
		if o.AccountID != 0 {
			ids[o.AccountID] = true
		}
	}
	return tx.existingAccounts(ids)
}

// CreateOpportunities adds many opportunities the caller validated
// (deals.Service), in few statements, each checked against the database
// and audited as CreateOpportunity does.
func (b *Batch) CreateOpportunities(opps []*vouch.Opportunity) error {
	if len(opps) == 0 {
		return nil
	}
	tx := b.tx
	known, err := tx.opportunityAccounts(opps)
	if err != nil {
		return err
	}
	for _, o := range opps {
		if err := tx.checkOpportunityRefs(o, known); err != nil {
			return fmt.Errorf("opportunity %q: %w", o.CRMID, err)
		}
	}
	ids, err := tx.reserveIDs("opportunities", len(opps))
	if err != nil {
		return err
	}
	const width = 21
	rows := make([]any, 0, len(opps)*width)
	audits := make([]auditRow, 0, len(opps))
	for i, o := range opps {
		o.ID, o.Version, o.CreatedAt, o.UpdatedAt = ids[i], 1, tx.now, tx.now
		rows = append(rows, o.ID, o.Name, o.Prospect, o.AmountCents, o.Currency, o.Stage, o.CloseDate.String(), string(o.Status),
			nullID(o.OwnerID), nullID(o.IndustryID), nullID(o.RegionID), nullID(o.ProductID), nullID(o.CompetitorID),
			nullString(o.CRMID), nullID(o.AccountID), nullID(o.SegmentID), nullID(o.CountryID), nullID(o.SizeID),
			o.CreatedOn.String(), tx.now, tx.now)
		audits = append(audits, auditRow{"create", "opportunity", o.ID, opportunityChanges(&vouch.Opportunity{}, o)})
	}
	err = b.insertMany(`INSERT INTO opportunities (id, name, prospect, amount, currency, stage, close_date, status, owner_id,
		industry_id, region_id, product_id, competitor_id, crm_id, account_id, segment_id, country_id, size_id, created_on,
		created_at, updated_at) VALUES `, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", width, rows)
	if isUnique(err) {
		return crmConflict("opportunity")
	} else if err != nil {
		return err
	}
	return b.auditMany(audits)
}

// UpdateOpportunities saves many opportunities, each read at its Version
// and validated by the caller, with one prepared statement; one the caller
// did not change is not written nor audited.
func (b *Batch) UpdateOpportunities(opps []*vouch.Opportunity, before map[int64]*vouch.Opportunity) error {
	if len(opps) == 0 {
		return nil
	}
	tx := b.tx
	known, err := tx.opportunityAccounts(opps)
	if err != nil {
		return err
	}
	var audits []auditRow
	for _, o := range opps {
		prev := before[o.ID]
		if prev == nil {
			return notFound("Opportunity", o.ID)
		}
		if err := tx.checkOpportunityRefs(o, known); err != nil {
			return fmt.Errorf("opportunity %q: %w", o.CRMID, err)
		}
		changes := opportunityChanges(prev, o)
		if len(changes) == 0 {
			continue
		}
		stmt, err := b.prepare(`UPDATE opportunities SET name = ?, prospect = ?, amount = ?, currency = ?, stage = ?, close_date = ?,
			status = ?, owner_id = ?, industry_id = ?, region_id = ?, product_id = ?, competitor_id = ?, crm_id = ?,
			account_id = ?, segment_id = ?, country_id = ?, size_id = ?, created_on = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`)
		if err != nil {
			return err
		}
		res, err := stmt.ExecContext(tx.ctx, o.Name, o.Prospect, o.AmountCents, o.Currency, o.Stage, o.CloseDate.String(),
			string(o.Status), nullID(o.OwnerID), nullID(o.IndustryID), nullID(o.RegionID), nullID(o.ProductID),
			nullID(o.CompetitorID), nullString(o.CRMID), nullID(o.AccountID), nullID(o.SegmentID), nullID(o.CountryID),
			nullID(o.SizeID), o.CreatedOn.String(), tx.now, o.ID, prev.Version)
		if isUnique(err) {
			return crmConflict("opportunity")
		} else if err != nil {
			return err
		}
		if err := savedAt(res, "opportunity", prev.Version); err != nil {
			return err
		}
		o.Version, o.CreatedAt, o.UpdatedAt = prev.Version+1, prev.CreatedAt, tx.now
		audits = append(audits, auditRow{"update", "opportunity", o.ID, changes})
	}
	return b.auditMany(audits)
}
