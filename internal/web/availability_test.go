package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestOnlyAskableReferencesShowFreeCapacity: a retired or nominated
// reference with every slot free is not "free": the lists and the profile
// say why it is not asked instead of showing its capacity in green.
func TestOnlyAskableReferencesShowFreeCapacity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		active := l.reference(t, "Ava Active", 3)
		retired := l.reference(t, "Rita Retired", 3)
		if _, err := s.DB.ChangeStatus(ctx, retired.ID, 0, vouch.StatusChange{To: vouch.StatusRetired, Reason: "Left the company"}); err != nil {
			t.Fatal(err)
		}
		nominated := &vouch.Reference{AccountID: l.acct.ID, Name: "Nina Nominated", Status: vouch.StatusNominated, Email: "nina@acme.example"}
		if err := s.DB.CreateReference(ctx, nominated); err != nil {
			t.Fatal(err)
		}
		tess := testutil.Login(t, s, "tess@example.com")
		row := func(body, name string) string {
			i := strings.Index(body, name+"</strong>")
			if i < 0 {
				t.Fatalf("%s is not listed", name)
			}
			end := strings.Index(body[i:], "</tr>")
			return body[i : i+end]
		}
		for _, page := range []string{"/references?status=active&status=retired&status=nominated", "/accounts/" + idOf(l.acct.ID)} {
			resp, body := tess.Get(page)
			expect(t, page, resp, http.StatusOK, strings.Split(page, "?")[0])
			if r := row(body, "Ava Active"); !strings.Contains(r, "0 of 3 used") {
				t.Errorf("%s: the active reference's capacity is not shown: %s", page, r)
			}
			for name, note := range map[string]string{"Rita Retired": "Retired — not asked any more: Left the company",
				"Nina Nominated": "Nominated — not asked before qualifying"} {
				r := row(body, name)
				if strings.Contains(r, " used<") || strings.Contains(r, "pill-ok") || !strings.Contains(r, note) {
					t.Errorf("%s: %s shows %s, want %q and no capacity", page, name, r, note)
				}
			}
		}
		_, body := tess.Get("/references/" + idOf(retired.ID))
		mustContain(t, "retired profile", body, "Not to be asked now:</strong> Retired — not asked any more — “Left the company”")
		if strings.Contains(body, "free now") {
			t.Error("the retired reference's profile says it has slots free now")
		}
		_, body = tess.Get("/references/" + idOf(active.ID))
		mustContain(t, "active profile", body, "3 free now")
	})
}
