package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAuthentication(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		challenge := func(want string) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				if got := r.header.Get("WWW-Authenticate"); got != want {
					t.Errorf("WWW-Authenticate %q, want %q", got, want)
				}
			}
		}
		f.run(t, []scenario{
			{name: "no token", method: "GET", path: "/api/v1/me", offSpec: true,
				status: 401, want: []string{`"code":"unauthorized"`, "Authorization: Bearer"},
				check: challenge(`Bearer realm="vouch"`)},
			{name: "not a token", method: "GET", path: "/api/v1/me", as: "bad",
				status: 401, want: []string{`"code":"unauthorized"`, "not valid or has been revoked"},
				check: challenge(`Bearer realm="vouch", error="invalid_token"`)},
			{name: "revoked token", method: "GET", path: "/api/v1/me", as: "revoked",
				status: 401, want: []string{`"code":"unauthorized"`},
				check: challenge(`Bearer realm="vouch", error="invalid_token"`)},
			{name: "disabled user's token", method: "GET", path: "/api/v1/me", as: "disabled",
				status: 401, want: []string{`"code":"unauthorized"`},
				check: challenge(`Bearer realm="vouch", error="invalid_token"`)},
		})

		// A session cookie or basic auth is not a bearer token.
		r := f.c.do(t, "GET", "/api/v1/me", "Basic YWRtaW46cGFzc3dvcmQ=", "", true)
		if r.status != http.StatusUnauthorized {
			t.Errorf("basic auth: status %d, want 401", r.status)
		}
	})
}

func TestMe(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		for _, role := range vouch.Roles {
			t.Run(string(role), func(t *testing.T) {
				var me struct {
					User        vouch.User         `json:"user"`
					Permissions []vouch.Permission `json:"permissions"`
				}
				f.get(t, string(role), "/api/v1/me", &me)
				want := f.users[string(role)]
				if me.User.ID != want.ID || me.User.Email != want.Email || me.User.Role != role {
					t.Errorf("me = %+v, want %s (%s)", me.User, want.Email, role)
				}
				if !slices.Equal(me.Permissions, role.Permissions()) {
					t.Errorf("permissions %v, want %v", me.Permissions, role.Permissions())
				}
			})
		}
	})
}

func TestUnknownEndpoints(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.run(t, []scenario{
			{name: "unknown path", method: "GET", path: "/api/v1/nope", as: "admin", offSpec: true,
				status: 404, want: []string{`"code":"not_found"`, "No API endpoint GET /api/v1/nope"}},
			{name: "unknown path without token", method: "GET", path: "/api/v1/nope", offSpec: true,
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "unknown method", method: "DELETE", path: "/api/v1/me", as: "admin", offSpec: true,
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "unknown version", method: "GET", path: "/api/v2/me", as: "admin", offSpec: true,
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}
