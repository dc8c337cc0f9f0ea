package refsheet_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// export writes every reference of db as the command line and the UI do:
// through the reference index.
func export(t *testing.T, db *store.DB, format string) []byte {
	t.Helper()
	_, cat, ix := testutil.ReadModels(t, db)
	users, err := db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := refsheet.Names{Values: cat, Users: map[int64]string{}}
	for _, u := range users {
		names.Users[u.ID] = u.Email
	}
	var buf bytes.Buffer
	if err := refsheet.Write(&buf, format, ix.Search(refindex.Query{Limit: -1}).Hits, names); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// described is every exported field of every reference, ids replaced by
// names, keyed by email: what must survive a round trip.
func described(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	w := load(t, db)
	today := db.Today()
	out := map[string]string{}
	for _, r := range w.snap.References {
		a := w.accts[r.AccountID]
		var acts []string
		for _, act := range r.Activities {
			acts = append(acts, w.values[act.TypeID]+"@"+act.ConsentedOn.String())
		}
		slices.Sort(acts)
		capacity := "default"
		if r.CapacityOverride != nil {
			capacity = fmt.Sprint(*r.CapacityOverride)
		}
		resting := ""
		if r.EffectiveStatus(today) == vouch.StatusResting {
			resting = r.RestingUntil.String()
		}
		fields := []string{
			"account=" + a.Name, "account_crm=" + a.CRMID, "domain=" + a.Domain, "industry=" + w.values[a.IndustryID],
			"segment=" + w.values[a.SegmentID], "region=" + w.values[a.RegionID], "country=" + w.values[a.CountryID],
			"size=" + w.values[a.SizeID], "name=" + r.Name, "title=" + r.Title, "seniority=" + r.Seniority,
			"phone=" + r.Phone, "tz=" + r.TimeZone, "languages=" + strings.Join(r.Languages, "|"),
			"products=" + strings.Join(w.names(r.ProductIDs), "|"), "use_cases=" + strings.Join(w.names(r.UseCaseIDs), "|"),
			"competitors=" + strings.Join(w.names(r.CompetitorIDs), "|"), "activities=" + strings.Join(acts, "|"),
			"deployment=" + r.Deployment, "go_live=" + r.GoLive.String(), "story=" + r.Story,
			"owner=" + w.snap.Users[r.OwnerID], "verified=" + r.LastVerified.String(),
			"status=" + string(r.EffectiveStatus(today)), "reason=" + r.StatusReason, "resting=" + resting,
			"capacity=" + capacity, "crm=" + r.CRMID,
		}
		out[r.Email] = strings.Join(fields, "\n")
	}
	return out
}

func TestExportReimportsToTheSameData(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(ctx, db, demo.Options{Seed: 3, References: 120, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		// Cells a spreadsheet program would run as formulas, and a story over several lines.
		accounts, _ := db.AllAccounts(ctx)
		var acct *vouch.Account
		for _, a := range accounts {
			acct = a
			break
		}
		odd := &vouch.Reference{AccountID: acct.ID, Name: "Ada Lovelace", Title: "=HYPERLINK(\"http://x.example\")", Email: "ada@example.com",
			Phone: "+44 20 7946 0000", Story: "- first line\n@second line, \"quoted\"; and a semicolon", Languages: []string{"English", "Français"}}
		if err := db.CreateReference(ctx, odd); err != nil {
			t.Fatal(err)
		}
		want := described(t, db)
		users, err := db.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}

		for _, format := range []string{"csv", "xlsx"} {
			t.Run(format, func(t *testing.T) {
				file := export(t, db, format)
				s, err := refsheet.Read("references."+format, bytes.NewReader(file), refsheet.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if len(s.Rows) != 121 {
					t.Fatalf("exported %d rows, want 121", len(s.Rows))
				}
				// Into the same database: nothing to do.
				before := auditCount(t, db)
				rep := apply(t, db, s, refsheet.Options{})
				wantErrors(t, rep)
				if rep.Unchanged != 121 || auditCount(t, db) != before {
					t.Errorf("re-import of the export: %+v, %d audit entries", rep, auditCount(t, db)-before)
				}

				// Into an empty database with the same users: the same references.
				fresh := testutil.OpenDB(t, db.Engine)
				for _, u := range users {
					mustUser(t, fresh, u.Email)
				}
				rep = apply(t, fresh, s, refsheet.Options{})
				wantErrors(t, rep)
				if rep.Created != 121 {
					t.Errorf("import into an empty database: %+v", rep)
				}
				got := described(t, fresh)
				if len(got) != len(want) {
					t.Errorf("%d references, want %d", len(got), len(want))
				}
				for email, w := range want {
					if got[email] != w {
						t.Errorf("%s differs:\n got %s\nwant %s", email, strings.ReplaceAll(got[email], "\n", "; "), strings.ReplaceAll(w, "\n", "; "))
					}
				}
			})
		}
	})
}

func TestWriteCSV(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		rep := apply(t, db, readText(t, "Account,Name,Title,Phone,Industry,Activities,Capacity\n"+
			"Northwind Health,Maya Okafor,=1+1,+1 555 0100,Healthcare,Call (2025-11-02); Case study,2\n"), refsheet.Options{})
		wantErrors(t, rep)
		out := string(export(t, db, "csv"))
		want := "\uFEFFAccount,Account CRM ID,Account Domain,Industry,Segment,Region,Country,Company Size,Name,Title,Seniority,Email,Phone," +
			"Time Zone,Languages,Products,Use Cases,Competitors Replaced,Activities,Deployment,Go-Live,Story,Owner,Last Verified,Status," +
			"Status Reason,Resting Until,Capacity,CRM ID\r\n" +
			"Northwind Health,,,Healthcare,,,,,Maya Okafor,'=1+1,,,'+1 555 0100,,,,,,Call (2025-11-02); Case study,,,,,,Nominated,,,2,\r\n"
		if out != want {
			t.Errorf("CSV:\n%q\nwant\n%q", out, want)
		}
		if err := refsheet.Write(&bytes.Buffer{}, "pdf", nil, refsheet.Names{}); err == nil || err.Error() != `Unknown export format "pdf"; use csv or xlsx.` {
			t.Errorf("pdf: %v", err)
		}
	})
}
