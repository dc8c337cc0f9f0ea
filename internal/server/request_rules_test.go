package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The rules of a new request are the same whichever edge it comes in by:
// each case is sent as JSON to POST /api/v1/requests (with a token) and
// as the form to POST /requests/new (signed in, with the CSRF token), on a
// real server and database, and both must give the same answer. A seller
// requests for the opportunities they own; the program team for any.
func TestNewRequestSameAnswerOnBothEdges(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			s := testutil.StartServer(t, e)
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
			sue := testutil.CreateUser(t, s.DB, "sue@example.com", vouch.RoleSeller)
			pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
			opps := map[string]int64{"unknown": 999999}
			for name, owner := range map[string]*vouch.User{"sam's": sam, "sue's": sue} {
				o := &vouch.Opportunity{Name: name + " deal", Prospect: "Prospect", OwnerID: owner.ID}
				if err := s.DB.CreateOpportunity(ctx, o); err != nil {
					t.Fatal(err)
				}
				opps[name] = o.ID
			}
			calls, err := s.DB.ListTaxonomy(ctx, vouch.TaxActivityType)
			if err != nil {
				t.Fatal(err)
			}
			call := calls[slices.IndexFunc(calls, func(v *vouch.TaxonomyValue) bool { return v.Name == "Call" })].ID
			tokens := map[string]string{}
			for _, u := range []*vouch.User{sam, pam} {
				tokens[u.Email] = testutil.Token(t, s.DB, u)
			}
			due := s.DB.Today().AddDays(20).String()
			past := s.DB.Today().AddDays(-1).String()

			for _, c := range []struct {
				name        string
				as          *vouch.User
				opportunity string
				due         string
				needed      int
				fields      []string // the fields refused, in the API's words; none: the request is stored
			}{
				{name: "a seller for their own opportunity", as: sam, opportunity: "sam's", due: due, needed: 1},
				{name: "a seller for another seller's opportunity", as: sam, opportunity: "sue's", due: due, needed: 1,
					fields: []string{"opportunity_id"}},
				{name: "a seller for an unknown opportunity", as: sam, opportunity: "unknown", due: due, needed: 1,
					fields: []string{"opportunity_id"}},
				{name: "the program team for a seller's opportunity", as: pam, opportunity: "sue's", due: due, needed: 2},
				{name: "every problem at once", as: sam, opportunity: "sue's", due: past, needed: 11,
					fields: []string{"due_date", "opportunity_id", "references_needed"}},
			} {
				t.Run(c.name, func(t *testing.T) {
					// The API.
					body := fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "references_needed": %d}`,
						opps[c.opportunity], c.due, c.needed)
					req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/requests", strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+tokens[c.as.Email])
					req.Header.Set("Content-Type", "application/json")
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					var answer struct {
						Error struct {
							Fields map[string]string `json:"fields"`
						} `json:"error"`
					}
					if err := json.Unmarshal(raw, &answer); err != nil {
						t.Fatalf("API answer %d %s: %v", resp.StatusCode, raw, err)
					}
					apiFields := slices.Sorted(maps.Keys(answer.Error.Fields))
					apiStatus := resp.StatusCode
					apiStored := apiStatus == http.StatusCreated

					// The web form.
					b := testutil.Login(t, s, c.as.Email)
					b.Get("/requests/new")
					resp, page := b.PostForm("/requests/new", url.Values{"opportunity_id": {strconv.FormatInt(opps[c.opportunity], 10)},
						"activity_type": {strconv.FormatInt(call, 10)}, "due_date": {c.due}, "references_needed": {strconv.Itoa(c.needed)}})
					webStored := resp.StatusCode == http.StatusOK && regexp.MustCompile(`^/requests/\d+$`).MatchString(resp.Request.URL.Path)
					var webFields []string
					for _, m := range regexp.MustCompile(`<p class="field-error" id="([a-z_]+)-error">`).FindAllStringSubmatch(page, -1) {
						webFields = append(webFields, m[1])
					}
					slices.Sort(webFields)

					want := len(c.fields) == 0
					if apiStored != want || webStored != want {
						t.Fatalf("stored by the API: %v (%d %s), by the form: %v (%d, fields %v); want %v",
							apiStored, apiStatus, raw, webStored, resp.StatusCode, webFields, want)
					}
					if !slices.Equal(apiFields, c.fields) || !slices.Equal(webFields, c.fields) {
						t.Errorf("fields refused: API %v, form %v; want %v", apiFields, webFields, c.fields)
					}
				})
			}
		})
	}
}

// A move of a request by hand is decided once (vouch.CheckRequestMove):
// the API and the board's form refuse the same moves of a request nobody
// was asked for, with the same reason, and change nothing.
func TestRequestMoveSameAnswerOnBothEdges(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			s := testutil.StartServer(t, e)
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
			o := &vouch.Opportunity{Name: "Globex deal", Prospect: "Globex", OwnerID: pam.ID}
			if err := s.DB.CreateOpportunity(ctx, o); err != nil {
				t.Fatal(err)
			}
			calls, err := s.DB.ListTaxonomy(ctx, vouch.TaxActivityType)
			if err != nil {
				t.Fatal(err)
			}
			call := calls[slices.IndexFunc(calls, func(v *vouch.TaxonomyValue) bool { return v.Name == "Call" })].ID
			r := &vouch.Request{RequesterID: pam.ID, OpportunityID: o.ID, ActivityTypeID: call, ReferencesNeeded: 1,
				DueDate: s.DB.Today().AddDays(20), Workflow: vouch.WorkflowProgramManaged, State: vouch.RequestSubmitted}
			if err := s.DB.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
				t.Fatal(err)
			}
			token := testutil.Token(t, s.DB, pam)
			b := testutil.Login(t, s, pam.Email)
			for _, c := range []struct {
				to, says string
			}{
				{"awaiting_advocate", "No advocate has been asked yet — pick a reference first."},
				{"completed", "A request that is submitted cannot become completed; it can become in progress, declined, cancelled, unfulfilled."},
			} {
				t.Run(c.to, func(t *testing.T) {
					req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/requests/%d/state", s.URL, r.ID),
						strings.NewReader(fmt.Sprintf(`{"state": %q, "version": %d}`, c.to, r.Version)))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusConflict || !strings.Contains(string(raw), c.says) {
						t.Errorf("API: %d %s, want 409 saying %q", resp.StatusCode, raw, c.says)
					}
					b.Get("/requests?view=board")
					_, page := b.PostForm(fmt.Sprintf("/requests/%d/state", r.ID), url.Values{"state": {c.to},
						"version": {strconv.Itoa(r.Version)}, "back": {"/requests?view=board"}})
					if !strings.Contains(page, "flash-error") || !strings.Contains(page, c.says) {
						t.Errorf("the board's form does not refuse saying %q", c.says)
					}
					if got, _ := s.DB.Request(ctx, r.ID); got.State != vouch.RequestSubmitted || got.Version != r.Version {
						t.Errorf("after the refused moves the request is %s (version %d)", got.State, got.Version)
					}
				})
			}
		})
	}
}
