package vouch

import "strconv"

// Choice is one answer of a question with set answers: the value a form
// sends and the words it shows.
type Choice struct {
	Value, Label string
}

// FeedbackQuestions are the questions of one side's feedback on an
// activity, worded once: the seller's form in the app and the one behind
// the mailed link ask the same questions in the same words.
type FeedbackQuestions struct {
	Rating     string   // the 1–5 rating
	Ratings    []Choice // "1 – Not helpful" … "5 – Very helpful"
	Influenced string   // seller: whether it influenced the deal
	Impact     string   // seller: what it did to the deal (optional)
	Impacts    []Choice
	ThankYou   string // advocate: how they would like to be thanked (optional)
	ThankYous  []Choice
	Comment    string // anything else (optional)
}

// QuestionsFor returns the feedback questions of source (FeedbackSeller
// or FeedbackAdvocate).
func QuestionsFor(source string) FeedbackQuestions {
	q := FeedbackQuestions{Comment: "Anything else?"}
	low, high := "Poor", "Excellent"
	if source == FeedbackSeller {
		q.Rating, low, high = "How helpful was it?", "Not helpful", "Very helpful"
		q.Influenced = "Did it influence the deal?"
		q.Impact = "What did it do to the deal?"
		q.Impacts = []Choice{{"accelerated", "It sped the deal up"}, {"no_change", "No change"}, {"delayed", "It slowed the deal down"}}
	} else {
		q.Rating = "How was your experience?"
		q.ThankYou = "How would you like to be thanked?"
		q.ThankYous = []Choice{{"gift", "A small gift"}, {"donation", "A donation to a charity"},
			{"swag", "Some swag"}, {"none", "No thank-you needed"}}
	}
	for n := 1; n <= 5; n++ {
		label := strconv.Itoa(n)
		switch n {
		case 1:
			label += " – " + low
		case 5:
			label += " – " + high
		}
		q.Ratings = append(q.Ratings, Choice{strconv.Itoa(n), label})
	}
	return q
}
