package contentsheet_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/contentsheet"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func sheet(t *testing.T, csv string) *refsheet.Sheet {
	t.Helper()
	s, err := refsheet.Read("list.csv", strings.NewReader(csv), refsheet.ReadOptions{Layout: &contentsheet.Layout})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func apply(t *testing.T, db *store.DB, csv string, opts refsheet.Options) *refsheet.Report {
	t.Helper()
	rep, err := contentsheet.Apply(ctx, db, sheet(t, csv), nil, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// problems lists a report's problems as the command line prints them.
func problems(rep *refsheet.Report) string {
	var out []string
	for _, e := range rep.Errors {
		out = append(out, e.String())
	}
	return strings.Join(out, "\n")
}

// TestImportRules holds the rules of docs/import.md, "Content lists", on both engines.
func TestImportRules(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		// Rows for the same item: the same URL is a problem unless the whole row repeats.
		rep := apply(t, db, "Title,Type,URL,Approval State,Approval Method\n"+
			"Deck A,Slide deck,https://example.com/a,draft,\n"+
			"Deck A,Slide deck,https://example.com/a,draft,\n"+
			"Deck A2,Slide deck,HTTPS://EXAMPLE.COM/a/,draft,\n"+
			"Old quote,Quote,,expired,mail\n", refsheet.Options{ValidOnly: true})
		if rep.Created != 2 || rep.Repeated != 1 || rep.Rejected != 1 ||
			problems(rep) != "row 4, column 'URL': 'HTTPS://EXAMPLE.COM/a/' — the same URL as row 2" {
			t.Errorf("report %+v\n%s", rep, problems(rep))
		}
		if len(rep.Repeats) != 1 || rep.Repeats[0].String() != "Row 3 repeats row 2 exactly; imported once." {
			t.Errorf("repeats: %v", rep.Repeats)
		}

		// Matched by URL (the title changes), else by title (in any case) and type; the second time nothing is written.
		again := "Title,Type,URL\nDeck A (2026),Slide deck,https://example.com/a\nOLD QUOTE,Quote,\n"
		if rep := apply(t, db, again, refsheet.Options{}); rep.Created != 0 || rep.Updated != 2 || rep.Unchanged != 0 {
			t.Errorf("re-import: %+v %s", rep, problems(rep))
		}
		if rep := apply(t, db, again, refsheet.Options{}); rep.Updated != 0 || rep.Unchanged != 2 || !rep.Written {
			t.Errorf("the same file twice: %+v", rep)
		}

		// The lifecycle decides a state change; an approval of an expired item renews it.
		rep = apply(t, db, "Title,Type,URL,Approval State,Approved By,Approval Method\n"+
			"Deck A (2026),Slide deck,https://example.com/a,expired,,\n"+
			"Old quote,Quote,,approved external,Dana Park,document\n", refsheet.Options{})
		if rep.Written || problems(rep) != "row 2, column 'Approval State': 'expired' — content that is draft cannot become expired; "+
			"it can become awaiting customer approval, approved for external use, approved for internal use only, withdrawn" {
			t.Errorf("a disallowed move: %+v\n%s", rep, problems(rep))
		}
		rep = apply(t, db, "Title,Type,Approval State,Approved By,Approval Method\nOld quote,Quote,approved external,Dana Park,document\n", refsheet.Options{})
		if rep.Updated != 1 || !rep.Written {
			t.Fatalf("renewing consent: %+v %s", rep, problems(rep))
		}
		items, err := db.ContentItems(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		quote := items[1]
		history, _ := db.ContentHistory(ctx, quote.ID)
		if quote.State != vouch.ContentApprovedExternal || quote.ApprovedBy != "Dana Park" || len(history) != 2 ||
			history[1].Note != "Imported from list.csv" || history[1].From != vouch.ContentExpired {
			t.Errorf("the renewed quote: %+v, history %+v", quote, history)
		}

		// A draft has no approval; a retired type is not newly given.
		if err := db.CreateTaxonomyValue(ctx, &vouch.TaxonomyValue{Kind: vouch.TaxContentType, Name: "Brochure", Retired: true}); err != nil {
			t.Fatal(err)
		}
		rep = apply(t, db, "Title,Type,Approval State,Approved By\nNew one,Quote,draft,Dana\nFlyer,Brochure,,\n", refsheet.Options{})
		if problems(rep) != "row 2, column 'Approval State': 'draft' — is draft, which has no approval yet; give an approved state, or leave the approval out\n"+
			"row 3, column 'Type': 'Brochure' — Brochure is retired; choose another value or restore it in Settings → Taxonomies" {
			t.Errorf("draft with an approver, retired type:\n%s", problems(rep))
		}
	})
}
