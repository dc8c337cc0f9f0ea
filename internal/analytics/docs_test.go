package analytics_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestEveryMetricIsDefinedInTheDocs: docs/metrics.md has a section for
// every metric, under an anchor that is the metric's id (tiles link to it).
func TestEveryMetricIsDefinedInTheDocs(t *testing.T) {
	b, err := os.ReadFile("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, m := range vouch.Metrics {
		if !strings.Contains(doc, `<a id="`+string(m.ID)+`"></a>`) {
			t.Errorf("docs/metrics.md has no section #%s (%s)", m.ID, m.Label)
		}
	}
}
