package vouch

import (
	"reflect"
	"testing"
)

// TestContentTypeActivities: a content type counts for the activity type
// of the same name, whatever the case and spacing; others for none.
func TestContentTypeActivities(t *testing.T) {
	content := []*TaxonomyValue{{ID: 1, Name: "Case study"}, {ID: 2, Name: "Slide deck"}, {ID: 3, Name: " video "}, {ID: 4, Name: "Customer  quote"}}
	acts := []*TaxonomyValue{{ID: 10, Name: "Call"}, {ID: 11, Name: "case Study"}, {ID: 12, Name: "Video"}, {ID: 13, Name: "Customer quote"}}
	got := ContentTypeActivities(content, acts)
	if want := map[int64]int64{1: 11, 3: 12, 4: 13}; !reflect.DeepEqual(got, want) {
		t.Errorf("ContentTypeActivities = %v, want %v", got, want)
	}
	if got := ContentTypeActivities(content, nil); len(got) != 0 {
		t.Errorf("no activity types: %v", got)
	}
}
