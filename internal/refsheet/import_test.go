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

func TestImportBrokenFiles(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		before := auditCount(t, db)
		rep := apply(t, db, readFile(t, "bad_rows.csv", refsheet.ReadOptions{}), refsheet.Options{})
		wantErrors(t, rep,
			"row 2, column 'Email': 'maya@northwind' — not an email address like name@example.com",
			"row 2, column 'Industry': 'Heathcare' — did you mean 'Healthcare'?",
			"row 3, column 'Products': 'Analytcs' — did you mean 'Analytics'?",
			"row 3, column 'Go-Live': '14/03/2026' — not a date: slashed dates are read as month/day/year; write it as YYYY-MM-DD, e.g. 2026-03-14",
			"row 3, column 'Status': 'Activ' — did you mean 'Active'?",
			"row 3, column 'Capacity': 'lots' — not a whole number of activities per 90 days",
			"row 3, column 'Owner': 'nobody@example.com' — no Vouch user has this email",
			"row 4, column 'Name': is empty; every reference needs a name",
			"row 4, column 'Industry': 'Agritech' — not a known industry",
			"row 5, column 'Email': 'tom@cedar.example' — the same email as row 4",
		)
		if rep.Rejected != 4 || rep.Written || rep.Created != 0 {
			t.Errorf("report %+v", rep)
		}
		rep = apply(t, db, readFile(t, "duplicates.csv", refsheet.ReadOptions{}), refsheet.Options{})
		wantErrors(t, rep,
			"row 4, column 'Email': 'MAYA@northwind.example' — the same email as row 2",
			"row 5, column 'CRM ID': 'CON-2' — the same CRM ID as row 3",
		)
		rep = apply(t, db, readFile(t, "ragged.csv", refsheet.ReadOptions{}), refsheet.Options{})
		wantErrors(t, rep,
			"row 3: a cell to the right of the last header ('maya2@northwind.example'); put cells that contain the separator in quotes",
			"row 3, column 'Email': 'Maya' — not an email address like name@example.com",
		)
		_, err := refsheet.Apply(ctx, db, readFile(t, "missing_name.csv", refsheet.ReadOptions{}), nil, refsheet.Options{}, nil)
		if err == nil || err.Error() != "missing_name.csv: No column for name, which every reference needs. The headers found are 'Company', 'Email Address', 'Job Title'; map one of them to name." {
			t.Errorf("missing name column: %v", err)
		}
		if n, _ := db.CountReferences(ctx); n != 0 || auditCount(t, db) != before {
			t.Errorf("broken files wrote %d references, %d audit entries", n, auditCount(t, db)-before)
		}
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		text := "Account,Name,Email,Region\n" +
			"Northwind Health,Maya Okafor,maya@northwind.example,EMEA\n" +
			"Blue Harbor Bank,Grace O'Neill,grace@blueharbor.example,Atlantis\n" +
			"Cedar Labs,Tom Becker,tom@cedar.example,APAC\n"
		before := auditCount(t, db)
		rep := apply(t, db, readText(t, text), refsheet.Options{})
		wantErrors(t, rep, "row 3, column 'Region': 'Atlantis' — not a known region")
		if rep.Written || rep.Created != 2 || rep.Rejected != 1 {
			t.Errorf("report %+v", rep)
		}
		if n, _ := db.CountReferences(ctx); n != 0 || auditCount(t, db) != before {
			t.Fatalf("one bad row, yet %d references and %d audit entries were written", n, auditCount(t, db)-before)
		}
		accounts, _ := db.AllAccounts(ctx)
		if len(accounts) != 0 {
			t.Errorf("accounts written: %d", len(accounts))
		}

		// A dry run says the same and writes nothing either.
		s := readText(t, text)
		plan, err := refsheet.Plan(ctx, db, s, refsheet.AutoMap(s.Headers), refsheet.Options{ValidOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		wantErrors(t, plan, "row 3, column 'Region': 'Atlantis' — not a known region")
		if plan.Written || plan.Created != 2 || plan.AccountsCreated != 2 || auditCount(t, db) != before {
			t.Errorf("dry run: %+v", plan)
		}

		// "Import the valid rows": the two good ones, and not the bad one's account.
		rep = apply(t, db, readText(t, text), refsheet.Options{ValidOnly: true})
		if !rep.Written || rep.Created != 2 || rep.Rejected != 1 || rep.AccountsCreated != 2 || len(rep.Errors) != 1 {
			t.Errorf("valid only: %+v", rep)
		}
		w := load(t, db)
		if len(w.snap.References) != 2 || len(w.snap.Accounts) != 2 {
			t.Errorf("valid only wrote %d references, %d accounts", len(w.snap.References), len(w.snap.Accounts))
		}
		// Two references and two accounts, each one audit entry.
		if got := auditCount(t, db) - before; got != 4 {
			t.Errorf("%d audit entries, want 4", got)
		}
	})
}

func TestReimportChangesNothing(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		mustUser(t, db, "owner@example.com")
		s := readFile(t, "messy.csv", refsheet.ReadOptions{})
		apply(t, db, s, refsheet.Options{})
		before := auditCount(t, db)
		last, _ := db.LastChangeID(ctx)
		rep := apply(t, db, s, refsheet.Options{})
		wantErrors(t, rep)
		if rep.Unchanged != 3 || rep.Created != 0 || rep.Updated != 0 || rep.AccountsCreated != 0 || rep.AccountsUpdated != 0 {
			t.Errorf("re-import: %+v", rep)
		}
		if after, _ := db.LastChangeID(ctx); auditCount(t, db) != before || after != last {
			t.Errorf("re-import wrote %d audit entries", auditCount(t, db)-before)
		}
		// The same data in another order and spelling is no change either.
		text := "Reference Name,Company,Email Address,Products,Activities,Country,Employees\n" +
			"Maya Okafor,northwind health,MAYA.OKAFOR@northwind-health.com,\"Security, Analytics\",\"site visit; Call; Case Study\",germany,1001-5000\n"
		rep = apply(t, db, readText(t, text), refsheet.Options{})
		wantErrors(t, rep)
		if rep.Unchanged != 1 || auditCount(t, db) != before {
			t.Errorf("re-spelt re-import: %+v, %d audit entries", rep, auditCount(t, db)-before)
		}
	})
}

func TestImportUpserts(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		first := "Account,Account CRM ID,Name,Email,CRM ID,Title,Status,Activities\n" +
			"Northwind Health,ACC-1,Maya Okafor,maya@northwind.example,CON-1,CIO,Active,Call (2025-11-02); Case study\n" +
			"Northwind Health,ACC-1,Jonas Lindqvist,jonas@northwind.example,,Head of Data,Nominated,\n" +
			"Cedar Labs,,Tom Becker,,,Developer,Qualifying,\n"
		rep := apply(t, db, readText(t, first), refsheet.Options{})
		wantErrors(t, rep)
		if rep.Created != 3 || rep.AccountsCreated != 2 {
			t.Fatalf("first import: %+v", rep)
		}

		second := "Account,Account CRM ID,Name,Email,CRM ID,Title,Status,Status Reason,Case study (Y/N)\n" +
			// By CRM ID: a new email, the account renamed (found by its CRM ID); "N" withdraws the case study.
			"Northwind Health Group,ACC-1,Maya Okafor,maya.okafor@northwind.example,CON-1,CIO,,,N\n" +
			// By email: gains a CRM ID and a title, and moves on in the lifecycle.
			"Northwind Health Group,ACC-1,Jonas Lindqvist,JONAS@northwind.example,CON-2,VP Data,Qualifying,,\n" +
			// By name within its account (no email, no CRM ID): the lifecycle refuses qualifying → retired without a reason.
			"cedar labs,,Tom Becker,,,Developer,Retired,,\n"
		rep = apply(t, db, readText(t, second), refsheet.Options{})
		wantErrors(t, rep, "row 4, column 'Status': 'Retired' — a reason is required when a reference becomes retired; give one in a Status Reason column")

		third := strings.Replace(second, "Retired,,", "Active,,", 1)
		rep = apply(t, db, readText(t, third), refsheet.Options{})
		wantErrors(t, rep)
		if rep.Updated != 3 || rep.Created != 0 || rep.AccountsUpdated != 1 || rep.AccountsCreated != 0 {
			t.Errorf("upsert: %+v", rep)
		}
		w := load(t, db)
		maya := w.ref(t, "maya.okafor@northwind.example")
		if maya.CRMID != "CON-1" || len(maya.Activities) != 1 || w.values[maya.Activities[0].TypeID] != "activity_type:Call" ||
			maya.Activities[0].ConsentedOn.String() != "2025-11-02" || maya.Status != vouch.StatusActive {
			t.Errorf("maya %+v", maya)
		}
		if a := w.accts[maya.AccountID]; a.Name != "Northwind Health Group" || a.CRMID != "ACC-1" {
			t.Errorf("account %+v", a)
		}
		jonas := w.ref(t, "jonas@northwind.example")
		if jonas.CRMID != "CON-2" || jonas.Title != "VP Data" || jonas.Status != vouch.StatusQualifying {
			t.Errorf("jonas %+v", jonas)
		}
		tom := w.ref(t, "Tom Becker")
		if tom.Status != vouch.StatusActive || len(w.snap.References) != 3 {
			t.Errorf("tom %+v; %d references", tom, len(w.snap.References))
		}
		hist, err := db.StatusHistory(ctx, jonas.ID)
		if err != nil || len(hist) != 2 || hist[1].From != vouch.StatusNominated || hist[1].To != vouch.StatusQualifying || hist[1].Actor != "test" {
			t.Errorf("jonas's history %+v %v", hist, err)
		}

		// A lifecycle move that is never allowed.
		rep = apply(t, db, readText(t, "Account,Name,Email,Status\nNorthwind Health Group,Jonas Lindqvist,jonas@northwind.example,Resting\n"), refsheet.Options{})
		wantErrors(t, rep, "row 2, column 'Status': 'Resting' — a qualifying reference cannot become resting; it can become Active, Retired, Nominated, Do not contact")
		// An email that belongs to someone else.
		rep = apply(t, db, readText(t, "Account,Name,Email,CRM ID\nCedar Labs,Tom Becker,maya.okafor@northwind.example,CON-7\n"), refsheet.Options{})
		if len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0].String(), "row 2, column 'Email': 'maya.okafor@northwind.example' — already the email of Maya Okafor (#") {
			t.Errorf("taken email: %q", errorLines(rep))
		}
	})
}

func TestImportAddsMissingValues(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		text := "Account,Name,Industry,Products,Activities\n" +
			"Northwind Health,Maya Okafor,Agritech,\"Analytics, Drones\",Podcast\n" +
			"Blue Harbor Bank,Grace O'Neill,agritech,drones,\n" +
			"Cedar Labs,Tom Becker,Agritech,Robots,\n"
		rep := apply(t, db, readText(t, text), refsheet.Options{})
		wantErrors(t, rep,
			"row 2, column 'Industry': 'Agritech' — not a known industry",
			"row 2, column 'Products': 'Drones' — not a known product",
			"row 2, column 'Activities': 'Podcast' — not a known activity type",
			"row 3, column 'Industry': 'agritech' — not a known industry",
			"row 3, column 'Products': 'drones' — not a known product",
			"row 4, column 'Industry': 'Agritech' — not a known industry",
			"row 4, column 'Products': 'Robots' — not a known product",
		)
		// Row 4 is wrong in another way with the values added: its capacity.
		text = strings.Replace(text, "Account,Name,Industry,Products,Activities\n", "Account,Name,Industry,Products,Activities,Capacity\n", 1)
		text = strings.Replace(text, "Robots,\n", "Robots,,lots\n", 1)
		rep = apply(t, db, readText(t, text), refsheet.Options{AddMissing: true, ValidOnly: true})
		wantErrors(t, rep, "row 4, column 'Capacity': 'lots' — not a whole number of activities per 90 days")
		if want := []string{"Industry 'Agritech'", "Product 'Drones'", "Activity type 'Podcast'"}; !slices.Equal(rep.ValuesCreated, want) {
			t.Errorf("values created %q, want %q", rep.ValuesCreated, want)
		}
		w := load(t, db)
		grace := w.ref(t, "Grace O'Neill")
		if got := w.names(grace.ProductIDs); !slices.Equal(got, []string{"product:Drones"}) || w.values[w.accts[grace.AccountID].IndustryID] != "industry:Agritech" {
			t.Errorf("grace %v %+v", got, w.accts[grace.AccountID])
		}
		for _, v := range w.snap.Values {
			if v.Name == "Robots" {
				t.Errorf("a value only a rejected row used was added: %+v", v)
			}
		}
	})
}

// TestImportSharesTheSaveRules holds the importer to the rules the form and
// the API share: a retired value is not newly given but stays on a reference
// that has it, and the last verification is not in the future.
func TestImportSharesTheSaveRules(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		first := "Account,Name,Email,Products\n" +
			"Acme,Maya Okafor,maya@acme.example,Analytics; Mobile\n"
		rep := apply(t, db, readText(t, first), refsheet.Options{})
		wantErrors(t, rep)
		vals, err := db.ListTaxonomy(ctx, vouch.TaxProduct)
		if err != nil {
			t.Fatal(err)
		}
		retired := true
		for _, v := range vals {
			if v.Name == "Mobile" {
				if _, err := db.UpdateTaxonomyValue(ctx, v.ID, vouch.TaxonomyUpdate{Retired: &retired}); err != nil {
					t.Fatal(err)
				}
			}
		}
		industries, err := db.ListTaxonomy(ctx, vouch.TaxIndustry)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range industries {
			if v.Name == "Insurance" {
				if _, err := db.UpdateTaxonomyValue(ctx, v.ID, vouch.TaxonomyUpdate{Retired: &retired}); err != nil {
					t.Fatal(err)
				}
			}
		}
		tomorrow := db.Today().AddDays(1).String()
		second := "Account,Industry,Name,Email,Products,Title,Last Verified\n" +
			"Acme,,Maya Okafor,maya@acme.example,Analytics; Mobile,CIO,\n" + // has Mobile already: stays
			"Acme,,Jonas Lind,jonas@acme.example,Mobile,,\n" + // newly given: refused
			"Acme,,Ana Lima,ana@acme.example,,," + tomorrow + "\n" +
			"Orbit Insurance,Insurance,Bo Chen,bo@orbit.example,,,\n" // a new account does not get a retired value
		rep = apply(t, db, readText(t, second), refsheet.Options{})
		wantErrors(t, rep,
			"row 3, column 'Products': 'Mobile' — Mobile is retired; choose another value or restore it in Settings → Taxonomies",
			"row 4, column 'Last Verified': '"+tomorrow+"' — cannot be in the future",
			"row 5, column 'Industry': 'Insurance' — Insurance is retired; choose another value or restore it in Settings → Taxonomies")
	})
}

// A cell with NUL or ESC would break PostgreSQL or a terminal: it is a row
// error naming the row, the column and the field, and nothing is written.
// The story may span lines and hold tabs.
func TestImportRefusesControlCharacters(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		// A NUL in the first 64 KiB marks a binary file; the long notes (a
		// column the import ignores) put the NULs past that.
		text := "Account,Email,Contact,Story,Internal Notes\n" +
			"Northwind Health,maya@northwind.example,Maya Okafor,\"Went live.\n\tCut costs.\"," + strings.Repeat("n", 70<<10) + "\n" +
			"Blue Harbor Bank,grace@blueharbor.example,Grace\x00O'Neill,Fine,\n" +
			"Cedar Labs,tom@cedar.example,Tom\x1b[2J Becker,Moved off \x00Globex,\n"
		before := auditCount(t, db)
		rep := apply(t, db, readText(t, text), refsheet.Options{})
		wantErrors(t, rep,
			`row 3, column 'Contact': 'Grace\x00O'Neill' — contains a control character (U+0000) in column C (the Name field); remove it and import again`,
			`row 4, column 'Contact': 'Tom\x1b[2J Becker' — contains a control character (U+001B) in column C (the Name field); remove it and import again`,
			`row 4, column 'Story': 'Moved off \x00Globex' — contains a control character (U+0000) in column D (the Story field); remove it and import again`,
		)
		if rep.Written || rep.Rejected != 2 || rep.Created != 1 {
			t.Errorf("report %+v", rep)
		}
		if n, _ := db.CountReferences(ctx); n != 0 || auditCount(t, db) != before {
			t.Fatalf("control characters, yet %d references and %d audit entries were written", n, auditCount(t, db)-before)
		}

		// Importing the valid rows stores the good one, story lines and tab kept.
		rep = apply(t, db, readText(t, text), refsheet.Options{ValidOnly: true})
		if !rep.Written || rep.Created != 1 || rep.Rejected != 2 {
			t.Errorf("valid only: %+v", rep)
		}
		if got := load(t, db).ref(t, "maya@northwind.example").Story; got != "Went live.\n\tCut costs." {
			t.Errorf("story %q", got)
		}
	})
}
