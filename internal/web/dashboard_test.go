package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A demo's home page offers three first things to try, each linking only
// where the viewer may go; the program team has the outbox in the
// navigation, sellers do not.
func TestDemoHomeOffersFirstThings(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pm@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		pm, seller := testutil.Login(t, s, "pm@example.com"), testutil.Login(t, s, "sam@example.com")

		_, body := pm.Get("/")
		if strings.Contains(body, "First things to try") {
			t.Fatalf("a program that is not a demo offers the demo's first things:\n%s", body)
		}
		if err := s.DB.SetSetting(ctx, store.SettingDemo, "loaded"); err != nil {
			t.Fatal(err)
		}

		resp, body := pm.Get("/")
		expect(t, "program manager's home", resp, http.StatusOK, "/")
		mustContain(t, "program manager's home", body, "First things to try in this demo",
			`href="/references?q=healthcare"`, `href="/requests/new"`, `<a href="/admin/outbox"><strong>Answer as the advocate`,
			`<a href="/admin/outbox" >Outbox</a>`)
		resp, _ = pm.Get("/admin/outbox")
		expect(t, "outbox", resp, http.StatusOK, "/admin/outbox")

		resp, body = seller.Get("/")
		expect(t, "seller's home", resp, http.StatusOK, "/")
		mustContain(t, "seller's home", body, "First things to try in this demo",
			`href="/references?q=healthcare"`, `href="/requests/new"`, "sign in as the program manager named when Vouch started")
		if strings.Contains(body, `href="/admin/outbox"`) {
			t.Errorf("the seller's home links to the outbox, which they may not open:\n%s", body)
		}
	})
}
