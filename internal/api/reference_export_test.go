package api_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func init() {
	// Spreadsheet answers are checked for their documented content type; their
	// bodies are files, as the document says.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// TestReferenceExport exports the filtered view as CSV and XLSX: every match
// (not one page), in columns that import cleanly into an empty database
// (refsheet's own tests compare a round trip field by field).
func TestReferenceExport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		if _, err := demo.Load(seedCtx, f.srv.DB, demo.Options{Seed: 3, References: 80, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		var page refPage
		f.get(t, "seller", refsPath("region", "emea,north america", "limit", "5"), &page)
		if page.Total <= 5 {
			t.Fatalf("want more matches than one page, got %d", page.Total)
		}
		for _, format := range []string{"csv", "xlsx"} {
			r := f.c.do(t, "GET", refsPath("region", "emea,north america", "format", format, "limit", "5"), f.tokens["seller"], "", false)
			if r.status != 200 {
				t.Fatalf("%s: status %d\n%s", format, r.status, r.body)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "."+format) {
				t.Errorf("%s: Content-Disposition %q", format, cd)
			}
			sheet, err := refsheet.Read("export."+format, bytes.NewReader(r.body), refsheet.ReadOptions{})
			if err != nil {
				t.Fatalf("%s: the export does not read back: %v", format, err)
			}
			if len(sheet.Rows) != page.Total {
				t.Errorf("%s: %d rows, want all %d matches", format, len(sheet.Rows), page.Total)
			}
			// Into an empty database: every row becomes a reference again.
			other := testutil.OpenDB(t, store.SQLite)
			octx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			// Owners are named by email: the other database has the same people.
			users, err := f.srv.DB.ListUsers(octx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				testutil.CreateUser(t, other, u.Email, u.Role)
			}
			rep, err := refsheet.Apply(octx, other, sheet, refsheet.AutoMap(sheet.Headers), refsheet.Options{AddMissing: true}, nil)
			if err != nil || !rep.Written || rep.Created != page.Total {
				var lines []string
				if rep != nil {
					for _, e := range rep.Errors {
						lines = append(lines, e.String())
					}
				}
				t.Fatalf("%s: re-import: %v, report %+v\n%s", format, err, rep, strings.Join(lines, "\n"))
			}
			if n, _ := other.CountReferences(octx); n != page.Total {
				t.Errorf("%s: re-import made %d references, want %d", format, n, page.Total)
			}
		}
	})
}

func TestReferenceExportFormat(t *testing.T) {
	f := newFixture(t, store.SQLite)
	f.run(t, []scenario{
		{name: "unknown format", method: "GET", path: "/api/v1/references?format=pdf", as: "seller", offSpec: true,
			status: 400, fields: []string{"format"}},
		{name: "json is the default", method: "GET", path: "/api/v1/references?format=json", as: "seller", status: 200,
			want: []string{`"items"`}},
		{name: "viewers may not export", method: "GET", path: "/api/v1/references?format=csv", as: "viewer", status: 403},
	})
}
