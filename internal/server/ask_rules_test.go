package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Asking a reference the team found itself answers the same on both
// edges: each case is sent as JSON to POST /api/v1/requests/{id}/asks and
// as the form to POST /requests/{id}/asks, each on a request of its own,
// and both must refuse alike, warn alike (the page shows the warnings to
// confirm) or ask.
func TestAskSameAnswerOnBothEdges(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			s := testutil.StartServer(t, e)
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
			pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
			token := testutil.Token(t, s.DB, pam)
			value := func(kind vouch.TaxonomyKind, name string) int64 {
				vals, err := s.DB.ListTaxonomy(ctx, kind)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vals {
					if v.Name == name {
						return v.ID
					}
				}
				t.Fatalf("no %s %q", kind, name)
				return 0
			}
			call, insurance := value(vouch.TaxActivityType, "Call"), value(vouch.TaxIndustry, "Insurance")
			insurer := &vouch.Account{Name: "Shield Mutual", IndustryID: insurance}
			clinic := &vouch.Account{Name: "Mercy Clinics", IndustryID: value(vouch.TaxIndustry, "Healthcare")}
			for _, a := range []*vouch.Account{insurer, clinic} {
				if err := s.DB.CreateAccount(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			// Each edge asks references of its own, so that one edge's ask
			// is not the other's fatigue signal.
			refs := map[string]int64{}
			for _, edge := range []string{"api", "web"} {
				for _, r := range []*vouch.Reference{
					{AccountID: insurer.ID, Name: "Ivy Insurer", Status: vouch.StatusActive},
					{AccountID: clinic.ID, Name: "Hal Health", Status: vouch.StatusActive},
					{AccountID: insurer.ID, Name: "Dora Donot", Status: vouch.StatusDoNotContact},
				} {
					r.Email = edge + "." + strings.ToLower(strings.Fields(r.Name)[0]) + "@example.org"
					r.LastVerified = s.DB.Today()
					r.Activities = []vouch.AgreedActivity{{TypeID: call}}
					if err := s.DB.CreateReference(ctx, r); err != nil {
						t.Fatal(err)
					}
					refs[edge+strings.Fields(r.Name)[0]] = r.ID
				}
			}
			request := func() int64 {
				o := &vouch.Opportunity{Name: "Deal", Prospect: "Acme", OwnerID: sam.ID}
				if err := s.DB.CreateOpportunity(ctx, o); err != nil {
					t.Fatal(err)
				}
				r := &vouch.Request{RequesterID: sam.ID, OpportunityID: o.ID, ActivityTypeID: call, DueDate: s.DB.Today().AddDays(20),
					ReferencesNeeded: 1, Criteria: vouch.Criteria{IndustryID: insurance}}
				if err := s.DB.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
					t.Fatal(err)
				}
				return r.ID
			}
			b := testutil.Login(t, s, pam.Email)
			for _, c := range []struct {
				name     string
				ref      string
				confirm  bool
				asked    bool
				says     string // in the API's error and on the page
				warnings bool   // the answer is the warnings to confirm
			}{
				{name: "meets every criterion", ref: "Ivy", asked: true},
				{name: "misses a criterion, unconfirmed", ref: "Hal", warnings: true, says: "Does not meet industry: Insurance"},
				{name: "misses a criterion, confirmed", ref: "Hal", confirm: true, asked: true},
				{name: "do not contact", ref: "Dora", confirm: true, says: "Dora Donot cannot be asked for this request: do not contact."},
			} {
				t.Run(c.name, func(t *testing.T) {
					// The API.
					apiReq := request()
					body := fmt.Sprintf(`{"reference_id": %d, "confirm": %v}`, refs["api"+c.ref], c.confirm)
					req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/requests/%d/asks", s.URL, apiReq), strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					var answer struct {
						Error struct {
							Message  string   `json:"message"`
							Warnings []string `json:"warnings"`
						} `json:"error"`
					}
					_ = json.Unmarshal(raw, &answer)
					apiAsked := resp.StatusCode == http.StatusCreated

					// The page.
					webReq := request()
					b.Get(fmt.Sprintf("/requests/%d", webReq))
					form := url.Values{"ref_id": {fmt.Sprint(refs["web"+c.ref])}}
					if c.confirm {
						form.Set("confirm", "1")
					}
					wresp, page := b.PostForm(fmt.Sprintf("/requests/%d/asks", webReq), form)
					page = html.UnescapeString(page)
					webAsks, _ := s.DB.Asks(ctx, webReq)
					webAsked := len(webAsks) == 1

					if apiAsked != c.asked || webAsked != c.asked {
						t.Fatalf("asked by the API: %v (%d %s), by the form: %v (%s); want %v", apiAsked, resp.StatusCode, raw,
							webAsked, wresp.Request.URL, c.asked)
					}
					if c.says != "" && (!strings.Contains(answer.Error.Message, c.says) || !strings.Contains(page, c.says)) {
						t.Errorf("API says %q, page at %s lacks %q", answer.Error.Message, wresp.Request.URL, c.says)
					}
					if c.warnings {
						if len(answer.Error.Warnings) == 0 || !strings.Contains(page, "Before you ask") {
							t.Errorf("API warnings %q; the page (%s) does not show them", answer.Error.Warnings, wresp.Request.URL)
						}
						for _, w := range answer.Error.Warnings {
							if !strings.Contains(page, "<li>"+w+"</li>") {
								t.Errorf("the page does not list the API's warning %q", w)
							}
						}
					}
				})
			}
		})
	}
}
