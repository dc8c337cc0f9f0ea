package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vouchhq/vouch/internal/password"
	"github.com/vouchhq/vouch/internal/vouch"
)

const userColumns = `id, email, name, role, disabled, time_zone, password_hash, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (*vouch.User, error) {
	u := &vouch.User{}
	var role string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.Disabled, &u.TimeZone, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return nil, err
	}
	u.Role = vouch.Role(role)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, nil
}

// CreateUser validates u, hashes pw with argon2id and stores both.
func (db *DB) CreateUser(ctx context.Context, u *vouch.User, pw string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if msg := vouch.ValidatePassword(pw); msg != "" {
		return &vouch.Error{Code: vouch.EINVALID, Message: "Please choose a longer password.", Fields: map[string]string{"password": msg}}
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO users (email, name, role, disabled, time_zone, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, string(u.Role), u.Disabled, u.TimeZone, hash, tx.now, tx.now)
		if err != nil {
			if isUnique(err) {
				return &vouch.Error{Code: vouch.ECONFLICT, Message: "A user with that email already exists.",
					Fields: map[string]string{"email": "is already taken"}}
			}
			return err
		}
		u.ID, u.PasswordHash, u.CreatedAt, u.UpdatedAt = id, hash, tx.now, tx.now
		changes := []vouch.Change{
			{Field: "email", After: u.Email}, {Field: "name", After: u.Name}, {Field: "role", After: u.Role},
			{Field: "disabled", After: u.Disabled}}
		if u.TimeZone != "" {
			changes = append(changes, vouch.Change{Field: "time_zone", After: u.TimeZone})
		}
		return tx.audit("create", "user", id, changes)
	})
	return err
}

// User returns the user with id.
func (db *DB) User(ctx context.Context, id int64) (*vouch.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User", id)
	}
	return u, err
}

// UserByEmail returns the user with the address, compared case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (*vouch.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, vouch.NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "No user with email %s.", email)
	}
	return u, err
}

// ListUsers returns every user ordered by name.
func (db *DB) ListUsers(ctx context.Context) ([]*vouch.User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many users exist.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UpdateUser changes the fields set in upd. Disabling a user or changing its
// role ends its sessions, so the change takes effect at once. The last enabled
// admin cannot be demoted or disabled: someone must always be able to manage users.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd vouch.UserUpdate) (*vouch.User, error) {
	var out *vouch.User
	err := db.update(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("User", id)
		} else if err != nil {
			return err
		}
		before := *u
		if upd.Name != nil {
			u.Name = *upd.Name
		}
		if upd.Role != nil {
			u.Role = *upd.Role
		}
		if upd.Disabled != nil {
			u.Disabled = *upd.Disabled
		}
		if upd.TimeZone != nil {
			u.TimeZone = *upd.TimeZone
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if before.Role == vouch.RoleAdmin && !before.Disabled && (u.Role != vouch.RoleAdmin || u.Disabled) {
			var admins int
			if err := tx.queryRow(`SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled`).Scan(&admins); err != nil {
				return err
			}
			if admins <= 1 {
				return vouch.Errorf(vouch.ECONFLICT, "%s is the last admin; make someone else an admin first.", u.Email)
			}
		}
		var changes []vouch.Change
		changes = vouch.Diff(changes, "name", before.Name, u.Name)
		changes = vouch.Diff(changes, "role", before.Role, u.Role)
		changes = vouch.Diff(changes, "disabled", before.Disabled, u.Disabled)
		changes = vouch.Diff(changes, "time_zone", before.TimeZone, u.TimeZone)
		out = u
		if len(changes) == 0 {
			return nil
		}
		u.UpdatedAt = tx.now
		if _, err := tx.exec(`UPDATE users SET name = ?, role = ?, disabled = ?, time_zone = ?, updated_at = ? WHERE id = ?`,
			u.Name, string(u.Role), u.Disabled, u.TimeZone, u.UpdatedAt, id); err != nil {
			return err
		}
		if u.Disabled || u.Role != before.Role {
			if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return tx.audit("update", "user", id, changes)
	})
	return out, err
}

// SetPassword replaces a user's password and ends all its sessions.
func (db *DB) SetPassword(ctx context.Context, id int64, pw string) error {
	if msg := vouch.ValidatePassword(pw); msg != "" {
		return &vouch.Error{Code: vouch.EINVALID, Message: "Please choose a longer password.", Fields: map[string]string{"password": msg}}
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("User", id)
		}
		if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		// The hash itself is never logged, only that it changed.
		return tx.audit("update", "user", id, []vouch.Change{{Field: "password", Before: "(hidden)", After: "(changed)"}})
	})
}

// Authenticate returns the enabled user with email and password, or an
// EUNAUTHORIZED error that does not say which of the two was wrong.
func (db *DB) Authenticate(ctx context.Context, email, pw string) (*vouch.User, error) {
	bad := vouch.Errorf(vouch.EUNAUTHORIZED, "Email or password is incorrect.")
	u, err := db.UserByEmail(ctx, email)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		password.CheckDummy(pw)
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	ok, err := password.Check(pw, u.PasswordHash)
	if err != nil || !ok {
		return nil, bad
	}
	if u.Disabled {
		return nil, vouch.Errorf(vouch.EUNAUTHORIZED, "This account is disabled. Ask an admin to enable it.")
	}
	return u, nil
}
