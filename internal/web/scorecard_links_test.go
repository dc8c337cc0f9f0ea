package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The scorecard offers sharing and scheduled mail to those who may use
// them, and to nobody else: every role, each way.
func TestScorecardLinksToSharingOnlyForThoseWhoMayShare(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.AddScorecardDeals(t, s.DB)
		for _, role := range []vouch.Role{vouch.RoleAdmin, vouch.RoleProgramManager, vouch.RoleTeamMember, vouch.RoleSeller, vouch.RoleViewer} {
			email := string(role) + "@example.com"
			testutil.CreateUser(t, s.DB, email, role)
			b := testutil.Login(t, s, email)
			resp, body := b.Get("/scorecard?period=2026-Q3")
			expect(t, string(role), resp, http.StatusOK, "/scorecard")
			may := role.Can(vouch.PermShareScorecard)
			for _, link := range []string{`href="/scorecard/shares?period=2026-Q3"`, `href="/scorecard/schedules"`} {
				if strings.Contains(body, link) != may {
					t.Errorf("%s (may share: %v): the scorecard has %s: %v", role, may, link, !may)
				}
			}
			if !may && strings.Contains(body, "/scorecard/s") {
				t.Errorf("%s is offered a sharing page", role)
			}
			want := http.StatusForbidden
			if may {
				want = http.StatusOK
			}
			for _, path := range []string{"/scorecard/shares", "/scorecard/schedules"} {
				if resp, _ := b.Get(path); resp.StatusCode != want {
					t.Errorf("%s opens %s: %d, want %d", role, path, resp.StatusCode, want)
				}
			}
		}
	})
}
