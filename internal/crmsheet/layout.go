package crmsheet

import (
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// kind is one layout of a CRM export: its columns, the headers Salesforce
// and HubSpot write for them, and the columns every row needs.
type kind struct {
	noun     string // "opportunity"
	columns  []refsheet.Column
	synonyms map[string]string // refsheet.HeaderKey(header) → column key
	required []string
	byKey    map[string]string
}

func newKind(noun string, columns []refsheet.Column, synonyms map[string]string, required ...string) *kind {
	k := &kind{noun: noun, columns: columns, synonyms: synonyms, required: required, byKey: map[string]string{}}
	for _, c := range columns {
		k.byKey[refsheet.HeaderKey(c.Key)] = c.Key
		k.byKey[refsheet.HeaderKey(c.Header)] = c.Key
	}
	return k
}

func (k *kind) layout() refsheet.Layout {
	names := make([]string, len(k.required))
	for i, r := range k.required {
		names[i] = k.fieldName(r)
	}
	return refsheet.Layout{AutoMap: k.autoMap, Check: k.check, ParseColumn: k.parseColumn, Requires: strings.Join(names, " and ")}
}

// autoMap maps headers to columns by name, ignoring case, spaces and
// punctuation, and by the names CRM exports use.
func (k *kind) autoMap(headers []string) refsheet.Mapping {
	m := make(refsheet.Mapping, len(headers))
	for i, h := range headers {
		hk := refsheet.HeaderKey(h)
		if c, ok := k.byKey[hk]; ok {
			m[i] = c
		} else {
			m[i] = k.synonyms[hk]
		}
	}
	// Two headers for one column (HubSpot's "Deal owner" beside "Deal
	// owner email"): the first one keeps it unless a later one is the
	// column's own header or key.
	seen := map[string]int{}
	for i, c := range m {
		if c == "" {
			continue
		}
		if j, ok := seen[c]; ok {
			if _, own := k.byKey[refsheet.HeaderKey(headers[i])]; own {
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

func (k *kind) parseColumn(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if c, ok := k.byKey[refsheet.HeaderKey(s)]; ok {
		return c, nil
	}
	keys := make([]string, len(k.columns))
	for i, c := range k.columns {
		keys[i] = c.Key
	}
	return "", fmt.Errorf("%q is not a column of a CRM %s export; the columns are %s", s, k.noun, strings.Join(keys, ", "))
}

func (k *kind) check(m refsheet.Mapping, headers []string) error {
	cols, err := m.Columns(headers)
	if err != nil {
		return err
	}
	var missing []string
	for _, r := range k.required {
		if _, ok := cols[r]; !ok {
			missing = append(missing, k.fieldName(r))
		}
	}
	if len(missing) > 0 {
		list := strings.Join(missing, " and ")
		return vouch.Errorf(vouch.EINVALID, "No column for %s, which every %s needs. The headers found are %s; map one of them to %s.",
			list, k.noun, refsheet.QuoteList(headers), list)
	}
	return nil
}

func (k *kind) fieldName(key string) string {
	for _, c := range k.columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}
