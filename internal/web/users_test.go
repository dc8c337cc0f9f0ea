package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAdminAddsUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")

		resp, body := admin.Get("/admin/users")
		expect(t, "users page", resp, http.StatusOK, "/admin/users")
		// The address may break at its @, and only there.
		mustContain(t, "users page", body, `<span class="email" title="ada@example.com"><span>ada</span><wbr><span>@example.com</span></span>`, "Add user", vouch.RoleSeller.Description())

		resp, body = admin.PostForm("/admin/users", url.Values{"email": {"Bea@Example.com"}, "name": {"Bea Seller"},
			"role": {"seller"}, "password": {testutil.Password}})
		expect(t, "add user", resp, http.StatusOK, "/admin/users")
		mustContain(t, "after adding", body, "Added Bea Seller (bea@example.com) as seller", "bea@example.com", ">Active<")

		// The new user can sign in at once, and a seller may not manage users.
		bea := testutil.Login(t, s, "bea@example.com")
		resp, body = bea.Get("/admin/users")
		expect(t, "seller on /admin/users", resp, http.StatusForbidden, "/admin/users")
		mustContain(t, "seller on /admin/users", body, "Not allowed", "Your role does not allow this page")
		resp, _ = bea.PostForm("/admin/users", url.Values{"email": {"eve@example.com"}, "name": {"Eve"},
			"role": {"admin"}, "password": {testutil.Password}})
		expect(t, "seller adding a user", resp, http.StatusForbidden, "")
		if n, _ := s.DB.CountUsers(ctx); n != 2 {
			t.Errorf("%d users, want 2", n)
		}
	})
}

func TestAddUserErrorsShowNextToFields(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")

		resp, body := admin.PostForm("/admin/users", url.Values{"email": {"not-an-email"}, "name": {"Bea"},
			"role": {"team_member"}, "password": {"short"}})
		expect(t, "invalid user", resp, http.StatusBadRequest, "/admin/users")
		mustContain(t, "invalid user", body,
			`aria-invalid="true" aria-describedby="email-error"`,
			`<p class="field-error" id="email-error">Email must be an address like name@example.com.</p>`,
			`id="password-error">Password must be at least 10 characters.</p>`, "Please correct the 2 highlighted fields.",
			`value="not-an-email"`, `value="Bea"`, `<option value="team_member" selected>`)
		if n, _ := s.DB.CountUsers(ctx); n != 1 {
			t.Errorf("after an invalid form there are %d users, want 1", n)
		}

		resp, body = admin.PostForm("/admin/users", url.Values{"email": {"ADA@example.com"}, "name": {"Ada 2"},
			"role": {"seller"}, "password": {testutil.Password}})
		expect(t, "duplicate email", resp, http.StatusConflict, "/admin/users")
		mustContain(t, "duplicate email", body, "A user with that email already exists.",
			`id="email-error">Email is already taken.</p>`)
	})
}

func TestEditUserRoleAndDisable(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		bea := testutil.CreateUser(t, s.DB, "bea@example.com", vouch.RoleSeller)
		admin := testutil.Login(t, s, "ada@example.com")
		beaBrowser := testutil.Login(t, s, "bea@example.com")
		path := fmt.Sprintf("/admin/users/%d", bea.ID)

		resp, body := admin.Get(path)
		expect(t, "edit page", resp, http.StatusOK, path)
		mustContain(t, "edit page", body, "Details and access", "Reset password", "Recent activity")

		// A role change ends the user's sessions, so it takes effect at once.
		resp, body = admin.PostForm(path, url.Values{"name": {"Bea B"}, "role": {"team_member"}})
		expect(t, "role change", resp, http.StatusOK, path)
		mustContain(t, "role change", body, "Saved Bea B.", "role: seller → team_member", "name: Bea → Bea B")
		if !signedOut(t, beaBrowser) {
			t.Error("after a role change the user is still signed in")
		}
		beaBrowser = testutil.Login(t, s, "bea@example.com")
		_, body = beaBrowser.Get("/")
		mustContain(t, "dashboard after role change", body, "Team member")

		// Disabling signs the user out and keeps them out.
		resp, body = admin.PostForm(path, url.Values{"name": {"Bea B"}, "role": {"team_member"}, "disabled": {"1"}})
		expect(t, "disable", resp, http.StatusOK, path)
		mustContain(t, "disable", body, "cannot sign in until enabled again", ">Disabled<")
		if !signedOut(t, beaBrowser) {
			t.Error("a disabled user is still signed in")
		}
		if _, err := s.DB.Authenticate(ctx, "bea@example.com", testutil.Password); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("disabled user signs in: %v", err)
		}
		_, body = admin.Get("/admin/users")
		mustContain(t, "users list", body, `<span class="pill pill-bad">Disabled</span>`)

		// Invalid edits keep the typed values and name the field.
		resp, body = admin.PostForm(path, url.Values{"name": {"  "}, "role": {"team_member"}, "disabled": {"1"}})
		expect(t, "empty name", resp, http.StatusBadRequest, path)
		mustContain(t, "empty name", body, `id="name-error">Name is required.</p>`)

		resp, _ = admin.Get("/admin/users/999999")
		expect(t, "missing user", resp, http.StatusNotFound, "")
		resp, _ = admin.Get("/admin/users/abc")
		expect(t, "bad id", resp, http.StatusNotFound, "")
	})
}

func TestLastAdminCannotDemoteSelf(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		ada := testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")
		path := fmt.Sprintf("/admin/users/%d", ada.ID)

		for _, form := range []url.Values{
			{"name": {"Ada"}, "role": {"seller"}},
			{"name": {"Ada"}, "role": {"admin"}, "disabled": {"1"}},
		} {
			resp, body := admin.PostForm(path, form)
			expect(t, "demote last admin", resp, http.StatusConflict, path)
			mustContain(t, "demote last admin", body, "ada@example.com is the last admin; make someone else an admin first.")
		}
		if u := userByEmail(t, s.DB, "ada@example.com"); u.Role != vouch.RoleAdmin || u.Disabled {
			t.Errorf("last admin is now %s (disabled %v)", u.Role, u.Disabled)
		}
		if signedOut(t, admin) {
			t.Error("a refused change signed the admin out")
		}

		// With a second admin, stepping down works, and signs the first out.
		testutil.CreateUser(t, s.DB, "bob@example.com", vouch.RoleAdmin)
		resp, body := admin.PostForm(path, url.Values{"name": {"Ada"}, "role": {"program_manager"}})
		expect(t, "step down", resp, http.StatusOK, "/login")
		mustContain(t, "step down", body, "Saved Ada.")
		resp, _ = testutil.Login(t, s, "ada@example.com").Get("/admin/users")
		expect(t, "former admin", resp, http.StatusForbidden, "")
	})
}

func TestAdminResetsPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		ada := testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		bea := testutil.CreateUser(t, s.DB, "bea@example.com", vouch.RoleSeller)
		admin := testutil.Login(t, s, "ada@example.com")
		beaBrowser := testutil.Login(t, s, "bea@example.com")
		path := fmt.Sprintf("/admin/users/%d", bea.ID)

		resp, body := admin.PostForm(path+"/password", url.Values{"password": {"short"}})
		expect(t, "short password", resp, http.StatusBadRequest, path+"/password")
		mustContain(t, "short password", body, `id="password-error">New password must be at least 10 characters.</p>`)

		resp, body = admin.PostForm(path+"/password", url.Values{"password": {"a brand new secret"}})
		expect(t, "reset", resp, http.StatusOK, path)
		mustContain(t, "reset", body, "Password reset for Bea.")
		if _, err := s.DB.Authenticate(ctx, "bea@example.com", "a brand new secret"); err != nil {
			t.Errorf("new password does not work: %v", err)
		}
		if !signedOut(t, beaBrowser) {
			t.Error("after a password reset the user is still signed in")
		}

		// Resetting one's own password keeps this browser signed in.
		resp, _ = admin.PostForm(fmt.Sprintf("/admin/users/%d/password", ada.ID), url.Values{"password": {"another new secret"}})
		expect(t, "own reset", resp, http.StatusOK, fmt.Sprintf("/admin/users/%d", ada.ID))
		if signedOut(t, admin) {
			t.Error("resetting one's own password signed this browser out")
		}
	})
}
