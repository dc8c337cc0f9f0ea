package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestAppendChangesIsJSONMarshal checks bulk writes store audit changes
// exactly as single writes (json.Marshal) do, so readers see one format.
func TestAppendChangesIsJSONMarshal(t *testing.T) {
	n := 4
	capacity := 2
	r := &vouch.Reference{AccountID: 12, Name: "Zoë O'Brien", Title: `VP "Ops" <EMEA> & more`, Email: "z@example.com",
		Languages: []string{"English", "Français"}, ProductIDs: []int64{9, 3, 3}, Story: "line one\nline two\ttab \u2028 \x01 \b\f",
		Status: vouch.StatusActive, CapacityOverride: &capacity, CRMID: "CON-1", LastVerified: vouch.NewDate(2026, 11, 3),
		Activities: []vouch.AgreedActivity{{TypeID: 5, ConsentedOn: vouch.NewDate(2026, 10, 1)}}}
	for name, changes := range map[string][]vouch.Change{
		"none":               nil,
		"empty":              {},
		"a new reference":    referenceChanges(&vouch.Reference{}, r),
		"a reference undone": referenceChanges(r, &vouch.Reference{}),
		"other values": {{Field: "kind", After: vouch.TaxProduct}, {Field: "n", Before: &n, After: 3.5},
			{Field: "ids", Before: []int64(nil), After: []int64{1, 2}}, {Field: "ok", Before: true, After: false},
			{Field: "bad utf-8", Before: "\xff\xfe", After: "ümlaut"}, {Field: "position", Before: 10, After: int64(-20)}},
	} {
		want, err := json.Marshal(changes)
		if changes == nil {
			want = []byte("[]") // the audit log stores "no changes" as an empty list
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendChanges(nil, changes)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// TestSortedIDsPrints checks the id lists in audit entries keep the format
// fmt.Sprint gave them ("[3 9]").
func TestSortedIDsPrints(t *testing.T) {
	for _, ids := range [][]int64{nil, {}, {7}, {9, 3, 3, -1}, {1 << 40, 2}} {
		sorted := append([]int64(nil), uniqueIDs(ids)...)
		slices.Sort(sorted)
		if got, want := sortedIDs(ids), fmt.Sprint(sorted); got != want {
			t.Errorf("sortedIDs(%v) = %q, want %q", ids, got, want)
		}
	}
}
