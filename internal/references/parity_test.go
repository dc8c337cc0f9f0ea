package references_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// save is one save of a reference, as a person would give it on the form
// and a program in JSON: the same values, by name.
type save struct {
	account       string
	createAccount bool
	name          string
	products      []string
	lastVerified  string
	status        string
	// existing: the save updates a reference that has the retired product already.
	existing bool
}

// webFields are the form's field names where the API's differ.
var webFields = map[string]string{"competitors": "competitors_replaced", "owner": "owner_email", "capacity": "capacity_override"}

var fieldError = regexp.MustCompile(`id="([a-z_]+)-error"`)

// TestOneRuleOnBothEdges sends the same saves to POST/PATCH /api/v1/references
// and to the reference form, and expects the same answer: the same fields
// refused, or both saved. It holds the rules where the two edges disagreed.
func TestOneRuleOnBothEdges(t *testing.T) {
	// Both engines' clocks stand at the same moment, so "today" is one day
	// for the cases and for the servers.
	at := time.Now()
	today := vouch.FixedClock(at).Today()
	tomorrow := today.AddDays(1).String()
	cases := []struct {
		name    string
		in      save
		refused []string // API field names; nil: saved
	}{
		{"a retired value is not newly given", save{account: "Acme Health", name: "Ana", products: []string{"Legacy Suite"}}, []string{"products"}},
		{"a retired value already had stays", save{account: "Acme Health", name: "Ana", products: []string{"Analytics", "Legacy Suite"}, existing: true}, nil},
		{"a retired value already had stays while another is added", save{account: "Acme Health", name: "Ana", products: []string{"Legacy Suite", "Automation"}, existing: true}, nil},
		{"last verified in the future", save{account: "Acme Health", name: "Ana", lastVerified: tomorrow}, []string{"last_verified"}},
		{"last verified today", save{account: "Acme Health", name: "Ana", lastVerified: today.String()}, nil},
		{"a new reference may start active", save{account: "Acme Health", name: "Ana", status: "active"}, nil},
		{"a new reference may start qualifying", save{account: "Acme Health", name: "Ana", status: "qualifying"}, nil},
		{"a new reference does not start retired", save{account: "Acme Health", name: "Ana", status: "retired"}, []string{"status"}},
		{"a new reference does not start resting", save{account: "Acme Health", name: "Ana", status: "resting"}, []string{"status"}},
		{"an unknown account is not created unasked", save{account: "Nimbus Air", name: "Ana"}, []string{"account"}},
		{"an unknown account is created when asked", save{account: "Nimbus Air", createAccount: true, name: "Ana"}, nil},
		{"every problem at once", save{account: "Nimbus Air", name: " ", products: []string{"Legacy Suite"}, lastVerified: tomorrow, status: "retired"},
			[]string{"account", "last_verified", "name", "products", "status"}},
	}
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			srv := testutil.StartServer(t, e)
			srv.DB.Clock.Set(at)
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			pm := testutil.CreateUser(t, srv.DB, "pam@vouch.example", vouch.RoleProgramManager)
			token := testutil.Token(t, srv.DB, pm)
			web := testutil.Login(t, srv, pm.Email)
			acct := &vouch.Account{Name: "Acme Health"}
			if err := srv.DB.CreateAccount(ctx, acct); err != nil {
				t.Fatal(err)
			}
			legacy := &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: "Legacy Suite"}
			if err := srv.DB.CreateTaxonomyValue(ctx, legacy); err != nil {
				t.Fatal(err)
			}
			values := map[string]int64{"Legacy Suite": legacy.ID}
			for _, name := range []string{"Analytics", "Automation"} {
				vals, err := srv.DB.ListTaxonomy(ctx, vouch.TaxProduct)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(vals, func(v *vouch.TaxonomyValue) bool { return v.Name == name })
				values[name] = vals[i].ID
			}
			// References that have the value before it is retired, one per edge and case.
			had := map[string]*vouch.Reference{}
			for i, c := range cases {
				if !c.in.existing {
					continue
				}
				for _, edge := range []string{"api", "web"} {
					r := &vouch.Reference{AccountID: acct.ID, Name: fmt.Sprintf("Had %d %s", i, edge), ProductIDs: []int64{legacy.ID, values["Analytics"]}}
					if err := srv.DB.CreateReference(ctx, r); err != nil {
						t.Fatal(err)
					}
					had[fmt.Sprint(i, edge)] = r
				}
			}
			retired := true
			if _, err := srv.DB.UpdateTaxonomyValue(ctx, legacy.ID, vouch.TaxonomyUpdate{Retired: &retired}); err != nil {
				t.Fatal(err)
			}

			for i, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					in := c.in
					if in.createAccount {
						in.account = fmt.Sprintf("%s %d", in.account, i) // a new one per edge below
					}
					apiIn, webIn := in, in
					if in.createAccount {
						apiIn.account, webIn.account = in.account+" API", in.account+" web"
					}
					apiRefused, apiSaved := viaAPI(t, srv, token, apiIn, had[fmt.Sprint(i, "api")])
					webRefused, webSaved := viaForm(t, web, webIn, values, had[fmt.Sprint(i, "web")])
					if !slices.Equal(apiRefused, c.refused) || !slices.Equal(webRefused, c.refused) {
						t.Errorf("refused: API %v, web %v; want %v", apiRefused, webRefused, c.refused)
					}
					if apiSaved != (c.refused == nil) || webSaved != (c.refused == nil) {
						t.Errorf("saved: API %v, web %v; want %v", apiSaved, webSaved, c.refused == nil)
					}
					if c.name == "a retired value already had stays while another is added" {
						// Not refused: the reference had it. The other value is added.
						for _, edge := range []string{"api", "web"} {
							r, err := srv.DB.Reference(ctx, had[fmt.Sprint(i, edge)].ID)
							if err != nil {
								t.Fatal(err)
							}
							if !slices.Contains(r.ProductIDs, legacy.ID) || !slices.Contains(r.ProductIDs, values["Automation"]) {
								t.Errorf("%s: products %v, want Legacy Suite and Automation", edge, r.ProductIDs)
							}
						}
					}
					if c.refused != nil && in.createAccount {
						for _, name := range []string{apiIn.account, webIn.account} {
							if _, err := srv.DB.AccountByName(ctx, name); err == nil {
								t.Errorf("account %q created by a refused save", name)
							}
						}
					}
				})
			}
		})
	}
}

// viaAPI sends the save as JSON and returns the fields refused, sorted, and
// whether it was saved.
func viaAPI(t *testing.T, srv *testutil.Server, token string, in save, cur *vouch.Reference) ([]string, bool) {
	t.Helper()
	body := map[string]any{"account": in.account, "name": in.name}
	if in.createAccount {
		body["create_account"] = true
	}
	if in.products != nil {
		body["products"] = in.products
	}
	if in.lastVerified != "" {
		body["last_verified"] = in.lastVerified
	}
	if in.status != "" {
		body["status"] = in.status
		switch in.status {
		case "retired":
			body["reason"] = "moved on"
		case "resting":
			body["until"] = srv.DB.Today().AddDays(30).String()
		}
	}
	method, path, want := http.MethodPost, "/api/v1/references", http.StatusCreated
	if cur != nil {
		method, path, want = http.MethodPatch, fmt.Sprintf("/api/v1/references/%d", cur.ID), http.StatusOK
		body["version"] = cur.Version
	}
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == want {
		return nil, true
	}
	var out struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(raw, &out) != nil {
		t.Fatalf("API: status %d\n%s", resp.StatusCode, raw)
	}
	var fields []string
	for f := range out.Error.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields, false
}

// viaForm posts the save as the reference form does, values by id, and
// returns the fields the page marks, under the API's names, and whether it was saved.
func viaForm(t *testing.T, web *testutil.Browser, in save, values map[string]int64, cur *vouch.Reference) ([]string, bool) {
	t.Helper()
	form := url.Values{"account": {in.account}, "name": {in.name}, "last_verified": {in.lastVerified}, "status": {in.status}}
	if in.createAccount {
		form.Set("create_account", "1")
	}
	for _, p := range in.products {
		form.Add("products", fmt.Sprint(values[p]))
	}
	path := "/references/new"
	if cur != nil {
		path = fmt.Sprintf("/references/%d/edit", cur.ID)
		form.Set("version", fmt.Sprint(cur.Version))
		form.Del("status")
	}
	web.Get(path) // the form, for its CSRF token
	if in.status == "retired" {
		form.Set("reason", "moved on")
	}
	resp, body := web.PostForm(path, form)
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Request.URL.Path, "/references/") &&
		!strings.HasSuffix(resp.Request.URL.Path, "/new") && !strings.HasSuffix(resp.Request.URL.Path, "/edit") {
		return nil, true
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("web: status %d at %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	var fields []string
	for _, m := range fieldError.FindAllStringSubmatch(body, -1) {
		f := m[1]
		if n, ok := webFields[f]; ok {
			f = n
		}
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	sort.Strings(fields)
	return fields, false
}
