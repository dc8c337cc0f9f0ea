package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestChangeOwnPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		sam := testutil.Login(t, s, "sam@example.com")
		phone := testutil.Login(t, s, "sam@example.com")

		resp, body := sam.Get("/account")
		expect(t, "account", resp, http.StatusOK, "/account")
		mustContain(t, "account", body, "sam@example.com", "Seller", vouch.RoleSeller.Description(), "Change password")

		const newPW = "a much longer secret"
		resp, body = sam.PostForm("/account/password", url.Values{"current_password": {"wrong password"},
			"new_password": {newPW}, "confirm_password": {newPW}})
		expect(t, "wrong current", resp, http.StatusBadRequest, "/account/password")
		mustContain(t, "wrong current", body, `aria-invalid="true" aria-describedby="current_password-error"`,
			`id="current_password-error">This is not your current password.</p>`)

		resp, body = sam.PostForm("/account/password", url.Values{"current_password": {testutil.Password},
			"new_password": {"short"}, "confirm_password": {"short"}})
		expect(t, "short", resp, http.StatusBadRequest, "/account/password")
		mustContain(t, "short", body, `id="new_password-error">New password must be at least 10 characters.</p>`)

		resp, body = sam.PostForm("/account/password", url.Values{"current_password": {testutil.Password},
			"new_password": {newPW}, "confirm_password": {newPW + "x"}})
		expect(t, "mismatch", resp, http.StatusBadRequest, "/account/password")
		mustContain(t, "mismatch", body, `id="confirm_password-error">This does not match the new password.</p>`)

		if _, err := s.DB.Authenticate(ctx, "sam@example.com", testutil.Password); err != nil {
			t.Fatalf("after refused changes the old password fails: %v", err)
		}

		resp, body = sam.PostForm("/account/password", url.Values{"current_password": {testutil.Password},
			"new_password": {newPW}, "confirm_password": {newPW}})
		expect(t, "change", resp, http.StatusOK, "/account")
		mustContain(t, "change", body, "Your password is changed.")
		if _, err := s.DB.Authenticate(ctx, "sam@example.com", newPW); err != nil {
			t.Errorf("new password fails: %v", err)
		}
		if signedOut(t, sam) {
			t.Error("changing the password signed out the browser that changed it")
		}
		if !signedOut(t, phone) {
			t.Error("changing the password left another session signed in")
		}
	})
}
