package vouch

import (
	"strings"
	"testing"
	"time"
)

// The small checks of the request loop, each refusing with the field named.
func TestRequestLoopChecks(t *testing.T) {
	long := strings.Repeat("x", 10001)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	used := now.Add(-time.Hour)
	for _, c := range []struct {
		name  string
		err   error
		code  string
		field string
	}{
		{"an empty message", second(CheckRequestMessage("  ")), EINVALID, "body"},
		{"a long message", second(CheckRequestMessage(long)), EINVALID, "body"},
		{"a message", second(CheckRequestMessage(" hi ")), "", ""},
		{"assigning a closed request", CheckRequestAssignable(&Request{State: RequestCancelled}), ECONFLICT, ""},
		{"assigning an open request", CheckRequestAssignable(&Request{State: RequestInProgress}), "", ""},
		{"an unknown mail status", OutboxFilter{Status: "lost"}.Validate(), EINVALID, "status"},
		{"every mail", OutboxFilter{}.Validate(), "", ""},
		{"retrying a sent mail", CheckMailRetry(MailSent), ECONFLICT, ""},
		{"retrying a failed mail", CheckMailRetry(MailFailed), "", ""},
		{"an unknown thank-you", CheckThankYou("cash"), EINVALID, "thank_you"},
		{"the preferred thank-you", CheckThankYou(""), "", ""},
		{"thanking for a booked activity", CheckThankable(ActivityBooked), ECONFLICT, ""},
		{"thanking for a done activity", CheckThankable(ActivityDone), "", ""},
		{"a used link", CheckLinkUse(&Link{UsedAt: &used, ExpiresAt: now.Add(time.Hour)}, now), ECONFLICT, ""},
		{"an expired link", CheckLinkUse(&Link{ExpiresAt: now}, now), ECONFLICT, ""},
		{"a fresh link", CheckLinkUse(&Link{ExpiresAt: now.Add(time.Second)}, now), "", ""},
		{"feedback before completion", CheckFeedbackOn(AskScheduled), ECONFLICT, ""},
		{"asking for a closed request", CheckRequestTakesAsks(&Request{State: RequestCompleted}), ECONFLICT, ""},
		{"an answer on a closed request", CheckRequestTakesAnswers(&Request{State: RequestCancelled}), ECONFLICT, ""},
	} {
		if ErrorCode(c.err) != c.code { // ErrorCode(nil) is ""
			t.Errorf("%s: %v, want code %q", c.name, c.err, c.code)
		}
		if c.field != "" && ErrorFields(c.err)[c.field] == "" {
			t.Errorf("%s: %v, want the field %s named", c.name, c.err, c.field)
		}
	}
	if body, _ := CheckRequestMessage(" hi "); body != "hi" {
		t.Errorf("message %q, want it trimmed", body)
	}
	if AssignedEvent("") != "Assigned to nobody" || AssignedEvent("Tom") != "Assigned to Tom" {
		t.Errorf("assigned events: %q, %q", AssignedEvent(""), AssignedEvent("Tom"))
	}
}

func second[T any](_ T, err error) error { return err }
