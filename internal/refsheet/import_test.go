package refsheet_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestImportMessyCSV(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		owner := mustUser(t, db, "owner@example.com")
		s := readFile(t, "messy.csv", refsheet.ReadOptions{})
		rep := apply(t, db, s, refsheet.Options{})
		wantErrors(t, rep)
		if rep.Rows != 3 || rep.Created != 3 || rep.AccountsCreated != 2 || !rep.Written {
			t.Errorf("report %+v", rep)
		}
		if !slices.Equal(rep.Ignored, []string{"Internal Notes"}) {
			t.Errorf("ignored %q", rep.Ignored)
		}
		w := load(t, db)
		maya := w.ref(t, "maya.okafor@northwind-health.com")
		acct := w.accts[maya.AccountID]
		if acct.Name != "Northwind Health" || acct.CRMID != "ACC-1" || acct.Domain != "northwind-health.com" ||
			w.values[acct.IndustryID] != "industry:Healthcare" || w.values[acct.RegionID] != "region:EMEA" ||
			w.values[acct.CountryID] != "country:Germany" || w.values[acct.SizeID] != "company_size:1,001–5,000" {
			t.Errorf("account %+v", acct)
		}
		if maya.Name != "Maya Okafor" || maya.Title != "Chief Information Officer" || maya.Seniority != "executive" ||
			maya.Phone != "+49 30 1234567" || maya.TimeZone != "Europe/Berlin" || strings.Join(maya.Languages, "|") != "German|English" ||
			maya.Deployment != "cloud" || maya.GoLive.String() != "2024-03-14" || maya.LastVerified.String() != "2026-03-14" ||
			maya.Status != vouch.StatusActive || maya.CRMID != "CON-1" || maya.OwnerID != owner.ID ||
			maya.Story != "Moved off Globex in 2024.\nCut reporting time from two days to two hours." {
			t.Errorf("maya %+v", maya)
		}
		if got := w.names(maya.ProductIDs); !slices.Equal(got, []string{"product:Analytics", "product:Security"}) {
			t.Errorf("products %v", got)
		}
		if got := w.names(maya.CompetitorIDs); !slices.Equal(got, []string{"competitor:Globex"}) {
			t.Errorf("competitors %v", got)
		}
		var acts []string
		for _, a := range maya.Activities {
			acts = append(acts, w.values[a.TypeID]+"@"+a.ConsentedOn.String())
		}
		slices.Sort(acts)
		if want := []string{"activity_type:Call@2025-11-02", "activity_type:Case study@", "activity_type:Site visit@"}; !slices.Equal(acts, want) {
			t.Errorf("activities %v, want %v", acts, want)
		}

		jonas := w.ref(t, "jonas@northwind-health.com")
		if jonas.AccountID != maya.AccountID || jonas.Deployment != "on-premises" || jonas.GoLive.String() != "2025-03-14" ||
			jonas.Status != vouch.StatusNominated || jonas.TimeZone != "UTC" || len(jonas.Activities) != 1 {
			t.Errorf("jonas %+v", jonas)
		}
		grace := w.ref(t, "grace@blueharbor.example")
		bank := w.accts[grace.AccountID]
		if grace.Name != "O'Neill, Grace" || grace.Status != vouch.StatusDoNotContact ||
			grace.StatusReason != "Asked not to be contacted during renewal" || grace.GoLive.String() != "2026-03-14" ||
			grace.Story != `Chose us over "Acme Corp" because of the integrations.` || grace.Seniority != "executive" {
			t.Errorf("grace %+v", grace)
		}
		if w.values[bank.CountryID] != "country:United States" || w.values[bank.SizeID] != "company_size:10,001+" ||
			bank.Domain != "blueharbor.example" {
			t.Errorf("bank %+v", bank)
		}
		if got := w.names(grace.UseCaseIDs); !slices.Equal(got, []string{"use_case:Cost reduction", "use_case:Revenue growth"}) {
			t.Errorf("use cases %v", got)
		}
	})
}
