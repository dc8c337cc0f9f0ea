package refindex

import "strings"

// SortKeys are the orders a reference list can be sorted by, besides
// relevance. Each has a usual direction — the index's own order — and can
// be reversed (Query.Desc).
var SortKeys = []string{"name", "account", "status", "asked", "verified", "updated"}

// newestFirst are the keys whose usual direction is descending: the most
// recently asked or updated first.
var newestFirst = map[string]bool{"asked": true, "updated": true}

// NewestFirst reports whether key's usual direction is descending.
func NewestFirst(key string) bool { return newestFirst[key] }

// ParseSort reads a list's sort= — one rule for the pages and the API: a
// key alone for its usual direction, or key-asc / key-desc ("name-desc",
// "updated-asc"); "" and "relevance" are the default order. It returns the
// index's order and whether to reverse it; ok is false for anything else.
func ParseSort(raw string) (sort string, reverse bool, ok bool) {
	raw = strings.ToLower(strings.TrimSpace(raw))
	if raw == "" || raw == "relevance" {
		return "", false, true
	}
	key, dir, _ := strings.Cut(raw, "-")
	known := false
	for _, k := range SortKeys {
		known = known || k == key
	}
	if !known {
		return "", false, false
	}
	switch dir {
	case "":
		return key, false, true
	case "asc":
		return key, newestFirst[key], true
	case "desc":
		return key, !newestFirst[key], true
	}
	return "", false, false
}
