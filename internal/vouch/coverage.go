package vouch

import "strings"

// ContentTypeActivities maps each content type to the activity type of the
// same name (case and spacing aside): an open content request for a "Case
// study" is demand for the activity "Case study" in the coverage matrix.
// Content types without such an activity type ("Slide deck") are not in the
// map; their requests are counted beside the matrix, not in a cell.
func ContentTypeActivities(contentTypes, activityTypes []*TaxonomyValue) map[int64]int64 {
	key := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	byName := map[string]int64{}
	for _, a := range activityTypes {
		if k := key(a.Name); k != "" {
			if _, dup := byName[k]; !dup {
				byName[k] = a.ID
			}
		}
	}
	out := map[int64]int64{}
	for _, c := range contentTypes {
		if id, ok := byName[key(c.Name)]; ok {
			out[c.ID] = id
		}
	}
	return out
}
