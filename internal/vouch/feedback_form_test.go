package vouch

import (
	"slices"
	"testing"
)

func TestQuestionsFor(t *testing.T) {
	for _, c := range []struct {
		source, rating, first, last string
		impacts, thankYous          []string // the values offered
	}{
		{FeedbackSeller, "How helpful was it?", "1 – Not helpful", "5 – Very helpful", DealImpacts, nil},
		{FeedbackAdvocate, "How was your experience?", "1 – Poor", "5 – Excellent", nil, ThankYous},
	} {
		q := QuestionsFor(c.source)
		values := func(cs []Choice) []string {
			var out []string
			for _, x := range cs {
				out = append(out, x.Value)
			}
			return out
		}
		if q.Rating != c.rating || len(q.Ratings) != 5 || q.Ratings[0].Label != c.first || q.Ratings[4].Label != c.last {
			t.Errorf("%s: rating %q %v", c.source, q.Rating, q.Ratings)
		}
		// Every answer a form offers is one Feedback.Validate accepts.
		if !slices.Equal(values(q.Impacts), c.impacts) || !slices.Equal(values(q.ThankYous), c.thankYous) {
			t.Errorf("%s: impacts %v, thank-yous %v", c.source, values(q.Impacts), values(q.ThankYous))
		}
		if (q.Influenced != "") != (c.source == FeedbackSeller) || (q.ThankYou != "") != (c.source == FeedbackAdvocate) {
			t.Errorf("%s asks %q and %q", c.source, q.Influenced, q.ThankYou)
		}
	}
}
