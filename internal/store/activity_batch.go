package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// activityCreated is the audit entry of a new activity.
func activityCreated(a *vouch.Activity) []vouch.Change {
	c := []vouch.Change{{Field: "reference_id", After: a.ReferenceID},
		{Field: "activity_type_id", After: a.TypeID}, {Field: "occurred_on", After: a.OccurredOn.String()}}
	if a.OpportunityID != 0 {
		c = append(c, vouch.Change{Field: "opportunity_id", After: a.OpportunityID},
			vouch.Change{Field: "opp_stage", After: a.OppStage}, vouch.Change{Field: "opp_amount_cents", After: a.OppAmountCents})
	}
	if a.Points != 0 {
		c = append(c, vouch.Change{Field: "points", After: a.Points})
	}
	if a.ThankYou != "" {
		c = append(c, vouch.Change{Field: "thank_you", After: a.ThankYou})
	}
	return c
}

// LogActivities records many done activities in few statements, each
// audited as LogActivity does (the import of past reference activity).
// The caller has checked them; each keeps the stage and amount it gives
// (its "stage at request": for history, what the file or the deal says).
func (b *Batch) LogActivities(as []*vouch.Activity) error {
	if len(as) == 0 {
		return nil
	}
	tx := b.tx
	ids, err := tx.reserveIDs("activities", len(as))
	if err != nil {
		return err
	}
	const width = 12
	rows := make([]any, 0, len(as)*width)
	audits := make([]auditRow, 0, len(as))
	refs := map[int64]bool{}
	for i, a := range as {
		a.ID, a.CreatedAt, a.State, a.Notes = ids[i], tx.now, vouch.ActivityDone, strings.TrimSpace(a.Notes)
		var amount any
		if a.OpportunityID != 0 {
			amount = a.OppAmountCents
		}
		rows = append(rows, a.ID, a.ReferenceID, a.TypeID, a.OccurredOn.String(), a.Notes, tx.now, vouch.ActivityDone,
			nullID(a.OpportunityID), a.OppStage, amount, a.Points, a.ThankYou)
		audits = append(audits, auditRow{"create", "activity", a.ID, activityCreated(a)})
		refs[a.ReferenceID] = true
	}
	if err := b.insertMany(`INSERT INTO activities (id, ref_id, type_id, occurred_on, notes, created_at, state, opportunity_id,
		opp_stage, opp_amount, points, thank_you) VALUES `, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", width, rows); err != nil {
		return err
	}
	if err := b.auditMany(audits); err != nil {
		return err
	}
	// The references' capacity changed too: tell read models about it.
	for id := range refs {
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: id})
	}
	return nil
}

// ActivityKey is what tells one logged activity from another for an
// import: the same reference, type, day and opportunity is the same one.
func ActivityKey(refID, typeID int64, on vouch.Date, oppID int64) string {
	return strings.Join([]string{itoa(refID), itoa(typeID), on.String(), itoa(oppID)}, "/")
}

// ActivityKeys returns the key (ActivityKey) of every activity, inside the
// batch, so an import that runs twice logs nothing the second time.
func (b *Batch) ActivityKeys() (map[string]bool, error) {
	return activityKeys(b.tx.query)
}

// ActivityKeys is Batch.ActivityKeys outside a batch (a dry run).
func (db *DB) ActivityKeys(ctx context.Context) (map[string]bool, error) {
	return activityKeys(func(q string, args ...any) (rowsT, error) { return db.query(ctx, q, args...) })
}

// Opportunities returns every opportunity, inside the batch (an import
// matches rows to deals by CRM id or name).
func (b *Batch) Opportunities() ([]*vouch.Opportunity, error) {
	return allOpportunities(b.tx.query)
}

// AllOpportunities is Batch.Opportunities outside a batch (a dry run).
func (db *DB) AllOpportunities(ctx context.Context) ([]*vouch.Opportunity, error) {
	return allOpportunities(func(q string, args ...any) (rowsT, error) { return db.query(ctx, q, args...) })
}

type rowsT = *sql.Rows

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func activityKeys(query func(string, ...any) (rowsT, error)) (map[string]bool, error) {
	rows, err := query(`SELECT ref_id, type_id, occurred_on, COALESCE(opportunity_id, 0) FROM activities`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var ref, typ, opp int64
		var on string
		if err := rows.Scan(&ref, &typ, &on, &opp); err != nil {
			return nil, err
		}
		day, _ := vouch.ParseDate(on)
		out[ActivityKey(ref, typ, day, opp)] = true
	}
	return out, rows.Err()
}

func allOpportunities(query func(string, ...any) (rowsT, error)) ([]*vouch.Opportunity, error) {
	rows, err := query(`SELECT ` + opportunityColumns + ` FROM opportunities ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.Opportunity
	for rows.Next() {
		o, err := scanOpportunity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OpportunitiesAtStages returns the opportunities whose stage is one of
// stages (ignoring case and surrounding spaces) and whose status is not
// status, by id.
func (db *DB) OpportunitiesAtStages(ctx context.Context, stages []string, status vouch.OpportunityStatus) ([]*vouch.Opportunity, error) {
	if len(stages) == 0 {
		return nil, nil
	}
	args := []any{string(status)}
	for _, s := range stages {
		args = append(args, strings.ToLower(strings.TrimSpace(s)))
	}
	rows, err := db.query(ctx, `SELECT `+opportunityColumns+` FROM opportunities WHERE status <> ? AND LOWER(TRIM(stage)) IN (`+
		placeholders(len(stages))+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.Opportunity
	for rows.Next() {
		o, err := scanOpportunity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OpportunityByCRMID reads the opportunity with the CRM's id.
func (db *DB) OpportunityByCRMID(ctx context.Context, crmID string) (*vouch.Opportunity, error) {
	o, err := scanOpportunity(db.queryRow(ctx, `SELECT `+opportunityColumns+` FROM opportunities WHERE crm_id = ?`, crmID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &vouch.Error{Code: vouch.ENOTFOUND, Message: "No opportunity has the CRM id " + crmID + "."}
	}
	return o, err
}
