package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestTopBarIsOneLineForEveryRole: at 1280 px the top bar of every role
// stays one line — its links, its menus and who is signed in — even with
// a long name, the longest role label and a three-digit count of unread
// notifications, as a program manager of the demo has; and the home page,
// which shows the long email address, does not scroll sideways.
func TestTopBarIsOneLineForEveryRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		c.Resize(1280, 800)
		for _, role := range []vouch.Role{vouch.RoleAdmin, vouch.RoleProgramManager, vouch.RoleTeamMember, vouch.RoleSeller, vouch.RoleViewer} {
			u := testutil.CreateUser(t, s.DB, "maximiliane.oberhauser@"+string(role)+".example.com", role)
			out := vouch.Outgoing{}
			for i := range 120 {
				out.Notifications = append(out.Notifications, vouch.Notification{UserID: u.ID, Body: fmt.Sprintf("Note %d", i), Link: "/"})
			}
			if err := s.DB.QueueMail(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			c.LoginAs(s, u.Email)
			bar := testutil.Eval[[]float64](c, `[document.querySelector("nav.nav").getBoundingClientRect().height,
				document.querySelector("nav.nav > a").getBoundingClientRect().height,
				document.querySelector(".whoami").getBoundingClientRect().top,
				document.querySelector("nav.nav > a").getBoundingClientRect().top,
				document.querySelector(".whoami").getBoundingClientRect().height]`)
			if bar[0] > bar[1]+1 {
				t.Errorf("%s: the navigation is %.0f px tall, want one line (%.0f px)", role, bar[0], bar[1])
			}
			if bar[2] > bar[3]+bar[1] {
				t.Errorf("%s: who is signed in is below the links (top %.0f, links at %.0f)", role, bar[2], bar[3])
			}
			checkNoHorizontalScroll(t, c, string(role)+"'s home at 1280 px")
			c.SignOut()
		}
	})
}
