package web_test

import (
	"encoding/csv"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var (
	listRowName = regexp.MustCompile(`<td data-label="Name" class="name-cell"[^>]*><a href="/references/\d+"><strong>([^<]+)</strong>`)
	listHeader  = regexp.MustCompile(`<th scope="col" class="col-([a-z]+)"( aria-sort="([a-z]+)")?>(<a href="([^"]+)")?`)
)

// listRows are the names in a list page's table, in order.
func listRows(body string) []string {
	var out []string
	for _, m := range listRowName.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// listHead is a column header of a list page: its column, aria-sort and link.
type listHead struct{ col, sort, href string }

func listHeads(body string) []listHead {
	var out []listHead
	for _, m := range listHeader.FindAllStringSubmatch(body, -1) {
		out = append(out, listHead{m[1], m[3], html.UnescapeString(m[5])})
	}
	return out
}

func headCols(heads []listHead) string {
	var cols []string
	for _, h := range heads {
		cols = append(cols, h.col)
	}
	return strings.Join(cols, ",")
}

func TestReferencesListSortAndColumnsFromTheURL(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Ann Berg": vouch.StatusActive, "Bea Cruz": vouch.StatusNominated,
			"Cid Dahl": vouch.StatusRetired, "Dan Eke": vouch.StatusQualifying})
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		pm := testutil.Login(t, s, p.pmEmail)
		seller := testutil.Login(t, s, "sam@example.com")

		// The usual columns: the program team's and a seller's.
		_, body := pm.Get("/references")
		if got := headCols(listHeads(body)); got != "name,title,account,status,capacity,verified" {
			t.Errorf("the program team's columns: %s", got)
		}
		if got := strings.Join(listRows(body), ","); got != "Ann Berg,Bea Cruz,Cid Dahl,Dan Eke" {
			t.Errorf("by default the rows are %s, want by name", got)
		}
		heads := listHeads(body)
		if heads[0].sort != "ascending" || heads[0].href != "/references?sort=name-desc" {
			t.Errorf("the name header = %+v, want ascending, linking to Z–A", heads[0])
		}
		if heads[1].href != "" {
			t.Errorf("the title header links to %q; titles do not sort", heads[1].href)
		}
		_, body = seller.Get("/references")
		if got := headCols(listHeads(body)); got != "name,title,account,industry,status,capacity" {
			t.Errorf("a seller's columns: %s", got)
		}

		cases := []struct {
			url, rows, cols, sorted, notice string
		}{
			{"/references?sort=name-desc", "Dan Eke,Cid Dahl,Bea Cruz,Ann Berg", "", "name=descending", ""},
			{"/references?sort=status", "Bea Cruz,Dan Eke,Ann Berg,Cid Dahl", "", "status=ascending", ""},
			{"/references?sort=STATUS-desc", "Cid Dahl,Ann Berg,Dan Eke,Bea Cruz", "", "status=descending", ""},
			{"/references?sort=updated-asc", "", "", "", ""},
			{"/references?cols=region,title&sort=name", "Ann Berg,Bea Cruz,Cid Dahl,Dan Eke", "name,title,region", "name=ascending", ""},
			{"/references?cols=name", "", "name", "", ""},
			{"/references?cols=title&cols=asked,updated", "", "name,title,asked,updated", "", ""},
			// Names that name nothing: said, and left out.
			{"/references?sort=bogus", "Ann Berg,Bea Cruz,Cid Dahl,Dan Eke", "", "name=ascending",
				"The list cannot be sorted by “bogus”, so it is in its usual order."},
			{"/references?sort=name-sideways", "", "", "name=ascending", "The list cannot be sorted by “name-sideways”"},
			{"/references?sort=title", "", "", "name=ascending", "cannot be sorted by “title”"},
			{"/references?sort=%3Cscript%3E", "", "", "", "cannot be sorted by “&lt;script&gt;”"},
			{"/references?cols=bogus", "", "name,title,account,status,capacity,verified", "", "The list has no column “bogus”."},
			{"/references?cols=region,bogus", "", "name,region", "", "The list has no column “bogus”."},
		}
		for _, c := range cases {
			resp, body := pm.Get(c.url)
			expect(t, c.url, resp, http.StatusOK, "/references")
			if c.rows != "" {
				if got := strings.Join(listRows(body), ","); got != c.rows {
					t.Errorf("%s: rows %s, want %s", c.url, got, c.rows)
				}
			}
			heads := listHeads(body)
			if c.cols != "" {
				if got := headCols(heads); got != c.cols {
					t.Errorf("%s: columns %s, want %s", c.url, got, c.cols)
				}
			}
			var sorted []string
			for _, h := range heads {
				if h.sort != "" {
					sorted = append(sorted, h.col+"="+h.sort)
				}
			}
			if c.sorted != "" && strings.Join(sorted, " ") != c.sorted {
				t.Errorf("%s: sorted headers %v, want %s", c.url, sorted, c.sorted)
			}
			if c.notice != "" {
				mustContain(t, c.url, body, c.notice)
			} else if strings.Contains(body, "cannot be sorted") || strings.Contains(body, "has no column") {
				t.Errorf("%s: a notice about a good address", c.url)
			}
			if strings.Contains(body, "<script>") && strings.Contains(c.url, "script") {
				t.Errorf("%s: the sort value is not escaped", c.url)
			}
		}

		// The chosen columns and the order stay in every link the page makes:
		// the headers, the sort menu's form, the export, the way back from a bulk action.
		_, body = pm.Get("/references?cols=region,title&sort=status-desc&status=active&status=nominated")
		for _, h := range listHeads(body) {
			if h.href == "" {
				continue
			}
			if !strings.Contains(h.href, "cols=name%2Ctitle%2Cregion") || !strings.Contains(h.href, "status=active") {
				t.Errorf("the %s header links to %s, losing the view", h.col, h.href)
			}
		}
		heads = listHeads(body)
		if i := slices.IndexFunc(heads, func(h listHead) bool { return h.col == "status" }); i >= 0 {
			// Sorted by status, descending: its header offers ascending.
			if !strings.Contains(heads[i].href, "sort=status&") && !strings.HasSuffix(heads[i].href, "sort=status") {
				t.Errorf("the status header links to %s, want sort=status", heads[i].href)
			}
		}
		mustContain(t, "kept view", body, `<option value="status-desc" selected>`,
			`name="back" value="/references?cols=name%2Ctitle%2Cregion&amp;sort=status-desc&amp;status=active&amp;status=nominated"`,
			`<a class="small" href="/references?sort=status-desc&amp;status=active&amp;status=nominated">Usual columns</a>`,
			`href="/references/export.csv?cols=name%2Ctitle%2Cregion&amp;sort=status-desc&amp;status=active&amp;status=nominated"`)

		// The reader's usual columns, picked one by one (as the search form
		// sends them), need no cols= in the page's links.
		_, body = pm.Get("/references?cols=name&cols=title&cols=account&cols=status&cols=capacity&cols=verified&sort=status")
		if strings.Contains(body, "cols=") || strings.Contains(body, "Usual columns") {
			t.Errorf("the usual columns, picked, still put cols= in the links")
		}

		// The export follows the list's order.
		resp, file := pm.Get("/references/export.csv?sort=name-desc")
		expect(t, "export", resp, http.StatusOK, "")
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(file, "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 5 {
			t.Fatalf("export: %d records, %v", len(recs), err)
		}
		name := slices.Index(recs[0], "Name")
		var names []string
		for _, r := range recs[1:] {
			names = append(names, r[name])
		}
		if strings.Join(names, ",") != "Dan Eke,Cid Dahl,Bea Cruz,Ann Berg" {
			t.Errorf("the export sorted Z–A reads %v", names)
		}
	})
}
