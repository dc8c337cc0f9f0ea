package api_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

func TestUsers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		admin, seller := f.users["admin"], f.users["seller"]
		user := func(want vouch.User) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				var got vouch.User
				r.decode(t, &got)
				if got.ID == 0 || got.Email != want.Email || got.Name != want.Name || got.Role != want.Role || got.Disabled != want.Disabled {
					t.Errorf("user %+v, want %+v", got, want)
				}
			}
		}
		users := 6 // one per role, and the disabled admin
		sellerPath := fmt.Sprintf("/api/v1/users/%d", seller.ID)
		adminPath := fmt.Sprintf("/api/v1/users/%d", admin.ID)

		f.run(t, []scenario{
			{name: "list", method: "GET", path: "/api/v1/users", as: "admin", status: 200,
				want: []string{`"email":"seller@example.com"`, fmt.Sprintf(`"total":%d`, users)},
				check: func(t *testing.T, r response) {
					var p page[map[string]any]
					r.decode(t, &p)
					for _, u := range p.Items {
						if _, ok := u["password_hash"]; ok {
							t.Error("a user's password hash is in the response")
						}
					}
				}},
			{name: "seller may not list", method: "GET", path: "/api/v1/users", as: "seller", status: 403},
			{name: "team member may not list", method: "GET", path: "/api/v1/users", as: "team_member", status: 403},
			{name: "get", method: "GET", path: sellerPath, as: "admin", status: 200,
				check: user(vouch.User{Email: "seller@example.com", Name: seller.Name, Role: vouch.RoleSeller})},
			{name: "seller may not get", method: "GET", path: sellerPath, as: "seller", status: 403},
			{name: "get missing", method: "GET", path: "/api/v1/users/999999", as: "admin", status: 404},
			{name: "get bad id", method: "GET", path: "/api/v1/users/abc", as: "admin", offSpec: true, status: 404},

			{name: "create", method: "POST", path: "/api/v1/users", as: "admin",
				body:   `{"email": " Grace@Example.com ", "name": " Grace Hopper ", "role": "team_member", "password": "a long enough password", "time_zone": "Europe/Berlin"}`,
				status: 201, check: user(vouch.User{Email: "grace@example.com", Name: "Grace Hopper", Role: vouch.RoleTeamMember}),
				want: []string{`"time_zone":"Europe/Berlin"`}},
			{name: "create with an unknown time zone", method: "POST", path: "/api/v1/users", as: "admin",
				body:   `{"email": "kai@example.com", "name": "Kai", "role": "seller", "password": "a long enough password", "time_zone": "Mars/Olympus"}`,
				status: 400, fields: []string{"time_zone"}},
			{name: "create duplicate email", method: "POST", path: "/api/v1/users", as: "admin",
				body:   `{"email": "GRACE@example.com", "name": "Grace", "role": "viewer", "password": "a long enough password"}`,
				status: 409, fields: []string{"email"}},
			{name: "create with every field wrong", method: "POST", path: "/api/v1/users", as: "admin",
				body:    `{"email": "grace", "name": "", "role": "boss", "password": "short"}`,
				offSpec: true, status: 400, fields: []string{"email", "name", "role", "password"},
				want: []string{"Please correct the 4 highlighted fields."}},
			{name: "create with blank name and bad email", method: "POST", path: "/api/v1/users", as: "admin",
				body:   `{"email": "grace@localhost", "name": "   ", "role": "viewer", "password": "a long enough password"}`,
				status: 400, fields: []string{"email", "name"}},
			{name: "create with nothing", method: "POST", path: "/api/v1/users", as: "admin",
				body: `{}`, offSpec: true, status: 400, fields: []string{"email", "name", "role", "password"}},
			{name: "create with unknown field", method: "POST", path: "/api/v1/users", as: "admin",
				body:    `{"email": "x@example.com", "name": "X", "role": "viewer", "password": "a long enough password", "admin": true}`,
				offSpec: true, status: 400, fields: []string{"admin"}},
			{name: "create with malformed JSON", method: "POST", path: "/api/v1/users", as: "admin",
				body: `{"email": `, offSpec: true, status: 400, want: []string{"not valid JSON"}},
			{name: "seller may not create", method: "POST", path: "/api/v1/users", as: "seller",
				body:   `{"email": "x@example.com", "name": "X", "role": "admin", "password": "a long enough password"}`,
				status: 403},

			{name: "change role", method: "PATCH", path: sellerPath, as: "admin", body: `{"role": "program_manager"}`,
				status: 200, check: user(vouch.User{Email: "seller@example.com", Name: seller.Name, Role: vouch.RoleProgramManager})},
			{name: "rename and disable", method: "PATCH", path: sellerPath, as: "admin", body: `{"name": "Sam Seller", "disabled": true}`,
				status: 200, check: user(vouch.User{Email: "seller@example.com", Name: "Sam Seller", Role: vouch.RoleProgramManager, Disabled: true})},
			{name: "disabled user's token stops working", method: "GET", path: "/api/v1/me", as: "seller", status: 401},
			{name: "enable", method: "PATCH", path: sellerPath, as: "admin", body: `{"disabled": false}`,
				status: 200, want: []string{`"disabled":false`}},
			{name: "set time zone", method: "PATCH", path: sellerPath, as: "admin", body: `{"time_zone": "America/Denver"}`,
				status: 200, want: []string{`"time_zone":"America/Denver"`}},
			{name: "unknown time zone", method: "PATCH", path: sellerPath, as: "admin", body: `{"time_zone": "Local"}`,
				status: 400, fields: []string{"time_zone"}},
			{name: "back to the program's zone", method: "PATCH", path: sellerPath, as: "admin", body: `{"time_zone": ""}`,
				status: 200, want: []string{`"time_zone":""`}},
			{name: "unknown role", method: "PATCH", path: sellerPath, as: "admin", body: `{"role": "boss"}`,
				offSpec: true, status: 400, fields: []string{"role"}},
			{name: "role of the wrong type", method: "PATCH", path: sellerPath, as: "admin", body: `{"role": 5}`,
				offSpec: true, status: 400, fields: []string{"role"}, want: []string{"must be a string"}},
			{name: "blank name", method: "PATCH", path: sellerPath, as: "admin", body: `{"name": " "}`,
				status: 400, fields: []string{"name"}},
			{name: "email cannot change", method: "PATCH", path: sellerPath, as: "admin", body: `{"email": "new@example.com"}`,
				offSpec: true, status: 400, fields: []string{"email"}},
			{name: "last admin cannot be demoted", method: "PATCH", path: adminPath, as: "admin", body: `{"role": "viewer"}`,
				status: 409, want: []string{`"code":"conflict"`, "last admin"}},
			{name: "last admin cannot be disabled", method: "PATCH", path: adminPath, as: "admin", body: `{"disabled": true}`,
				status: 409},
			{name: "patch missing user", method: "PATCH", path: "/api/v1/users/999999", as: "admin", body: `{"name": "X"}`,
				status: 404},
			{name: "program manager may not patch users", method: "PATCH", path: sellerPath, as: "seller", body: `{"role": "admin"}`,
				status: 403},
		})

		// With a second admin the first may step down.
		f.run(t, []scenario{
			{name: "promote", method: "PATCH", path: sellerPath, as: "admin", body: `{"role": "admin"}`, status: 200},
			{name: "first admin steps down", method: "PATCH", path: adminPath, as: "admin", body: `{"role": "viewer"}`,
				status: 200, want: []string{`"role":"viewer"`}},
			{name: "and has lost the right", method: "GET", path: "/api/v1/users", as: "admin", status: 403},
		})

		t.Run("pages", func(t *testing.T) {
			seen := map[int64]bool{}
			q := url.Values{"limit": {"2"}}
			var pages int
			for pages = 1; pages < 10; pages++ {
				var p page[vouch.User]
				f.get(t, "seller", "/api/v1/users?"+q.Encode(), &p)
				if p.Total != users+1 {
					t.Fatalf("total %d, want %d", p.Total, users+1)
				}
				for _, u := range p.Items {
					if seen[u.ID] {
						t.Fatalf("user %d on two pages", u.ID)
					}
					seen[u.ID] = true
				}
				if p.NextCursor == "" {
					break
				}
				q.Set("cursor", p.NextCursor)
			}
			if len(seen) != users+1 || pages != 4 {
				t.Errorf("%d users on %d pages, want %d on 4", len(seen), pages, users+1)
			}
		})
	})
}
