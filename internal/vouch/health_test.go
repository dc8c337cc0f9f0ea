package vouch

import "testing"

func TestHealthAssessmentValidate(t *testing.T) {
	today := day("2027-03-31")
	cases := []struct {
		name  string
		a     HealthAssessment
		field string // "" valid
	}{
		{"one element rated", HealthAssessment{AssessedOn: today, Ratings: []ElementRating{{Element: ElementMetrics, Stage: StageFocused}}}, ""},
		{"nothing rated", HealthAssessment{AssessedOn: today}, "ratings"},
		{"unknown element", HealthAssessment{AssessedOn: today, Ratings: []ElementRating{{Element: "luck", Stage: 2}}}, "ratings.luck"},
		{"stage out of range", HealthAssessment{AssessedOn: today, Ratings: []ElementRating{{Element: ElementVision, Stage: 5}}}, "ratings.vision"},
		{"rated twice", HealthAssessment{AssessedOn: today, Ratings: []ElementRating{{Element: ElementVision, Stage: 1}, {Element: ElementVision, Stage: 2}}}, "ratings.vision"},
		{"in the future", HealthAssessment{AssessedOn: today.AddDays(1), Ratings: []ElementRating{{Element: ElementVision, Stage: 1}}}, "assessed_on"},
	}
	for _, c := range cases {
		err := c.a.Validate(today)
		if c.field == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.field != "" && ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: want a problem with %s, got %v", c.name, c.field, err)
		}
	}
}

func TestHealthAssessmentOrderAndAverage(t *testing.T) {
	a := HealthAssessment{AssessedOn: day("2027-01-15"), Ratings: []ElementRating{
		{Element: ElementOperations, Stage: StageAdvanced}, {Element: ElementVision, Stage: StageEmerging}, {Element: ElementMetrics, Stage: StageFocused}}}
	if err := a.Validate(day("2027-01-15")); err != nil {
		t.Fatal(err)
	}
	if a.Ratings[0].Element != ElementVision || a.Ratings[2].Element != ElementOperations {
		t.Errorf("ratings not in the elements' order: %+v", a.Ratings)
	}
	if a.Average() != 3 {
		t.Errorf("average = %v, want 3", a.Average())
	}
	if a.Rating(ElementRecruiting).Stage.Label() != "Not rated" {
		t.Error("an element left out is not 'Not rated'")
	}
	for in, want := range map[string]HealthStage{"focused": StageFocused, " Advanced ": StageAdvanced, "1": StageUnderdeveloped} {
		if got, ok := ParseHealthStage(in); !ok || got != want {
			t.Errorf("ParseHealthStage(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseHealthStage("5"); ok {
		t.Error("stage 5 parsed")
	}
}
