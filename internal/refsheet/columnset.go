package refsheet

import (
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// ColumnSet is what the reference import's siblings (content, activities,
// CRM deals) know of their sheets: the columns, the other headers people
// give them, and the ones every row needs. From it come the layout's
// automatic mapping, the reading of mapping files and the check that a
// mapping is usable, alike for every kind of sheet.
type ColumnSet struct {
	Sheet    string            // what the sheet is, for messages: "an activity sheet"
	Record   string            // what one row is: "activity"
	Columns  []Column          // in the order the template has them
	Synonyms map[string]string // normalised headers (HeaderKey) → column keys
	Required []string          // the keys of the columns every row needs

	byKey map[string]string // HeaderKey of a key or header → key
}

// NewColumnSet readies cs for use.
func NewColumnSet(cs ColumnSet) *ColumnSet {
	cs.byKey = map[string]string{}
	for _, c := range cs.Columns {
		cs.byKey[HeaderKey(c.Key)] = c.Key
		cs.byKey[HeaderKey(c.Header)] = c.Key
	}
	return &cs
}

// Layout is the sheet's layout, for Read and mapping files.
func (cs *ColumnSet) Layout() Layout {
	names := make([]string, len(cs.Required))
	for i, k := range cs.Required {
		names[i] = strings.ToLower(cs.FieldName(k))
	}
	return Layout{AutoMap: cs.AutoMap, Check: cs.Check, ParseColumn: cs.ParseColumn, Requires: joinAnd(names)}
}

// AutoMap maps headers to columns by name, ignoring case, spaces and
// punctuation, and by the synonyms. Where two headers would feed one
// column (HubSpot's "Deal owner" beside "Deal owner email"), the first
// keeps it, unless a later one is the column's own header or key.
func (cs *ColumnSet) AutoMap(headers []string) Mapping {
	m := make(Mapping, len(headers))
	for i, h := range headers {
		k := HeaderKey(h)
		if c, ok := cs.byKey[k]; ok {
			m[i] = c
		} else {
			m[i] = cs.Synonyms[k]
		}
	}
	seen := map[string]int{}
	for i, c := range m {
		if c == "" {
			continue
		}
		if j, ok := seen[c]; ok {
			if _, own := cs.byKey[HeaderKey(headers[i])]; own {
				m[j], seen[c] = "", i
			} else {
				m[i] = ""
			}
			continue
		}
		seen[c] = i
	}
	return m
}

// ParseColumn reads a column as a mapping file names it: a key, a header,
// or "" to ignore the header.
func (cs *ColumnSet) ParseColumn(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if c, ok := cs.byKey[HeaderKey(s)]; ok {
		return c, nil
	}
	keys := make([]string, len(cs.Columns))
	for i, c := range cs.Columns {
		keys[i] = c.Key
	}
	return "", fmt.Errorf("%q is not a column of %s; the columns are %s", s, cs.Sheet, strings.Join(keys, ", "))
}

// Check reports what makes a mapping unusable: a required column missing,
// or two headers feeding one column.
func (cs *ColumnSet) Check(m Mapping, headers []string) error {
	cols, err := m.Columns(headers)
	if err != nil {
		return err
	}
	var missing []string
	for _, k := range cs.Required {
		if _, ok := cols[k]; !ok {
			missing = append(missing, cs.FieldName(k))
		}
	}
	if len(missing) > 0 {
		list := strings.Join(missing, " and ")
		return vouch.Errorf(vouch.EINVALID, "No column for %s, which every %s needs. The headers found are %s; map one of them to %s.",
			list, cs.Record, QuoteList(headers), list)
	}
	return nil
}

// FieldName is the field a column key fills, as the template heads it.
func (cs *ColumnSet) FieldName(key string) string {
	for _, c := range cs.Columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

// joinAnd writes "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
