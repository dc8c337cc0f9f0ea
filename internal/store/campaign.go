package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vouchhq/vouch/internal/vouch"
)

const campaignColumns = `id, name, dimension, value_id, activity_type_id, COALESCE(created_by, 0), created_at`

func scanCampaign(row interface{ Scan(...any) error }) (*vouch.Campaign, error) {
	c := &vouch.Campaign{}
	if err := row.Scan(&c.ID, &c.Name, &c.Dimension, &c.ValueID, &c.ActivityTypeID, &c.CreatedBy, &c.CreatedAt); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, nil
}

// CreateCampaign stores a new campaign, validated by the caller.
func (db *DB) CreateCampaign(ctx context.Context, c *vouch.Campaign) error {
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO campaigns (name, dimension, value_id, activity_type_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.Name, c.Dimension, c.ValueID, c.ActivityTypeID, nullID(c.CreatedBy), tx.now)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = id, tx.now
		return tx.audit("create", vouch.EntityCampaign, id, []vouch.Change{{Field: "name", Before: "", After: c.Name},
			{Field: "dimension", Before: "", After: c.Dimension}, {Field: "value_id", Before: 0, After: c.ValueID},
			{Field: "activity_type_id", Before: 0, After: c.ActivityTypeID}})
	})
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

const contactColumns = `id, campaign_id, account_id, name, email, state, notes, COALESCE(nomination_id, 0), version, updated_at`

func scanContact(row interface{ Scan(...any) error }) (*vouch.CampaignContact, error) {
	c := &vouch.CampaignContact{}
	var st string
	if err := row.Scan(&c.ID, &c.CampaignID, &c.AccountID, &c.Name, &c.Email, &st, &c.Notes, &c.NominationID,
		&c.Version, &c.UpdatedAt); err != nil {
		return nil, err
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
	return db.update(ctx, func(tx *Tx) error {
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
		changes := []vouch.Change{{Field: "state", Before: string(before.State), After: string(c.State)}}
		if before.Notes != c.Notes {
			changes = append(changes, vouch.Change{Field: "notes", Before: before.Notes, After: c.Notes})
		}
		if before.NominationID != c.NominationID {
			changes = append(changes, vouch.Change{Field: "nomination_id", Before: before.NominationID, After: c.NominationID})
		}
		c.Version, c.UpdatedAt = before.Version+1, tx.now
		return tx.audit("update", vouch.EntityCampaignContact, c.ID, changes)
	})
}
