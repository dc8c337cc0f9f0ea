package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vouchhq/vouch/internal/vouch"
)

const campaignColumns = `id, name, dimension, value_id, activity_type_id, COALESCE(created_by, 0), created_at,
	outreach_subject, outreach_body`

func scanCampaign(row interface{ Scan(...any) error }) (*vouch.Campaign, error) {
	c := &vouch.Campaign{}
	if err := row.Scan(&c.ID, &c.Name, &c.Dimension, &c.ValueID, &c.ActivityTypeID, &c.CreatedBy, &c.CreatedAt,
		&c.OutreachSubject, &c.OutreachBody); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, nil
}

// CreateCampaign stores a new campaign, validated by the caller.
func (db *DB) CreateCampaign(ctx context.Context, c *vouch.Campaign) error {
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO campaigns (name, dimension, value_id, activity_type_id, created_by, created_at,
			outreach_subject, outreach_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.Name, c.Dimension, c.ValueID, c.ActivityTypeID,
			nullID(c.CreatedBy), tx.now, c.OutreachSubject, c.OutreachBody)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = id, tx.now
		return tx.audit("create", vouch.EntityCampaign, id, []vouch.Change{{Field: "name", Before: "", After: c.Name},
			{Field: "dimension", Before: "", After: c.Dimension}, {Field: "value_id", Before: 0, After: c.ValueID},
			{Field: "activity_type_id", Before: 0, After: c.ActivityTypeID},
			{Field: "outreach_subject", Before: "", After: c.OutreachSubject}, {Field: "outreach_body", Before: "", After: c.OutreachBody}})
	})
}

// SetCampaignOutreach saves the campaign's outreach mail template,
// validated by the caller.
func (db *DB) SetCampaignOutreach(ctx context.Context, id int64, subject, body string) (*vouch.Campaign, error) {
	var saved *vouch.Campaign
	err := db.update(ctx, func(tx *Tx) error {
		c, err := scanCampaign(tx.queryRow(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Campaign", id)
		} else if err != nil {
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
	rows, err := db.query(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY id DESC`)
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

// SendOutreach moves contact c to contacted, from the version it carries,
// and queues mail, the outreach, in the outbox: the ask of the account
// lands in its ledger, refused with the reason when the fatigue rules hold
// the account back (checked after locking the account, so two asks racing
// for the last slot under the cap never both go out).
func (db *DB) SendOutreach(ctx context.Context, c *vouch.CampaignContact, by int64, mail vouch.Mail) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.checkAccountFatigue(c.AccountID); err != nil {
			return err
		}
		c.ContactedOn, c.ContactedBy = tx.today(), by
		if err := tx.moveCampaignContact(c, true); err != nil {
			return err
		}
		return tx.send(vouch.Outgoing{Mails: []vouch.Mail{mail}})
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
