package demo

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/password"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// SignIn is one demo login worth trying: a user of one role who still has
// the demo password.
type SignIn struct {
	Role  vouch.Role
	Email string
	Name  string
}

// signInRoles are the roles the start-up message offers, in its order: the
// admin sees everything, a program manager runs the request desk, a seller
// asks for references.
var signInRoles = []vouch.Role{vouch.RoleAdmin, vouch.RoleProgramManager, vouch.RoleSeller}

// SignIns lists, for each role in signInRoles, the first demo user (lowest
// id, address at example.com) whose password is still the demo password.
// A user who changed it is left out: their login is theirs now.
func SignIns(ctx context.Context, db *store.DB) ([]SignIn, error) {
	users, err := db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(users, func(a, b *vouch.User) int { return int(a.ID - b.ID) })
	var out []SignIn
	for _, role := range signInRoles {
		for _, u := range users {
			if u.Role != role || u.Disabled || !strings.HasSuffix(u.Email, "@example.com") {
				continue
			}
			ok, err := password.Check(Password, u.PasswordHash)
			if err != nil && !errors.Is(err, password.ErrMalformed) {
				return nil, err
			}
			if ok {
				out = append(out, SignIn{Role: role, Email: u.Email, Name: u.Name})
				break
			}
		}
	}
	return out, nil
}
