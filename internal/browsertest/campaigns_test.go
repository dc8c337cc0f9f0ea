package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestCampaignFromGapToNomination: at 375 px a program manager opens the
// coverage page, starts a recruiting campaign from the largest gap
// (Healthcare × Call), adds a contact at the best candidate, records the
// outreach with a reply and moves the contact to nominated — which makes a
// real nomination, counted on the campaign.
func TestCampaignFromGapToNomination(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		p := testutil.AddCoverageProgram(t, s.DB, pm.ID)
		c.LoginAs(s, "pam@example.com")
		c.Phone()
		c.Open(s.URL + "/")
		c.Submit(`.home-coverage a[href="/coverage"]`)
		first := `tr.coverage-cell[data-value="Healthcare"][data-activity="Call"]`
		if got := c.Text(first); !strings.Contains(got, "3.3") { // the default estimate: 30 % of deals, 1 reference each
			t.Fatalf("the largest gap: %q", got)
		}
		checkNoHorizontalScroll(t, c, "coverage")
		c.Submit(first + ` form.start-campaign button`)
		c.WaitText(".flash", "Campaign started")
		if got := c.Text("h1"); got != "Recruit for Healthcare × Call" {
			t.Errorf("campaign %q", got)
		}
		cand := `li[data-account="St Olave Hospitals"]`
		if got := c.Text(cand); !strings.Contains(got, "Health good") || !strings.Contains(got, "Customer for 3 years") {
			t.Errorf("the candidate's reasons: %q", got)
		}
		if c.Has(`li[data-account="Mercy Clinics"]`) {
			t.Error("an account with an active reference is a candidate")
		}
		checkNoHorizontalScroll(t, c, "campaign")
		c.Fill(cand+` input[name="name"]`, "Tomas Reyes")
		c.Fill(cand+` input[name="email"]`, "tomas.reyes@stolave.example")
		c.Submit(cand + ` button`)
		c.WaitText(".flash", "Tomas Reyes is to contact")
		for _, step := range []struct{ state, note string }{
			{"contacted", "Wrote after the QBR"},
			{"interested", "Replied: happy to take a call in March"},
			{"nominated", "Sponsor agreed"},
		} {
			row := `tr[data-state]:has(form.contact-move)`
			c.Select(row+` select[name="state"]`, step.state)
			c.Fill(row+` input[name="note"]`, step.note)
			c.Submit(row + ` form.contact-move button`)
		}
		c.WaitText(".flash", "is nominated")
		row := c.Text(`tr[data-state="nominated"]`)
		for _, want := range []string{"Nominated", "Replied: happy to take a call in March", "Sponsor agreed"} {
			if !strings.Contains(row, want) {
				t.Errorf("the contact after nominating: %q lacks %q", row, want)
			}
		}
		if got := c.Text(".campaign-funnel"); !strings.Contains(got, "1 nominated") {
			t.Errorf("funnel %q", got)
		}
		noms, err := s.DB.Nominations(context.Background(), store.NominationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(noms) != 1 || noms[0].AccountID != p.CandidateAccount.ID || noms[0].Email != "tomas.reyes@stolave.example" ||
			noms[0].NominatorID != pm.ID || !strings.Contains(noms[0].Reason, "Recruit for Healthcare × Call") {
			t.Fatalf("nominations %+v", noms)
		}
		c.Submit(`tr[data-state="nominated"] a[href^="/nominations/"]`)
		if got := c.Text("main"); !strings.Contains(got, "Tomas Reyes") {
			t.Errorf("the nomination page: %q", got)
		}
	})
}
