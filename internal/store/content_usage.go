package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The audit entries of uses and ratings name the content item, not the use
// or rating row: the content index follows them to reload the item's stats.

// RecordContentUse adds a use of an item (u.ContentID), against an
// opportunity when u names one. The caller has checked that the item may be
// used; the store checks that the item and opportunity exist.
func (db *DB) RecordContentUse(ctx context.Context, u *vouch.ContentUse) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.contentItem(u.ContentID); err != nil {
			return err
		}
		if err := tx.checkUseOpportunity(u.OpportunityID); err != nil {
			return err
		}
		at, err := tx.oppNow(u.OpportunityID)
		if err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO content_uses (content_id, kind, user_id, opportunity_id, proof_page_id, opp_stage, opp_amount, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ContentID, u.Kind, nullID(u.UserID), nullID(u.OpportunityID), nullID(u.ProofPageID),
			at.stage, at.amount, tx.now)
		if err != nil {
			return err
		}
		u.ID, u.At, u.OppStage, u.OppAmountCents = id, tx.now, at.stage, at.cents()
		changes := []vouch.Change{{Field: "kind", After: u.Kind}, {Field: "use_id", After: strconv.FormatInt(id, 10)}}
		if u.OpportunityID != 0 {
			changes = append(changes, vouch.Change{Field: "opportunity_id", After: strconv.FormatInt(u.OpportunityID, 10)})
		}
		return tx.audit("use", vouch.EntityContentUse, u.ContentID, changes)
	})
}

func (tx *Tx) checkUseOpportunity(id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := tx.opportunity(id); vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return &vouch.Error{Code: vouch.EINVALID, Message: "The opportunity does not exist.",
			Fields: map[string]string{"opportunity_id": "is not a known opportunity"}}
	} else if err != nil {
		return err
	}
	return nil
}

// ContentUses returns an item's uses, newest first, with the names of who
// used it (empty for a buyer on a proof page); limit 0 returns all.
func (db *DB) ContentUses(ctx context.Context, contentID int64, limit int) ([]vouch.ContentUse, error) {
	q := `SELECT u.id, u.content_id, u.kind, COALESCE(u.user_id, 0), COALESCE(us.name, ''), COALESCE(u.opportunity_id, 0),
		COALESCE(u.proof_page_id, 0), u.opp_stage, COALESCE(u.opp_amount, 0), u.at FROM content_uses u LEFT JOIN users us ON us.id = u.user_id
		WHERE u.content_id = ? ORDER BY u.at DESC, u.id DESC`
	args := []any{contentID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []vouch.ContentUse{}
	for rows.Next() {
		var u vouch.ContentUse
		if err := rows.Scan(&u.ID, &u.ContentID, &u.Kind, &u.UserID, &u.UserName, &u.OpportunityID, &u.ProofPageID, &u.OppStage, &u.OppAmountCents, &u.At); err != nil {
			return nil, err
		}
		u.At = u.At.UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// RateContent saves r.UserID's rating of item r.ContentID, replacing the
// one they gave before. The caller has checked it (vouch.CheckRating).
func (db *DB) RateContent(ctx context.Context, r *vouch.ContentRating) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.contentItem(r.ContentID); err != nil {
			return err
		}
		if err := tx.checkUseOpportunity(r.OpportunityID); err != nil {
			return err
		}
		var id int64
		var before int
		var comment string
		err := tx.queryRow(`SELECT id, rating, comment FROM content_ratings WHERE content_id = ? AND user_id = ?`,
			r.ContentID, r.UserID).Scan(&id, &before, &comment)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			id, err = tx.insert(`INSERT INTO content_ratings (content_id, user_id, rating, comment, opportunity_id, at)
				VALUES (?, ?, ?, ?, ?, ?)`, r.ContentID, r.UserID, r.Rating, r.Comment, nullID(r.OpportunityID), tx.now)
			if err != nil {
				return err
			}
			r.ID, r.At = id, tx.now
			return tx.audit("rate", vouch.EntityContentRating, r.ContentID, []vouch.Change{
				{Field: "rating", After: strconv.Itoa(r.Rating)}, {Field: "comment", After: r.Comment},
				{Field: "user_id", After: strconv.FormatInt(r.UserID, 10)}})
		case err != nil:
			return err
		}
		if _, err := tx.exec(`UPDATE content_ratings SET rating = ?, comment = ?, opportunity_id = ?, at = ? WHERE id = ?`,
			r.Rating, r.Comment, nullID(r.OpportunityID), tx.now, id); err != nil {
			return err
		}
		r.ID, r.At = id, tx.now
		changes := vouch.Diff(nil, "rating", strconv.Itoa(before), strconv.Itoa(r.Rating))
		changes = vouch.Diff(changes, "comment", comment, r.Comment)
		changes = append(changes, vouch.Change{Field: "user_id", Before: strconv.FormatInt(r.UserID, 10), After: strconv.FormatInt(r.UserID, 10)})
		return tx.audit("rate", vouch.EntityContentRating, r.ContentID, changes)
	})
}

// ContentRatings returns an item's ratings, newest first, with the raters' names.
func (db *DB) ContentRatings(ctx context.Context, contentID int64) ([]vouch.ContentRating, error) {
	rows, err := db.query(ctx, `SELECT r.id, r.content_id, r.user_id, COALESCE(us.name, ''), r.rating, r.comment,
		COALESCE(r.opportunity_id, 0), r.at FROM content_ratings r LEFT JOIN users us ON us.id = r.user_id
		WHERE r.content_id = ? ORDER BY r.at DESC, r.id DESC`, contentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []vouch.ContentRating{}
	for rows.Next() {
		var r vouch.ContentRating
		if err := rows.Scan(&r.ID, &r.ContentID, &r.UserID, &r.UserName, &r.Rating, &r.Comment, &r.OpportunityID, &r.At); err != nil {
			return nil, err
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
