package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vouchhq/vouch/internal/vouch"
)

const campaignColumns = `id, name, dimension, COALESCE(value_id, 0), COALESCE(activity_type_id, 0), COALESCE(created_by, 0),
	created_at, outreach_subject, outreach_body, aim, COALESCE(goal_id, 0), drive_what, drive_target, due_on,
	state, closed_on, COALESCE(closed_by, 0), outcome, version`

func scanCampaign(row interface{ Scan(...any) error }) (*vouch.Campaign, error) {
	c := &vouch.Campaign{}
	var due, state, closed string
	if err := row.Scan(&c.ID, &c.Name, &c.Dimension, &c.ValueID, &c.ActivityTypeID, &c.CreatedBy, &c.CreatedAt,
		&c.OutreachSubject, &c.OutreachBody, &c.Aim, &c.GoalID, &c.DriveWhat, &c.DriveTarget, &due,
		&state, &closed, &c.ClosedBy, &c.Outcome, &c.Version); err != nil {
		return nil, err
	}
	c.State = vouch.CampaignState(state)
	if closed != "" {
		d, err := vouch.ParseDate(closed)
		if err != nil {
			return nil, err
		}
		c.ClosedOn = d
	}
	if due != "" {
		d, err := vouch.ParseDate(due)
		if err != nil {
			return nil, err
		}
		c.DueOn = d
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, nil
}

// CreateCampaign stores a new campaign, validated by the caller.
func (db *DB) CreateCampaign(ctx context.Context, c *vouch.Campaign) error {
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO campaigns (name, aim, dimension, value_id, activity_type_id, goal_id, drive_what,
			drive_target, due_on, created_by, created_at, outreach_subject, outreach_body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Name, c.Aim, c.Dimension, nullID(c.ValueID), nullID(c.ActivityTypeID),
			nullID(c.GoalID), c.DriveWhat, c.DriveTarget, c.DueOn.String(), nullID(c.CreatedBy), tx.now, c.OutreachSubject, c.OutreachBody)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt, c.State, c.Version = id, tx.now, vouch.CampaignOpen, 1
		changes := []vouch.Change{{Field: "name", Before: "", After: c.Name}, {Field: "aim", Before: "", After: c.Aim}}
		switch c.Aim {
		case vouch.AimGap:
			changes = append(changes, vouch.Change{Field: "dimension", Before: "", After: c.Dimension},
				vouch.Change{Field: "value_id", Before: 0, After: c.ValueID})
		case vouch.AimGoal:
			changes = append(changes, vouch.Change{Field: "goal_id", Before: 0, After: c.GoalID})
		case vouch.AimDrive:
			changes = append(changes, vouch.Change{Field: "drive_what", Before: "", After: c.DriveWhat},
				vouch.Change{Field: "drive_target", Before: 0, After: c.DriveTarget},
				vouch.Change{Field: "due_on", Before: "", After: c.DueOn.String()})
		}
		if c.ActivityTypeID != 0 {
			changes = append(changes, vouch.Change{Field: "activity_type_id", Before: 0, After: c.ActivityTypeID})
		}
		if c.OutreachSubject != "" || c.OutreachBody != "" {
			changes = append(changes, vouch.Change{Field: "outreach_subject", Before: "", After: c.OutreachSubject},
				vouch.Change{Field: "outreach_body", Before: "", After: c.OutreachBody})
		}
		return tx.audit("create", vouch.EntityCampaign, id, changes)
	})
}

// SetCampaignOutreach saves the campaign's outreach mail template,
// validated by the caller.
func (db *DB) SetCampaignOutreach(ctx context.Context, id int64, subject, body string) (*vouch.Campaign, error) {
	var saved *vouch.Campaign
	err := db.update(ctx, func(tx *Tx) error {
		if err := tx.openCampaign(id); err != nil {
			return err
		}
		c, err := scanCampaign(tx.queryRow(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE campaigns SET outreach_subject = ?, outreach_body = ? WHERE id = ?`, subject, body, id); err != nil {
			return err
		}
		changes := []vouch.Change{{Field: "outreach_subject", Before: c.OutreachSubject, After: subject},
			{Field: "outreach_body", Before: c.OutreachBody, After: body}}
		c.OutreachSubject, c.OutreachBody, saved = subject, body, c
		return tx.audit("update", vouch.EntityCampaign, id, changes)
	})
	return saved, err
}

// ChangeCampaign renames, closes or reopens campaign id from version:
// change (the service's rule) is applied to the campaign as stored, inside
// the transaction, closed today by user by. A stale version is a conflict.
func (db *DB) ChangeCampaign(ctx context.Context, id int64, version int, by int64,
	change func(c *vouch.Campaign, today vouch.Date) (bool, error)) (*vouch.Campaign, error) {
	var saved *vouch.Campaign
	err := db.update(ctx, func(tx *Tx) error {
		c, err := scanCampaign(tx.queryRow(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Campaign", id)
		} else if err != nil {
			return err
		}
		if c.Version != version {
			return staleVersion("campaign", c.Version)
		}
		before := *c
		changed, err := change(c, tx.today())
		if err != nil {
			return err
		}
		saved = c
		if !changed {
			return nil
		}
		res, err := tx.exec(`UPDATE campaigns SET name = ?, state = ?, closed_on = ?, closed_by = ?, outcome = ?,
			version = version + 1 WHERE id = ? AND version = ?`, c.Name, string(c.State), c.ClosedOn.String(), nullID(c.ClosedBy),
			c.Outcome, id, version)
		if err != nil {
			return err
		}
		if err := savedAt(res, "campaign", version); err != nil {
			return err
		}
		c.Version = version + 1
		var changes []vouch.Change
		if before.Name != c.Name {
			changes = append(changes, vouch.Change{Field: "name", Before: before.Name, After: c.Name})
		}
		if before.State != c.State {
			changes = append(changes, vouch.Change{Field: "state", Before: string(before.State), After: string(c.State)},
				vouch.Change{Field: "closed_on", Before: before.ClosedOn.String(), After: c.ClosedOn.String()},
				vouch.Change{Field: "closed_by", Before: before.ClosedBy, After: c.ClosedBy})
		}
		if before.Outcome != c.Outcome {
			changes = append(changes, vouch.Change{Field: "outcome", Before: before.Outcome, After: c.Outcome})
		}
		return tx.audit("update", vouch.EntityCampaign, id, changes)
	})
	return saved, err
}

// openCampaign locks campaign id and refuses it when it is closed: a
// close committed meanwhile is seen (the lock waits for it), so no
// outreach or invitation lands on a campaign closed under it.
func (tx *Tx) openCampaign(id int64) error {
	if _, err := tx.exec(`UPDATE campaigns SET version = version WHERE id = ?`, id); err != nil {
		return err
	}
	c, err := scanCampaign(tx.queryRow(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Campaign", id)
	} else if err != nil {
		return err
	}
	if c.Closed() {
		return vouch.ErrCampaignClosed(c)
	}
	return nil
}

// CampaignsOfGoal lists the campaigns aimed at goal id, newest first.
func (db *DB) CampaignsOfGoal(ctx context.Context, goalID int64) ([]*vouch.Campaign, error) {
	return db.campaigns(ctx, ` WHERE goal_id = ?`, goalID)
}

// Campaign reads one campaign.
func (db *DB) Campaign(ctx context.Context, id int64) (*vouch.Campaign, error) {
	c, err := scanCampaign(db.queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Campaign", id)
	}
	return c, err
}

// Campaigns lists every campaign, newest first.
func (db *DB) Campaigns(ctx context.Context) ([]*vouch.Campaign, error) {
	return db.campaigns(ctx, "")
}

func (db *DB) campaigns(ctx context.Context, where string, args ...any) ([]*vouch.Campaign, error) {
	rows, err := db.query(ctx, `SELECT `+campaignColumns+` FROM campaigns`+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.Campaign{}
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const contactColumns = `id, campaign_id, account_id, name, email, state, notes, COALESCE(nomination_id, 0), version, updated_at,
	contacted_on`

func scanContact(row interface{ Scan(...any) error }) (*vouch.CampaignContact, error) {
	c := &vouch.CampaignContact{}
	var st, contacted string
	if err := row.Scan(&c.ID, &c.CampaignID, &c.AccountID, &c.Name, &c.Email, &st, &c.Notes, &c.NominationID,
		&c.Version, &c.UpdatedAt, &contacted); err != nil {
		return nil, err
	}
	if contacted != "" {
		d, err := vouch.ParseDate(contacted)
		if err != nil {
			return nil, err
		}
		c.ContactedOn = d
	}
	c.State, c.UpdatedAt = vouch.OutreachState(st), c.UpdatedAt.UTC()
	return c, nil
}

// AddCampaignContact stores a new contact to reach out to, validated by
// the caller; the campaign and account must exist.
func (db *DB) AddCampaignContact(ctx context.Context, c *vouch.CampaignContact) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.openCampaign(c.CampaignID); err != nil {
			return err
		}
		c.State = vouch.OutreachToContact
		id, err := tx.insert(`INSERT INTO campaign_contacts (campaign_id, account_id, name, email, state, notes, version, updated_at)
			VALUES (?, ?, ?, ?, ?, '', 1, ?)`, c.CampaignID, c.AccountID, c.Name, c.Email, string(c.State), tx.now)
		if err != nil {
			return err
		}
		c.ID, c.Version, c.UpdatedAt = id, 1, tx.now
		return tx.audit("create", vouch.EntityCampaignContact, id, []vouch.Change{{Field: "campaign_id", Before: 0, After: c.CampaignID},
			{Field: "account_id", Before: 0, After: c.AccountID}, {Field: "name", Before: "", After: c.Name},
			{Field: "email", Before: "", After: c.Email}, {Field: "state", Before: "", After: string(c.State)}})
	})
}

// CampaignContact reads one contact.
func (db *DB) CampaignContact(ctx context.Context, id int64) (*vouch.CampaignContact, error) {
	c, err := scanContact(db.queryRow(ctx, `SELECT `+contactColumns+` FROM campaign_contacts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Campaign contact", id)
	}
	return c, err
}

// CampaignContacts lists a campaign's contacts in the order they were added.
func (db *DB) CampaignContacts(ctx context.Context, campaignID int64) ([]*vouch.CampaignContact, error) {
	rows, err := db.query(ctx, `SELECT `+contactColumns+` FROM campaign_contacts WHERE campaign_id = ? ORDER BY id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.CampaignContact{}
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MoveCampaignContact moves the outreach to c.State with c.Notes and
// c.NominationID, from the version c carries; the caller checked the move.
func (db *DB) MoveCampaignContact(ctx context.Context, c *vouch.CampaignContact) error {
	return db.update(ctx, func(tx *Tx) error { return tx.moveCampaignContact(c, false) })
}

// MoveCampaignContact moves the outreach inside the batch: the campaign
// nominates the contact and moves it to nominated in one transaction, so a
// move that fails (someone moved the contact meanwhile) leaves no
// nomination behind.
func (b *Batch) MoveCampaignContact(c *vouch.CampaignContact) error {
	return b.tx.moveCampaignContact(c, false)
}

// ReachCampaignContact moves contact c to contacted, from the version it
// carries, with out (the outreach mail, when sent from Vouch) queued in the
// outbox: the ask of the account lands in its ledger, refused with the
// reason when the fatigue rules hold the account back (checked after
// locking the account, so two asks racing for the last slot under the cap
// never both go out).
func (db *DB) ReachCampaignContact(ctx context.Context, c *vouch.CampaignContact, by int64, out vouch.Outgoing) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.checkAccountFatigue(c.AccountID); err != nil {
			return err
		}
		c.ContactedOn, c.ContactedBy = tx.today(), by
		if err := tx.moveCampaignContact(c, true); err != nil {
			return err
		}
		return tx.send(out)
	})
}

func (tx *Tx) moveCampaignContact(c *vouch.CampaignContact, contacted bool) error {
	before, err := scanContact(tx.queryRow(`SELECT `+contactColumns+` FROM campaign_contacts WHERE id = ?`, c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Campaign contact", c.ID)
	} else if err != nil {
		return err
	}
	if before.Version != c.Version {
		return staleVersion("campaign contact", before.Version)
	}
	if err := tx.openCampaign(before.CampaignID); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE campaign_contacts SET state = ?, notes = ?, nomination_id = ?, version = version + 1,
		updated_at = ? WHERE id = ?`, string(c.State), c.Notes, nullID(c.NominationID), tx.now, c.ID); err != nil {
		return err
	}
	var changes []vouch.Change
	if before.State != c.State {
		changes = append(changes, vouch.Change{Field: "state", Before: string(before.State), After: string(c.State)})
	}
	if before.Notes != c.Notes {
		changes = append(changes, vouch.Change{Field: "notes", Before: before.Notes, After: c.Notes})
	}
	if before.NominationID != c.NominationID {
		changes = append(changes, vouch.Change{Field: "nomination_id", Before: before.NominationID, After: c.NominationID})
	}
	if contacted {
		if _, err := tx.exec(`UPDATE campaign_contacts SET contacted_on = ?, contacted_by = ? WHERE id = ?`,
			c.ContactedOn.String(), nullID(c.ContactedBy), c.ID); err != nil {
			return err
		}
		changes = append(changes, vouch.Change{Field: "contacted_on", Before: before.ContactedOn.String(), After: c.ContactedOn.String()})
		// The account's ledger changed: matching and the pages see the ask.
		tx.touched = append(tx.touched, vouch.Touched{Kind: "account", ID: c.AccountID})
	}
	c.Version, c.UpdatedAt = before.Version+1, tx.now
	return tx.audit("update", vouch.EntityCampaignContact, c.ID, changes)
}

const advocateColumns = `d.id, d.campaign_id, d.ref_id, r.name, ac.name, d.state, d.evidence, d.notes, d.invited_on,
	COALESCE(d.invited_by, 0), d.done_on, d.version, d.updated_at`

const advocateFrom = ` FROM drive_advocates d JOIN refs r ON r.id = d.ref_id JOIN accounts ac ON ac.id = r.account_id`

func scanAdvocate(row interface{ Scan(...any) error }) (*vouch.DriveAdvocate, error) {
	a := &vouch.DriveAdvocate{}
	var st, invited, done string
	if err := row.Scan(&a.ID, &a.CampaignID, &a.ReferenceID, &a.ReferenceName, &a.AccountName, &st, &a.Evidence, &a.Notes,
		&invited, &a.InvitedBy, &done, &a.Version, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.State, a.UpdatedAt = vouch.AdvocateState(st), a.UpdatedAt.UTC()
	var err error
	if a.InvitedOn, err = vouch.ParseDate(invited); err != nil {
		return nil, err
	}
	if done != "" {
		if a.DoneOn, err = vouch.ParseDate(done); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// InviteAdvocate asks reference a.ReferenceID for an item of drive
// a.CampaignID: the invitation is an ask of the reference in its ledger,
// refused with the reason when the fatigue rules hold the reference back
// (checked after locking its account). A reference is invited to a drive
// once.
func (db *DB) InviteAdvocate(ctx context.Context, a *vouch.DriveAdvocate) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.openCampaign(a.CampaignID); err != nil {
			return err
		}
		ref, err := tx.reference(a.ReferenceID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM drive_advocates WHERE campaign_id = ? AND ref_id = ?`, a.CampaignID,
			a.ReferenceID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &vouch.Error{Code: vouch.ECONFLICT, Message: ref.Name + " is invited to this drive already.",
				Fields: map[string]string{"reference_id": "is invited already"}}
		}
		if err := tx.checkFatigue(ref); err != nil {
			return err
		}
		a.State, a.InvitedOn = vouch.AdvocateInvited, tx.today()
		id, err := tx.insert(`INSERT INTO drive_advocates (campaign_id, ref_id, state, evidence, notes, invited_on, invited_by,
			version, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, 1, ?)`, a.CampaignID, a.ReferenceID, string(a.State), a.Notes,
			a.InvitedOn.String(), nullID(a.InvitedBy), tx.now)
		if err != nil {
			return err
		}
		a.ID, a.Version, a.UpdatedAt, a.ReferenceName = id, 1, tx.now, ref.Name
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		return tx.audit("create", vouch.EntityDriveAdvocate, id, []vouch.Change{{Field: "campaign_id", After: a.CampaignID},
			{Field: "reference_id", After: a.ReferenceID}, {Field: "state", After: string(a.State)},
			{Field: "invited_on", After: a.InvitedOn.String()}})
	})
}

// DriveAdvocate reads one advocate of a drive.
func (db *DB) DriveAdvocate(ctx context.Context, id int64) (*vouch.DriveAdvocate, error) {
	a, err := scanAdvocate(db.queryRow(ctx, `SELECT `+advocateColumns+advocateFrom+` WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Drive advocate", id)
	}
	return a, err
}

// DriveAdvocates lists a drive's advocates in the order they were invited.
func (db *DB) DriveAdvocates(ctx context.Context, campaignID int64) ([]*vouch.DriveAdvocate, error) {
	rows, err := db.query(ctx, `SELECT `+advocateColumns+advocateFrom+` WHERE d.campaign_id = ? ORDER BY d.id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.DriveAdvocate{}
	for rows.Next() {
		a, err := scanAdvocate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MoveAdvocate saves advocate a's state, evidence and notes from the
// version it carries; check (the service's rule) is applied to the
// advocate as stored, inside the transaction. Done sets the day it was done.
func (db *DB) MoveAdvocate(ctx context.Context, a *vouch.DriveAdvocate, check func(before *vouch.DriveAdvocate) error) error {
	return db.update(ctx, func(tx *Tx) error {
		before, err := scanAdvocate(tx.queryRow(`SELECT `+advocateColumns+advocateFrom+` WHERE d.id = ?`, a.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Drive advocate", a.ID)
		} else if err != nil {
			return err
		}
		if before.Version != a.Version {
			return staleVersion("drive advocate", before.Version)
		}
		if err := tx.openCampaign(before.CampaignID); err != nil {
			return err
		}
		if err := check(before); err != nil {
			return err
		}
		if a.State == vouch.AdvocateDone {
			a.DoneOn = tx.today()
		}
		if _, err := tx.exec(`UPDATE drive_advocates SET state = ?, evidence = ?, notes = ?, done_on = ?, version = version + 1,
			updated_at = ? WHERE id = ?`, string(a.State), a.Evidence, a.Notes, a.DoneOn.String(), tx.now, a.ID); err != nil {
			return err
		}
		changes := []vouch.Change{{Field: "state", Before: string(before.State), After: string(a.State)}}
		if before.Evidence != a.Evidence {
			changes = append(changes, vouch.Change{Field: "evidence", Before: before.Evidence, After: a.Evidence})
		}
		if before.Notes != a.Notes {
			changes = append(changes, vouch.Change{Field: "notes", Before: before.Notes, After: a.Notes})
		}
		a.Version, a.UpdatedAt = before.Version+1, tx.now
		a.ReferenceID, a.CampaignID, a.InvitedOn = before.ReferenceID, before.CampaignID, before.InvitedOn
		a.ReferenceName, a.AccountName, a.InvitedBy = before.ReferenceName, before.AccountName, before.InvitedBy
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		return tx.audit("update", vouch.EntityDriveAdvocate, a.ID, changes)
	})
}

// AnalyticsCampaignContact is a campaign contact as the metrics engine
// reads it: reached on a day (zero: not yet), by whom.
type AnalyticsCampaignContact struct {
	ID          int64
	Name        string
	ContactedOn vouch.Date
	ContactedBy int64
}

// EachAnalyticsCampaignContact calls fn for each campaign contact (ids
// given: only those).
func (db *DB) EachAnalyticsCampaignContact(ctx context.Context, ids []int64, fn func(*AnalyticsCampaignContact) error) error {
	return db.eachChunk(ctx, `SELECT id, name, contacted_on, COALESCE(contacted_by, 0) FROM campaign_contacts`, "id", ids,
		func(rows *sql.Rows) error {
			var c AnalyticsCampaignContact
			var day string
			if err := rows.Scan(&c.ID, &c.Name, &day, &c.ContactedBy); err != nil {
				return err
			}
			if day != "" {
				d, err := vouch.ParseDate(day)
				if err != nil {
					return err
				}
				c.ContactedOn = d
			}
			return fn(&c)
		})
}

// AnalyticsDriveAdvocate is a drive's advocate as the metrics engine reads
// it: the day its item was done (zero: not done), who invited it.
type AnalyticsDriveAdvocate struct {
	ID        int64
	Name      string // the reference's
	DoneOn    vouch.Date
	InvitedBy int64
}

// EachAnalyticsDriveAdvocate calls fn for each drive advocate (ids given:
// only those).
func (db *DB) EachAnalyticsDriveAdvocate(ctx context.Context, ids []int64, fn func(*AnalyticsDriveAdvocate) error) error {
	return db.eachChunk(ctx, `SELECT d.id, r.name, d.done_on, COALESCE(d.invited_by, 0) FROM drive_advocates d
		JOIN refs r ON r.id = d.ref_id`, "d.id", ids, func(rows *sql.Rows) error {
		var a AnalyticsDriveAdvocate
		var day string
		if err := rows.Scan(&a.ID, &a.Name, &day, &a.InvitedBy); err != nil {
			return err
		}
		if day != "" {
			d, err := vouch.ParseDate(day)
			if err != nil {
				return err
			}
			a.DoneOn = d
		}
		return fn(&a)
	})
}
