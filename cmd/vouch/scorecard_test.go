package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/testutil"
)

func TestScorecardCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustVouch(t, opts{}, "migrate", "--data-dir", dir)
	deals := testutil.AddScorecardDeals(t, openStore(t, dir))

	r := mustVouch(t, opts{}, "scorecard", "--data-dir", dir, "--from", "2026-07-01", "--to", "2026-09-30", "--industry", "Healthcare", "--format", "json")
	var doc struct {
		RevenueInfluenced map[string]struct {
			WonAmount float64 `json:"won_amount"`
			Deals     int     `json:"deals"`
		} `json:"revenue_influenced"`
		WinRate struct {
			Lift *float64 `json:"lift"`
		} `json:"win_rate"`
		Filters map[string][]string `json:"filters"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if usd := doc.RevenueInfluenced["USD"]; usd.WonAmount != deals.RevenueUSD || usd.Deals != deals.RevenueUSDDeal || doc.WinRate.Lift == nil || doc.Filters["industry"][0] != "Healthcare" {
		t.Errorf("json: %+v", doc)
	}
	if !strings.Contains(r.stderr, "Wrote the scorecard of 1 Jul 2026 – 30 Sep 2026") {
		t.Errorf("stderr: %s", r.stderr)
	}

	r = mustVouch(t, opts{}, "scorecard", "--data-dir", dir, "--period", "2026-Q3", "--format", "csv")
	cr := csv.NewReader(strings.NewReader(r.stdout))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs {
		if rec[0] == "revenue_influenced" && len(rec) > 6 && rec[5] == "USD" && rec[2] == "360000" && rec[6] == "8" {
			found = true
		}
	}
	if !found || recs[0][1] != "2026-Q3" {
		t.Errorf("csv:\n%s", r.stdout)
	}

	out := filepath.Join(t.TempDir(), "q3.xlsx")
	r = mustVouch(t, opts{}, "scorecard", "--data-dir", dir, "--period", "2026-Q3", "--out", out)
	if !strings.Contains(r.stdout, "to "+out) {
		t.Errorf("stdout: %s", r.stdout)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := excelize.OpenReader(f)
	if err != nil {
		t.Fatalf("--out q3.xlsx is no XLSX: %v", err)
	}
	if len(x.GetSheetList()) != 2 {
		t.Errorf("sheets: %v", x.GetSheetList())
	}

	for _, format := range []string{"pdf", "png"} {
		out := filepath.Join(t.TempDir(), "q3."+format)
		mustVouch(t, opts{}, "scorecard", "--data-dir", dir, "--period", "2026-Q3", "--out", out)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if magic := map[string]string{"pdf": "%PDF-", "png": "\x89PNG"}[format]; !strings.HasPrefix(string(b), magic) {
			t.Errorf("--out q3.%s starts %q", format, b[:8])
		}
	}

	wantFailure(t, runVouch(t, opts{}, "scorecard", "--data-dir", dir, "--period", "2026-Q3", "--industry", "Agriculture"), 1,
		`industry: has no industry value named "Agriculture"`)
	wantFailure(t, runVouch(t, opts{}, "scorecard", "--data-dir", dir, "--from", "2026-07-01"), 1, "to: is required with from")
	wantFailure(t, runVouch(t, opts{}, "scorecard", "--data-dir", dir, "--format", "doc"), 2, `--format "doc": use pdf, png, csv, xlsx or json`)
}
