package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

const nominationColumns = `id, COALESCE(account_id, 0), account_name, name, email, title, crm_id, activities, reason, source,
	COALESCE(nominator_id, 0), state, checklist, reject_reason, COALESCE(reference_id, 0), COALESCE(decided_by, 0),
	decided_at, version, created_at, updated_at, COALESCE(campaign_id, 0)`

func scanNomination(row interface{ Scan(...any) error }) (*vouch.Nomination, error) {
	n := &vouch.Nomination{}
	var acts, checks, state string
	var decided sql.NullTime
	if err := row.Scan(&n.ID, &n.AccountID, &n.AccountName, &n.Name, &n.Email, &n.Title, &n.CRMID, &acts, &n.Reason, &n.Source,
		&n.NominatorID, &state, &checks, &n.RejectReason, &n.ReferenceID, &n.DecidedBy,
		&decided, &n.Version, &n.CreatedAt, &n.UpdatedAt, &n.CampaignID); err != nil {
		return nil, err
	}
	n.State = vouch.NominationState(state)
	if err := json.Unmarshal([]byte(acts), &n.Activities); err != nil {
		return nil, fmt.Errorf("nomination %d activities: %w", n.ID, err)
	}
	if err := json.Unmarshal([]byte(checks), &n.Checklist); err != nil {
		return nil, fmt.Errorf("nomination %d checklist: %w", n.ID, err)
	}
	if n.Activities == nil {
		n.Activities = []string{}
	}
	if n.Checklist == nil {
		n.Checklist = []string{}
	}
	n.DecidedAt = nullTime(decided)
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return n, nil
}

// Nomination reads one nomination.
func (db *DB) Nomination(ctx context.Context, id int64) (*vouch.Nomination, error) {
	n, err := scanNomination(db.queryRow(ctx, `SELECT `+nominationColumns+` FROM nominations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Nomination", id)
	}
	return n, err
}

func (tx *Tx) nomination(id int64) (*vouch.Nomination, error) {
	n, err := scanNomination(tx.queryRow(`SELECT `+nominationColumns+` FROM nominations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Nomination", id)
	}
	return n, err
}

// NominationFilter selects nominations; the zero value selects all.
type NominationFilter struct {
	States      []vouch.NominationState
	NominatorID int64
	ReferenceID int64
}

// Nominations lists the nominations f selects, oldest first: the queue is
// worked from the one that has waited longest.
func (db *DB) Nominations(ctx context.Context, f NominationFilter) ([]*vouch.Nomination, error) {
	where, args := " WHERE 1 = 1", []any{}
	if len(f.States) > 0 {
		where += " AND state IN (?" + strings.Repeat(", ?", len(f.States)-1) + ")"
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.NominatorID != 0 {
		where, args = where+" AND nominator_id = ?", append(args, f.NominatorID)
	}
	if f.ReferenceID != 0 {
		where, args = where+" AND reference_id = ?", append(args, f.ReferenceID)
	}
	rows, err := db.query(ctx, `SELECT `+nominationColumns+` FROM nominations`+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.Nomination{}
	for rows.Next() {
		n, err := scanNomination(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func jsonList(xs []string) string {
	if xs == nil {
		xs = []string{}
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// CreateNomination stores a nomination validated by the caller (the
// nominations service), open, with out (the program team told).
func (db *DB) CreateNomination(ctx context.Context, n *vouch.Nomination, out vouch.Outgoing) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createNomination(n, out) })
}

// CreateNomination stores a nomination validated by the caller inside the
// batch: a campaign nominates its contact and moves the outreach in one
// transaction.
func (b *Batch) CreateNomination(n *vouch.Nomination, out vouch.Outgoing) error {
	return b.tx.createNomination(n, out)
}

func (tx *Tx) createNomination(n *vouch.Nomination, out vouch.Outgoing) error {
	id, err := tx.insert(`INSERT INTO nominations (account_id, account_name, name, email, title, crm_id, activities, reason,
		source, nominator_id, state, checklist, version, created_at, updated_at, campaign_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 1, ?, ?, ?)`,
		nullID(n.AccountID), n.AccountName, n.Name, n.Email, n.Title, n.CRMID, jsonList(n.Activities), n.Reason,
		n.Source, nullID(n.NominatorID), string(vouch.NominationOpen), tx.now, tx.now, nullID(n.CampaignID))
	if err != nil {
		return err
	}
	n.ID, n.State, n.Version, n.CreatedAt, n.UpdatedAt = id, vouch.NominationOpen, 1, tx.now, tx.now
	n.Checklist = []string{}
	changes := []vouch.Change{{Field: "account_name", After: n.AccountName}, {Field: "name", After: n.Name},
		{Field: "email", After: n.Email}, {Field: "source", After: n.Source}, {Field: "reason", After: n.Reason}}
	if n.AccountID != 0 {
		changes = append(changes, vouch.Change{Field: "account_id", After: n.AccountID})
	}
	if n.CampaignID != 0 {
		changes = append(changes, vouch.Change{Field: "campaign_id", After: n.CampaignID})
	}
	if err := tx.audit("create", vouch.EntityNomination, id, changes); err != nil {
		return err
	}
	return tx.send(out)
}

// nominationAt reads nomination id in tx and checks it is still at version
// (0: any).
func (tx *Tx) nominationAt(id int64, version int) (*vouch.Nomination, error) {
	n, err := tx.nomination(id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != n.Version {
		return nil, staleVersion("nomination", n.Version)
	}
	return n, nil
}

// NominationCheck is the rule the caller's service applies to the
// nomination as it is inside the transaction, so two team members deciding
// at once cannot both win.
type NominationCheck func(n *vouch.Nomination) error

// QualifyNomination records the checklist items ticked on nomination id,
// read at version, and marks it qualified once check (the checklist rule)
// passes on the nomination as stored.
func (db *DB) QualifyNomination(ctx context.Context, id int64, version int, ticked []string, check NominationCheck) (*vouch.Nomination, error) {
	var saved *vouch.Nomination
	err := db.update(ctx, func(tx *Tx) error {
		n, err := tx.nominationAt(id, version)
		if err != nil {
			return err
		}
		if err := check(n); err != nil {
			return err
		}
		before := *n
		n.State, n.Checklist = vouch.NominationQualified, append([]string{}, ticked...)
		if err := tx.saveNomination(n); err != nil {
			return err
		}
		// The day it was first qualified counts; saving the checklist again does not move it.
		if _, err := tx.exec(`UPDATE nominations SET qualified_at = COALESCE(qualified_at, ?) WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		saved = n
		return tx.audit("qualify", vouch.EntityNomination, id, []vouch.Change{
			{Field: "state", Before: string(before.State), After: string(n.State)},
			{Field: "checklist", Before: jsonList(before.Checklist), After: jsonList(n.Checklist)}})
	})
	return saved, err
}

// RejectNomination closes nomination id, read at version, with reason,
// decided by user by; check is the rule applied inside the transaction;
// out tells the nominator.
func (db *DB) RejectNomination(ctx context.Context, id int64, version int, reason string, by int64, check NominationCheck, out vouch.Outgoing) (*vouch.Nomination, error) {
	var saved *vouch.Nomination
	err := db.update(ctx, func(tx *Tx) error {
		n, err := tx.nominationAt(id, version)
		if err != nil {
			return err
		}
		if err := check(n); err != nil {
			return err
		}
		from := n.State
		n.State, n.RejectReason, n.DecidedBy, n.DecidedAt = vouch.NominationRejected, reason, by, &tx.now
		if err := tx.saveNomination(n); err != nil {
			return err
		}
		saved = n
		if err := tx.audit("reject", vouch.EntityNomination, id, []vouch.Change{
			{Field: "state", Before: string(from), After: string(n.State)}, {Field: "reject_reason", After: reason}}); err != nil {
			return err
		}
		return tx.send(out)
	})
	return saved, err
}

// AcceptNomination marks nomination id, read at version, accepted with the
// reference it became, decided by user by, in the transaction of b (the
// one that created or re-activated the reference); check is the rule
// applied inside it; out tells the nominator.
func (b *Batch) AcceptNomination(id int64, version int, referenceID, by int64, check NominationCheck, out vouch.Outgoing) (*vouch.Nomination, error) {
	tx := b.tx
	n, err := tx.nominationAt(id, version)
	if err != nil {
		return nil, err
	}
	if err := check(n); err != nil {
		return nil, err
	}
	from := n.State
	n.State, n.ReferenceID, n.DecidedBy, n.DecidedAt = vouch.NominationAccepted, referenceID, by, &tx.now
	if err := tx.saveNomination(n); err != nil {
		return nil, err
	}
	if err := tx.audit("accept", vouch.EntityNomination, id, []vouch.Change{
		{Field: "state", Before: string(from), After: string(n.State)}, {Field: "reference_id", After: referenceID}}); err != nil {
		return nil, err
	}
	return n, tx.send(out)
}

// saveNomination writes n's decision fields and bumps its version.
func (tx *Tx) saveNomination(n *vouch.Nomination) error {
	var decided any
	if n.DecidedAt != nil {
		decided = *n.DecidedAt
	}
	res, err := tx.exec(`UPDATE nominations SET state = ?, checklist = ?, reject_reason = ?, reference_id = ?, decided_by = ?,
		decided_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		string(n.State), jsonList(n.Checklist), n.RejectReason, nullID(n.ReferenceID), nullID(n.DecidedBy),
		decided, tx.now, n.ID, n.Version)
	if err != nil {
		return err
	}
	if err := savedAt(res, "nomination", n.Version); err != nil {
		return err
	}
	n.Version++
	n.UpdatedAt = tx.now
	return nil
}

// The people and companies duplicate detection compares a nomination
// with: read whole at start and one by one as they change.

// DuplicateAccounts reads every account (ids nil) or the accounts with ids,
// as duplicate detection sees them.
func (db *DB) DuplicateAccounts(ctx context.Context, ids []int64) ([]vouch.DuplicateCompany, error) {
	q, args := `SELECT id, name, domain, COALESCE(crm_id, '') FROM accounts`, []any{}
	q, args = whereIDs(q, "id", ids, args)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vouch.DuplicateCompany
	for rows.Next() {
		var c vouch.DuplicateCompany
		if err := rows.Scan(&c.ID, &c.Name, &c.Domain, &c.CRMID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DuplicatePeople are references (or open nominations) as duplicate
// detection sees them, with their id and status.
type DuplicatePeople struct {
	ID     int64
	Status string
	vouch.DuplicatePerson
}

// DuplicateReferences reads every reference (ids nil) or those with ids.
func (db *DB) DuplicateReferences(ctx context.Context, ids []int64) ([]DuplicatePeople, error) {
	q, args := `SELECT r.id, r.status, r.account_id, a.name, r.name, COALESCE(r.email, ''), COALESCE(r.crm_id, '')
		FROM refs r JOIN accounts a ON a.id = r.account_id`, []any{}
	q, args = whereIDs(q, "r.id", ids, args)
	return db.duplicatePeople(ctx, q, args)
}

// DuplicateNominations reads every waiting nomination (ids nil) or the
// waiting ones of ids.
func (db *DB) DuplicateNominations(ctx context.Context, ids []int64) ([]DuplicatePeople, error) {
	q, args := `SELECT id, state, COALESCE(account_id, 0), account_name, name, email, crm_id FROM nominations
		WHERE state IN (?, ?)`, []any{string(vouch.NominationOpen), string(vouch.NominationQualified)}
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		q += " AND id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	return db.duplicatePeople(ctx, q, args)
}

func (db *DB) duplicatePeople(ctx context.Context, q string, args []any) ([]DuplicatePeople, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DuplicatePeople
	for rows.Next() {
		var p DuplicatePeople
		if err := rows.Scan(&p.ID, &p.Status, &p.AccountID, &p.AccountName, &p.Name, &p.Email, &p.CRMID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// whereIDs adds "WHERE col IN (ids)" to q when ids is not nil; an empty
// non-nil ids selects nothing.
func whereIDs(q, col string, ids []int64, args []any) (string, []any) {
	if ids == nil {
		return q, args
	}
	if len(ids) == 0 {
		return q + " WHERE 1 = 0", args
	}
	q += " WHERE " + col + " IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	for _, id := range ids {
		args = append(args, id)
	}
	return q, args
}

// AnalyticsNomination is a nomination as the metrics engine reads it.
type AnalyticsNomination struct {
	ID, NominatorID, DecidedBy, ReferenceID int64
	CampaignID                              int64 // the recruiting campaign that made it; 0 none
	Name                                    string
	State                                   vouch.NominationState
	CreatedAt                               time.Time
	QualifiedAt, DecidedAt                  *time.Time
}

// EachAnalyticsNomination streams the nominations with the given ids (nil: all).
func (db *DB) EachAnalyticsNomination(ctx context.Context, ids []int64, fn func(*AnalyticsNomination) error) error {
	return db.eachChunk(ctx, `SELECT id, COALESCE(nominator_id, 0), COALESCE(decided_by, 0), COALESCE(reference_id, 0), name, state,
		created_at, qualified_at, decided_at, COALESCE(campaign_id, 0) FROM nominations`, "id", ids, func(rows *sql.Rows) error {
		var n AnalyticsNomination
		var state string
		var qualified, decided sql.NullTime
		if err := rows.Scan(&n.ID, &n.NominatorID, &n.DecidedBy, &n.ReferenceID, &n.Name, &state, &n.CreatedAt, &qualified, &decided, &n.CampaignID); err != nil {
			return err
		}
		n.State, n.CreatedAt = vouch.NominationState(state), n.CreatedAt.UTC()
		n.QualifiedAt, n.DecidedAt = nullTime(qualified), nullTime(decided)
		return fn(&n)
	})
}
