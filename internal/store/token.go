package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TokenPrefix starts every API token, so leaked tokens are easy to recognise and scan for.
const TokenPrefix = "vouch_"

// CreateToken issues an API token for the user and returns its secret, which is not stored.
func (db *DB) CreateToken(ctx context.Context, userID int64, name string) (string, *vouch.APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token"
	}
	u, err := db.User(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	if u.Disabled {
		return "", nil, vouch.Errorf(vouch.EINVALID, "%s is disabled; enable the user before issuing a token.", u.Email)
	}
	secret := TokenPrefix + randomToken(30)
	t := &vouch.APIToken{UserID: userID, UserEmail: u.Email, Name: name, Prefix: secret[:len(TokenPrefix)+6]}
	err = db.update(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		id, err := tx.insert(`INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			userID, t.Name, t.Prefix, hashToken(secret), tx.now)
		if err != nil {
			return err
		}
		t.ID = id
		return tx.audit("create", "api_token", id, []vouch.Change{{Field: "user", After: u.Email}, {Field: "name", After: t.Name}})
	})
	return secret, t, err
}

// ListTokens returns every token (without secrets), newest first.
func (db *DB) ListTokens(ctx context.Context) ([]*vouch.APIToken, error) {
	rows, err := db.query(ctx, `SELECT t.id, t.user_id, u.email, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.APIToken
	for rows.Next() {
		t := &vouch.APIToken{}
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.UserEmail, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.LastUsedAt, t.RevokedAt = nullTime(used), nullTime(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken stops a token from working.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var revoked sql.NullTime
		err := tx.queryRow(`SELECT revoked_at FROM api_tokens WHERE id = ?`, id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Token", id)
		} else if err != nil {
			return err
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		return tx.audit("revoke", "api_token", id, []vouch.Change{{Field: "revoked", Before: false, After: true}})
	})
}

// TokenUser returns the enabled user owning the secret. Last use is recorded
// at most once a minute so API traffic does not serialise on the writer.
func (db *DB) TokenUser(ctx context.Context, secret string) (*vouch.User, error) {
	bad := vouch.Errorf(vouch.EUNAUTHORIZED, "The API token is not valid or has been revoked.")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, bad
	}
	h := hashToken(secret)
	var tokenID int64
	var used, revoked sql.NullTime
	row := db.queryRow(ctx, `SELECT t.id, t.last_used_at, t.revoked_at, `+prefixed("u.", userColumns)+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, h)
	u := &vouch.User{}
	var role string
	err := row.Scan(&tokenID, &used, &revoked, &u.ID, &u.Email, &u.Name, &role, &u.Disabled, &u.TimeZone, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	u.Role = vouch.Role(role)
	if revoked.Valid || u.Disabled {
		return nil, bad
	}
	now := db.Now()
	if !used.Valid || now.Sub(used.Time) > time.Minute {
		if _, err := db.write.ExecContext(ctx, db.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), now, tokenID); err != nil {
			return nil, err
		}
	}
	return u, nil
}
