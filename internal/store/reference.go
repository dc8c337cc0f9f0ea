package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

const refColumns = `id, account_id, name, title, seniority, COALESCE(email, ''), phone, time_zone, languages, deployment,
	go_live, story, COALESCE(owner_id, 0), last_verified, status, status_reason, resting_until, capacity_override,
	COALESCE(crm_id, ''), version, created_at, updated_at`

func scanReference(row interface{ Scan(...any) error }) (*vouch.Reference, error) {
	r := &vouch.Reference{}
	var langs, goLive, verified, status, resting string
	var capacity sql.NullInt64
	if err := row.Scan(&r.ID, &r.AccountID, &r.Name, &r.Title, &r.Seniority, &r.Email, &r.Phone, &r.TimeZone, &langs,
		&r.Deployment, &goLive, &r.Story, &r.OwnerID, &verified, &status, &r.StatusReason, &resting, &capacity,
		&r.CRMID, &r.Version, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.Languages = splitLanguages(langs)
	r.GoLive, _ = vouch.ParseDate(goLive)
	r.LastVerified, _ = vouch.ParseDate(verified)
	r.RestingUntil, _ = vouch.ParseDate(resting)
	r.Status = vouch.Status(status)
	if capacity.Valid {
		n := int(capacity.Int64)
		r.CapacityOverride = &n
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.ProductIDs, r.UseCaseIDs, r.CompetitorIDs, r.Activities = []int64{}, []int64{}, []int64{}, []vouch.AgreedActivity{}
	return r, nil
}

func splitLanguages(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, ";") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// addValue puts one ref_values row into r.
func addValue(r *vouch.Reference, kind string, id int64, consented string) {
	switch vouch.TaxonomyKind(kind) {
	case vouch.TaxProduct:
		r.ProductIDs = append(r.ProductIDs, id)
	case vouch.TaxUseCase:
		r.UseCaseIDs = append(r.UseCaseIDs, id)
	case vouch.TaxCompetitor:
		r.CompetitorIDs = append(r.CompetitorIDs, id)
	case vouch.TaxActivityType:
		d, _ := vouch.ParseDate(consented)
		r.Activities = append(r.Activities, vouch.AgreedActivity{TypeID: id, ConsentedOn: d})
	}
}

// validateReferenceRefs checks that what r points to exists: its account,
// picklist values and owner (the bulk path looks the accounts up in advance).
func (tx *Tx) validateReferenceRefs(r *vouch.Reference) error {
	known, err := tx.existingAccounts(map[int64]bool{r.AccountID: true})
	if err != nil {
		return err
	}
	return tx.checkReferenceRefs(r, known)
}

func (tx *Tx) setReferenceValues(r *vouch.Reference) error {
	if _, err := tx.exec(`DELETE FROM ref_values WHERE ref_id = ?`, r.ID); err != nil {
		return err
	}
	ins := func(kind vouch.TaxonomyKind, id int64, consented string) error {
		_, err := tx.exec(`INSERT INTO ref_values (ref_id, kind, value_id, consented_on) VALUES (?, ?, ?, ?)
			ON CONFLICT (ref_id, kind, value_id) DO NOTHING`, r.ID, string(kind), id, consented)
		return err
	}
	for _, c := range []struct {
		kind vouch.TaxonomyKind
		ids  []int64
	}{{vouch.TaxProduct, r.ProductIDs}, {vouch.TaxUseCase, r.UseCaseIDs}, {vouch.TaxCompetitor, r.CompetitorIDs}} {
		for _, id := range c.ids {
			if err := ins(c.kind, id, ""); err != nil {
				return err
			}
		}
	}
	for _, a := range r.Activities {
		if err := ins(vouch.TaxActivityType, a.TypeID, a.ConsentedOn.String()); err != nil {
			return err
		}
	}
	return nil
}

func referenceConflict(err error) error {
	if !isUnique(err) {
		return err
	}
	if strings.Contains(err.Error(), "email") {
		return vouch.DuplicateReferenceEmail()
	}
	return crmConflict("reference")
}

// CreateReference stores a new reference, validated by the caller (see
// Batch.CreateReference), and the first entry of its status history.
func (db *DB) CreateReference(ctx context.Context, r *vouch.Reference) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createReference(r) })
}

func (tx *Tx) createReference(r *vouch.Reference) error {
	r.Normalize()
	if err := tx.validateReferenceRefs(r); err != nil {
		return err
	}
	if r.Status == vouch.StatusResting && r.RestingUntil.IsZero() {
		return &vouch.Error{Code: vouch.EINVALID, Message: "A resting reference needs the day it is active again.",
			Fields: map[string]string{"resting_until": "is required for a resting reference"}}
	}
	id, err := tx.insert(`INSERT INTO refs (account_id, name, title, seniority, email, phone, time_zone, languages, deployment,
		go_live, story, owner_id, last_verified, status, status_reason, resting_until, capacity_override, crm_id, version,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		r.AccountID, r.Name, r.Title, r.Seniority, nullString(r.Email), r.Phone, r.TimeZone, strings.Join(r.Languages, "; "),
		r.Deployment, r.GoLive.String(), r.Story, nullID(r.OwnerID), r.LastVerified.String(), string(r.Status),
		r.StatusReason, r.RestingUntil.String(), nullInt(r.CapacityOverride), nullString(r.CRMID), tx.now, tx.now)
	if err != nil {
		return referenceConflict(err)
	}
	r.ID, r.Version, r.CreatedAt, r.UpdatedAt = id, 1, tx.now, tx.now
	if err := tx.setReferenceValues(r); err != nil {
		return err
	}
	if err := tx.statusEvent(id, "", vouch.StatusChange{To: r.Status, Reason: r.StatusReason, Until: r.RestingUntil}); err != nil {
		return err
	}
	return tx.audit("create", "reference", id, referenceChanges(&vouch.Reference{}, r))
}

func (tx *Tx) statusEvent(refID int64, from vouch.Status, c vouch.StatusChange) error {
	_, err := tx.exec(`INSERT INTO ref_status_events (ref_id, from_status, to_status, reason, until, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		refID, string(from), string(c.To), c.Reason, c.Until.String(), vouch.ActorFrom(tx.ctx).Label, tx.now)
	return err
}

func referenceChanges(b, a *vouch.Reference) []vouch.Change {
	var c []vouch.Change
	c = vouch.Diff(c, "account_id", b.AccountID, a.AccountID)
	c = vouch.Diff(c, "name", b.Name, a.Name)
	c = vouch.Diff(c, "title", b.Title, a.Title)
	c = vouch.Diff(c, "seniority", b.Seniority, a.Seniority)
	c = vouch.Diff(c, "email", b.Email, a.Email)
	c = vouch.Diff(c, "phone", b.Phone, a.Phone)
	c = vouch.Diff(c, "time_zone", b.TimeZone, a.TimeZone)
	c = vouch.Diff(c, "languages", strings.Join(b.Languages, "; "), strings.Join(a.Languages, "; "))
	c = vouch.Diff(c, "product_ids", sortedIDs(b.ProductIDs), sortedIDs(a.ProductIDs))
	c = vouch.Diff(c, "use_case_ids", sortedIDs(b.UseCaseIDs), sortedIDs(a.UseCaseIDs))
	c = vouch.Diff(c, "competitor_ids", sortedIDs(b.CompetitorIDs), sortedIDs(a.CompetitorIDs))
	c = vouch.Diff(c, "activities", activitiesString(b.Activities), activitiesString(a.Activities))
	c = vouch.Diff(c, "deployment", b.Deployment, a.Deployment)
	c = vouch.Diff(c, "go_live", b.GoLive.String(), a.GoLive.String())
	c = vouch.Diff(c, "story", b.Story, a.Story)
	c = vouch.Diff(c, "owner_id", b.OwnerID, a.OwnerID)
	c = vouch.Diff(c, "last_verified", b.LastVerified.String(), a.LastVerified.String())
	c = vouch.Diff(c, "status", string(b.Status), string(a.Status))
	c = vouch.Diff(c, "status_reason", b.StatusReason, a.StatusReason)
	c = vouch.Diff(c, "resting_until", b.RestingUntil.String(), a.RestingUntil.String())
	c = vouch.Diff(c, "capacity_override", intOrNil(b.CapacityOverride), intOrNil(a.CapacityOverride))
	c = vouch.Diff(c, "crm_id", b.CRMID, a.CRMID)
	return c
}

func activitiesString(as []vouch.AgreedActivity) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = strconv.FormatInt(a.TypeID, 10)
		if !a.ConsentedOn.IsZero() {
			parts[i] += "@" + a.ConsentedOn.String()
		}
	}
	return strings.Join(parts, ", ")
}

// Reference returns the reference with id, with its multi-valued fields.
func (db *DB) Reference(ctx context.Context, id int64) (*vouch.Reference, error) {
	return readReference(id,
		func(q string, args ...any) *sql.Row { return db.queryRow(ctx, q, args...) },
		func(q string, args ...any) (*sql.Rows, error) { return db.query(ctx, q, args...) })
}

func (tx *Tx) reference(id int64) (*vouch.Reference, error) {
	return readReference(id, tx.queryRow, tx.query)
}

// readReference reads one reference with its multi-valued fields, through
// the database's read pool or inside a transaction.
func readReference(id int64, queryRow func(string, ...any) *sql.Row,
	query func(string, ...any) (*sql.Rows, error)) (*vouch.Reference, error) {
	r, err := scanReference(queryRow(`SELECT `+refColumns+` FROM refs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Reference", id)
	} else if err != nil {
		return nil, err
	}
	rows, err := query(`SELECT ref_id, kind, value_id, consented_on FROM ref_values WHERE ref_id = ? ORDER BY kind, value_id`, id)
	if err != nil {
		return nil, err
	}
	return r, addValues(rows, map[int64]*vouch.Reference{id: r})
}

// addValues puts ref_values rows (ref_id, kind, value_id, consented_on) into
// the references they belong to, and closes rows.
func addValues(rows *sql.Rows, refs map[int64]*vouch.Reference) error {
	defer rows.Close()
	for rows.Next() {
		var rid, vid int64
		var kind, consented string
		if err := rows.Scan(&rid, &kind, &vid, &consented); err != nil {
			return err
		}
		if r := refs[rid]; r != nil {
			addValue(r, kind, vid, consented)
		}
	}
	return rows.Err()
}

// UpdateReference saves r's fields, validated by the caller (see
// Batch.CreateReference). r must carry the version it was read at:
// if someone saved in between, nothing is written and a conflict is returned.
// The status is changed only through ChangeStatus, which keeps its history.
func (db *DB) UpdateReference(ctx context.Context, r *vouch.Reference) error {
	return db.update(ctx, func(tx *Tx) error { return tx.updateReference(r) })
}

func (tx *Tx) updateReference(r *vouch.Reference) error {
	before, err := tx.reference(r.ID)
	if err != nil {
		return err
	}
	if r.Version != before.Version {
		return staleVersion("reference", before.Version)
	}
	r.Status, r.StatusReason, r.RestingUntil = before.Status, before.StatusReason, before.RestingUntil
	r.Normalize()
	if err := tx.validateReferenceRefs(r); err != nil {
		return err
	}
	changes := referenceChanges(before, r)
	if len(changes) == 0 {
		*r = *before
		return nil
	}
	res, err := tx.exec(`UPDATE refs SET account_id = ?, name = ?, title = ?, seniority = ?, email = ?, phone = ?, time_zone = ?,
		languages = ?, deployment = ?, go_live = ?, story = ?, owner_id = ?, last_verified = ?, capacity_override = ?, crm_id = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		r.AccountID, r.Name, r.Title, r.Seniority, nullString(r.Email), r.Phone, r.TimeZone, strings.Join(r.Languages, "; "),
		r.Deployment, r.GoLive.String(), r.Story, nullID(r.OwnerID), r.LastVerified.String(), nullInt(r.CapacityOverride),
		nullString(r.CRMID), tx.now, r.ID, before.Version)
	if err != nil {
		return referenceConflict(err)
	}
	if err := savedAt(res, "reference", before.Version); err != nil {
		return err
	}
	if err := tx.setReferenceValues(r); err != nil {
		return err
	}
	r.Version, r.CreatedAt, r.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
	return tx.audit("update", "reference", r.ID, changes)
}

// ChangeStatus moves a reference along its lifecycle, keeping the reason and
// actor in its history. version, when not 0, must match (optimistic concurrency).
func (db *DB) ChangeStatus(ctx context.Context, id int64, version int, c vouch.StatusChange) (*vouch.Reference, error) {
	var out *vouch.Reference
	err := db.update(ctx, func(tx *Tx) error {
		r, err := tx.changeStatus(id, version, c)
		out = r
		return err
	})
	return out, err
}

func (tx *Tx) changeStatus(id int64, version int, c vouch.StatusChange) (*vouch.Reference, error) {
	r, err := tx.reference(id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != r.Version {
		return nil, staleVersion("reference", r.Version)
	}
	c.Reason = strings.TrimSpace(c.Reason)
	today := tx.today()
	from := r.EffectiveStatus(today)
	if err := vouch.CheckTransition(from, c, today); err != nil {
		return nil, err
	}
	if from == c.To && c.To != vouch.StatusResting {
		return r, nil
	}
	until := vouch.Date{}
	if c.To == vouch.StatusResting {
		until = c.Until
	}
	res, err := tx.exec(`UPDATE refs SET status = ?, status_reason = ?, resting_until = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, string(c.To), c.Reason, until.String(), tx.now, id, r.Version)
	if err != nil {
		return nil, err
	}
	if err := savedAt(res, "reference", r.Version); err != nil {
		return nil, err
	}
	if err := tx.statusEvent(id, from, c); err != nil {
		return nil, err
	}
	changes := []vouch.Change{{Field: "status", Before: string(r.Status), After: string(c.To)}}
	changes = vouch.Diff(changes, "status_reason", r.StatusReason, c.Reason)
	changes = vouch.Diff(changes, "resting_until", r.RestingUntil.String(), until.String())
	r.Status, r.StatusReason, r.RestingUntil, r.Version, r.UpdatedAt = c.To, c.Reason, until, r.Version+1, tx.now
	return r, tx.audit("status", "reference", id, changes)
}

// StatusHistory returns a reference's transitions, oldest first.
func (db *DB) StatusHistory(ctx context.Context, id int64) ([]vouch.StatusEvent, error) {
	rows, err := db.query(ctx, `SELECT id, from_status, to_status, reason, until, actor, at FROM ref_status_events
		WHERE ref_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vouch.StatusEvent
	for rows.Next() {
		var e vouch.StatusEvent
		var from, to, until string
		if err := rows.Scan(&e.ID, &from, &to, &e.Reason, &until, &e.Actor, &e.At); err != nil {
			return nil, err
		}
		e.From, e.To = vouch.Status(from), vouch.Status(to)
		e.Until, _ = vouch.ParseDate(until)
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteReference removes a reference with its history and activities.
func (db *DB) DeleteReference(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		r, err := tx.reference(id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM refs WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit("delete", "reference", id, referenceChanges(r, &vouch.Reference{}))
	})
}

// BulkChangeStatus moves each reference that may make the move; the others
// are reported with the reason, and nothing about them changes. References
// already in the status are reported unchanged.
func (db *DB) BulkChangeStatus(ctx context.Context, ids []int64, c vouch.StatusChange) (vouch.BulkResult, error) {
	var res vouch.BulkResult
	err := db.update(ctx, func(tx *Tx) error {
		res = vouch.BulkResult{}
		today := tx.today()
		for _, id := range uniqueIDs(ids) {
			if r, err := tx.reference(id); err == nil && r.EffectiveStatus(today) == c.To && c.To != vouch.StatusResting {
				res.Unchanged = append(res.Unchanged, id)
				continue
			}
			_, err := tx.changeStatus(id, 0, c)
			switch vouch.ErrorCode(err) {
			case "":
				res.Changed = append(res.Changed, id)
			case vouch.EINVALID, vouch.ENOTFOUND:
				if f := vouch.ErrorFields(err); f["reason"] != "" || f["until"] != "" {
					return err // the same for every reference: refuse the whole action
				}
				res.Failed = append(res.Failed, vouch.BulkFailure{ID: id, Reason: vouch.ErrorMessage(err)})
			default:
				return err
			}
		}
		return nil
	})
	return res, err
}

// BulkSetOwner makes ownerID (0: nobody) the owner of each reference.
func (db *DB) BulkSetOwner(ctx context.Context, ids []int64, ownerID int64) (vouch.BulkResult, error) {
	return db.bulkUpdate(ctx, ids, func(tx *Tx, r *vouch.Reference) error {
		var v vouch.Validation
		if err := tx.checkUser(&v, "owner", ownerID); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		r.OwnerID = ownerID
		return nil
	})
}

// BulkMarkVerified records that each reference's details were verified on day.
func (db *DB) BulkMarkVerified(ctx context.Context, ids []int64, day vouch.Date) (vouch.BulkResult, error) {
	return db.bulkUpdate(ctx, ids, func(tx *Tx, r *vouch.Reference) error {
		r.LastVerified = day
		return nil
	})
}

func (db *DB) bulkUpdate(ctx context.Context, ids []int64, change func(*Tx, *vouch.Reference) error) (vouch.BulkResult, error) {
	var res vouch.BulkResult
	err := db.update(ctx, func(tx *Tx) error {
		res = vouch.BulkResult{}
		for _, id := range uniqueIDs(ids) {
			r, err := tx.reference(id)
			if vouch.ErrorCode(err) == vouch.ENOTFOUND {
				res.Failed = append(res.Failed, vouch.BulkFailure{ID: id, Reason: fmt.Sprintf("Reference %d not found.", id)})
				continue
			} else if err != nil {
				return err
			}
			if err := change(tx, r); err != nil {
				return err
			}
			if err := tx.updateReference(r); err != nil {
				return fmt.Errorf("reference %d: %w", id, err)
			}
			res.Changed = append(res.Changed, id)
		}
		return nil
	})
	return res, err
}

// WakeRestingReferences makes active again every resting reference whose rest
// ended by today, recording the move as the system's. It returns how many woke.
func (db *DB) WakeRestingReferences(ctx context.Context, today vouch.Date) (int, error) {
	ids, err := db.ids(ctx, `SELECT id FROM refs WHERE status = 'resting' AND resting_until <> '' AND resting_until <= ?`, today.String())
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	ctx = vouch.WithActor(ctx, vouch.Actor{Label: "system"})
	n := 0
	err = db.update(ctx, func(tx *Tx) error {
		for _, id := range ids {
			r, err := tx.reference(id)
			if err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE refs SET status = 'active', status_reason = '', resting_until = '', version = version + 1,
				updated_at = ? WHERE id = ?`, tx.now, id); err != nil {
				return err
			}
			if err := tx.statusEvent(id, vouch.StatusResting, vouch.StatusChange{To: vouch.StatusActive, Reason: "rest ended " + r.RestingUntil.String()}); err != nil {
				return err
			}
			if err := tx.audit("status", "reference", id, []vouch.Change{{Field: "status", Before: "resting", After: "active"}}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// LogActivity records an activity a reference did.
func (db *DB) LogActivity(ctx context.Context, a *vouch.Activity) error {
	var v vouch.Validation
	if a.OccurredOn.IsZero() {
		v.Add("occurred_on", "is required")
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.reference(a.ReferenceID); err != nil {
			return err
		}
		if a.TypeID == 0 {
			v.Add("activity_type", "is required")
		} else if err := tx.checkValue(&v, "activity_type", vouch.TaxActivityType, a.TypeID); err != nil {
			return err
		}
		if a.OpportunityID != 0 {
			if err := tx.checkUseOpportunity(a.OpportunityID); vouch.ErrorCode(err) == vouch.EINVALID {
				v.Add("opportunity", "is not a known opportunity")
			} else if err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		// Stage at request: the deal as it stands now, read in this transaction.
		at, err := tx.oppNow(a.OpportunityID)
		if err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO activities (ref_id, type_id, occurred_on, notes, created_at, opportunity_id, opp_stage, opp_amount)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ReferenceID, a.TypeID, a.OccurredOn.String(), strings.TrimSpace(a.Notes), tx.now, nullID(a.OpportunityID), at.stage, at.amount)
		if err != nil {
			return err
		}
		a.ID, a.CreatedAt, a.State, a.OppStage, a.OppAmountCents = id, tx.now, vouch.ActivityDone, at.stage, at.cents()
		if err := tx.audit("create", "activity", id, activityCreated(a)); err != nil {
			return err
		}
		// The reference's capacity changed too: tell read models about it.
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		return nil
	})
}

// Activities returns a reference's activities, newest first.
func (db *DB) Activities(ctx context.Context, refID int64) ([]vouch.Activity, error) {
	rows, err := db.query(ctx, `SELECT id, ref_id, type_id, occurred_on, notes, created_at, state, COALESCE(request_id, 0),
		COALESCE(opportunity_id, 0), points, thank_you, thank_you_sent_on, opp_stage, COALESCE(opp_amount, 0) FROM activities WHERE ref_id = ?
		ORDER BY occurred_on DESC, id DESC`, refID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vouch.Activity
	for rows.Next() {
		var a vouch.Activity
		var on, thanked string
		if err := rows.Scan(&a.ID, &a.ReferenceID, &a.TypeID, &on, &a.Notes, &a.CreatedAt, &a.State, &a.RequestID,
			&a.OpportunityID, &a.Points, &a.ThankYou, &thanked, &a.OppStage, &a.OppAmountCents); err != nil {
			return nil, err
		}
		a.OccurredOn, _ = vouch.ParseDate(on)
		a.ThankYouSentOn, _ = vouch.ParseDate(thanked)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountReferences returns how many references exist.
func (db *DB) CountReferences(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM refs`).Scan(&n)
	return n, err
}
