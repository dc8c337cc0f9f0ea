package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestExportLinksDownloadTheView follows the list's export links: the file
// holds every reference of the filtered view, all pages, and reads back.
func TestExportLinksDownloadTheView(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		if _, err := demo.Load(ctx, s.DB, demo.Options{Seed: 5, References: 130, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		seller := testutil.Login(t, s, "sam@example.com")
		_, list := seller.Get("/references?status=active")
		i := strings.Index(list, `href="/references/export.csv?`)
		if i < 0 {
			t.Fatal("the list has no CSV export link")
		}
		link := strings.ReplaceAll(list[i+6:i+strings.Index(list[i+6:], `"`)+6], "&amp;", "&")
		wantRows := 0
		for _, st := range []vouch.Status{vouch.StatusActive} {
			n, _ := facetCount(list, "status", string(st))
			wantRows += n
		}
		if wantRows <= 50 {
			t.Fatalf("want more active references than one page, got %d", wantRows)
		}
		for _, l := range []string{link, strings.Replace(link, "export.csv", "export.xlsx", 1)} {
			resp, body := seller.Get(l)
			if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("%s: %d %q", l, resp.StatusCode, resp.Header.Get("Content-Disposition"))
			}
			sheet, err := refsheet.Read(l[strings.Index(l, "export."):strings.Index(l, "?")], bytes.NewReader([]byte(body)), refsheet.ReadOptions{})
			if err != nil {
				t.Fatalf("%s does not read back: %v", l, err)
			}
			if len(sheet.Rows) != wantRows {
				t.Errorf("%s: %d rows, want the %d active references", l, len(sheet.Rows), wantRows)
			}
		}
		viewer := testutil.Login(t, s, "vic@example.com")
		if resp, _ := viewer.Get(link); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer exported: %d", resp.StatusCode)
		}
	})
}
