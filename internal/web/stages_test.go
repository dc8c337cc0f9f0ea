package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// boardColumn is the HTML of the board's column for stage.
func boardColumn(t *testing.T, body string, stage vouch.StageKey) string {
	t.Helper()
	i := strings.Index(body, `data-stage="`+string(stage)+`"`)
	if i < 0 {
		t.Fatalf("the board has no column %s", stage)
	}
	return body[i : i+strings.Index(body[i:], "</section>")]
}

// TestStagesSayWhoseMoveItIs follows one request through the loop and
// reads, at each step, what the queue, the board, the seller's list and
// the request page say: where it stands and whose move it is.
func TestStagesSayWhoseMoveItIs(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		ref := l.reference(t, "Stella Stage", 3)
		a, token := l.ask(t, ref)
		page := "/requests/" + idOf(a.RequestID)
		card := `id="card-` + idOf(a.RequestID) + `"`
		tess, sam := testutil.Login(t, s, "tess@example.com"), testutil.Login(t, s, "sam@example.com")

		_, body := tess.Get("/requests")
		mustContain(t, "queue, asked", body, "Awaiting advocate</span> <span class=\"next-move muted small\">Advocate's move")
		_, body = tess.Get(page)
		mustContain(t, "request page, asked", body, `id="request-stage">Awaiting advocate`, "Next: Advocate</strong>")

		if resp, _ := answer(t, s, "/a/"+token, url.Values{"action": {"accept"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		_, body = tess.Get("/requests")
		mustContain(t, "queue, accepted", body, "Accepted — to schedule</span> <span class=\"next-move muted small\">Team's move")
		if strings.Contains(body, ">Awaiting advocate<") {
			t.Error("the queue still says awaiting advocate after the advocate accepted")
		}
		_, body = tess.Get("/requests?view=board")
		if col := boardColumn(t, body, vouch.StageToSchedule); !strings.Contains(col, card) ||
			!strings.Contains(col, fmt.Sprintf(`href="%s#asks" aria-label="Schedule: request %d"`, page, a.RequestID)) {
			t.Errorf("the accepted request is not to schedule on the board: %s", col)
		}
		if col := boardColumn(t, body, vouch.StageAwaitingAdvocate); strings.Contains(col, card) {
			t.Error("the accepted request is still in the awaiting advocate column")
		}
		_, body = tess.Get(page)
		mustContain(t, "request page, accepted", body, `id="request-stage">Accepted — to schedule`,
			"Next: Team</strong> — Agree a time with the advocate and schedule it.")
		_, body = sam.Get("/requests/mine")
		mustContain(t, "my requests, accepted", body, "Accepted — to schedule")

		sellerToken, _ := l.complete(t, a, ref)
		_, body = sam.Get("/requests/mine")
		mustContain(t, "my requests, held", body, "Held — awaiting feedback</span> <span class=\"next-move muted small\">Seller's move")
		_, body = sam.Get(page)
		mustContain(t, "request page, held", body, `id="request-stage">Held — awaiting feedback`,
			"Next: you</strong> — Rate how the reference helped the deal.")

		// The seller rates in the app: the request is done, and the mailed
		// link says the feedback is in instead of showing the form again.
		_, body = sam.PostForm(page+"/asks/"+idOf(a.ID)+"/feedback", url.Values{"rating": {"5"}, "influenced": {"yes"}})
		mustContain(t, "in-app feedback", body, "Thank you — your feedback is recorded.", `id="request-stage">Done`)
		if strings.Contains(body, `id="next-move"`) {
			t.Error("a done request still names a next move")
		}
		resp, body := visit(t, s, "/f/"+sellerToken)
		expect(t, "mailed link after in-app feedback", resp, http.StatusConflict, "/f/"+sellerToken)
		mustContain(t, "mailed link after in-app feedback", body, "Your feedback is already in", "already given")
		if strings.Contains(body, `name="rating"`) {
			t.Error("the mailed link shows the feedback form again")
		}
		resp, _ = answer(t, s, "/f/"+sellerToken, url.Values{"rating": {"1"}, "influenced": {"no"}})
		expect(t, "mailed link posted after in-app feedback", resp, http.StatusConflict, "/f/"+sellerToken)
		if got, _ := s.DB.Feedback(ctx, a.RequestID); len(got) != 1 || got[0].Rating != 5 {
			t.Errorf("feedback after the mailed link was posted too: %+v", got)
		}
	})
}
