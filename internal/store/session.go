package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// SessionTTL is how long a session lasts without use.
const SessionTTL = 14 * 24 * time.Hour

// randomToken returns n random bytes, URL-safe encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how secrets (session cookies, API tokens) are stored: a
// database leak does not reveal a usable credential.
func hashToken(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CreateSession starts a session for the user and returns the cookie value.
// A session is new at every login, so an id planted before login is useless.
func (db *DB) CreateSession(ctx context.Context, userID int64) (token string, s *vouch.Session, err error) {
	token = randomToken(32)
	s = &vouch.Session{UserID: userID, CSRFToken: randomToken(32)}
	err = db.update(ctx, func(tx *Tx) error {
		s.CreatedAt, s.ExpiresAt = tx.now, tx.now.Add(SessionTTL)
		if _, err := tx.exec(`INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?, ?)`, hashToken(token), userID, s.CSRFToken, s.CreatedAt, s.ExpiresAt, tx.now); err != nil {
			return err
		}
		// Expired sessions are swept here rather than by a timer: logins are frequent enough.
		if _, err := tx.exec(`DELETE FROM sessions WHERE expires_at < ?`, tx.now); err != nil {
			return err
		}
		return tx.audit("login", "user", userID, nil)
	})
	return token, s, err
}

// SessionUser returns the session for the cookie value and its enabled user.
// Sessions in use are extended, at most once an hour to spare the writer.
func (db *DB) SessionUser(ctx context.Context, token string) (*vouch.User, *vouch.Session, error) {
	if token == "" {
		return nil, nil, vouch.Errorf(vouch.EUNAUTHORIZED, "Please sign in.")
	}
	id := hashToken(token)
	s := &vouch.Session{}
	var lastSeen time.Time
	row := db.queryRow(ctx, `SELECT `+prefixed("u.", userColumns)+`, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id)
	u := &vouch.User{}
	var role string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.Disabled, &u.TimeZone, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt,
		&s.CSRFToken, &s.CreatedAt, &s.ExpiresAt, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, vouch.Errorf(vouch.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	} else if err != nil {
		return nil, nil, err
	}
	u.Role = vouch.Role(role)
	s.UserID = u.ID
	now := db.Now()
	if now.After(s.ExpiresAt) || u.Disabled {
		return nil, nil, vouch.Errorf(vouch.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	if now.Sub(lastSeen) > time.Hour {
		s.ExpiresAt = now.Add(SessionTTL)
		_, err := db.write.ExecContext(ctx, db.q(`UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`), now, s.ExpiresAt, id)
		if err != nil {
			return nil, nil, err
		}
	}
	return u, s, nil
}

// DeleteSession ends the session with the cookie value (logout).
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.update(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.queryRow(`DELETE FROM sessions WHERE id = ? RETURNING user_id`, hashToken(token)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		return tx.audit("logout", "user", userID, nil)
	})
}

func prefixed(prefix, columns string) string {
	out := ""
	for i, c := range splitColumns(columns) {
		if i > 0 {
			out += ", "
		}
		out += prefix + c
	}
	return out
}

func splitColumns(columns string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(columns); i++ {
		if i == len(columns) || columns[i] == ',' {
			c := columns[start:i]
			for len(c) > 0 && (c[0] == ' ' || c[0] == '\n' || c[0] == '\t') {
				c = c[1:]
			}
			out = append(out, c)
			start = i + 1
		}
	}
	return out
}
