package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/vouchhq/vouch/internal/api"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// loadSpec parses openapi.yaml as the server embeds it.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return doc
}

// client sends requests to a real server and fails the test when a request
// meant to be valid, or any response at all, does not match openapi.yaml.
type client struct {
	base   string
	doc    *openapi3.T
	router routers.Router
	http   *http.Client
}

func newClient(t testing.TB, base string) *client {
	t.Helper()
	doc := loadSpec(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &client{base: base, doc: doc, router: router, http: &http.Client{Timeout: 30 * time.Second}}
}

// response is what the server answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body into v.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response is not the JSON expected: %v\n%s", err, r.body)
	}
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// page is the envelope of every list response.
type page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
	Total      int    `json:"total"`
}

// do sends the request with token as bearer token (none when empty) and body
// as JSON (none when empty). offSpec says the request breaks openapi.yaml on
// purpose, e.g. it has no token or malformed JSON: then the document must
// reject it too, so the spec and the server agree on what is valid.
func (c *client) do(t testing.TB, method, path, token, body string, offSpec bool) response {
	t.Helper()
	ctx := context.Background()
	newRequest := func() *http.Request {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", token)
			if !strings.Contains(token, " ") {
				req.Header.Set("Authorization", "Bearer "+token)
			}
		}
		return req
	}

	// The request: find the documented operation and check the request fits it.
	var input *openapi3filter.RequestValidationInput
	checkReq := newRequest()
	route, params, findErr := c.router.FindRoute(checkReq)
	reqErr := findErr
	if findErr == nil {
		input = &openapi3filter.RequestValidationInput{Request: checkReq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: bearerPresent}}
		reqErr = openapi3filter.ValidateRequest(ctx, input)
	}
	switch {
	case offSpec && reqErr == nil:
		t.Errorf("%s %s is marked off-spec, but openapi.yaml accepts it", method, path)
	case !offSpec && reqErr != nil:
		t.Errorf("%s %s does not match openapi.yaml: %v", method, path, reqErr)
	}

	resp, err := c.http.Do(newRequest())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: data}

	// The response: it must be one the operation documents, or, for a path or
	// method that is not documented at all, the JSON error body.
	if findErr != nil {
		c.checkError(t, method, path, r)
		return r
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(data)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		t.Errorf("response %d to %s %s does not match openapi.yaml: %v\n%s", r.status, method, path, err, data)
	}
	return r
}

// checkError checks a response to an undocumented request against the Error schema.
func (c *client) checkError(t testing.TB, method, path string, r response) {
	t.Helper()
	if ct, _, _ := mime.ParseMediaType(r.header.Get("Content-Type")); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, path, r.header.Get("Content-Type"))
		return
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Errorf("%s %s: body is not JSON: %v\n%s", method, path, err, r.body)
		return
	}
	if err := c.doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
		t.Errorf("%s %s: body is not an Error: %v\n%s", method, path, err, r.body)
	}
}

// bearerPresent is the spec check of bearerAuth: a bearer token is sent.
// Whether it is a valid token only the server can tell.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme, secret, _ := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return in.NewError(errors.New("no bearer token"))
	}
	return nil
}

// fixture is a running server with one user per role and tokens for each,
// plus tokens that must not work.
type fixture struct {
	srv    *testutil.Server
	c      *client
	users  map[string]*vouch.User // by role, e.g. "admin"
	tokens map[string]string      // by role, and "bad", "revoked", "disabled"
}

func newFixture(t *testing.T, e store.Engine) *fixture {
	t.Helper()
	srv := testutil.StartServer(t, e)
	f := &fixture{srv: srv, c: newClient(t, srv.URL), users: map[string]*vouch.User{}, tokens: map[string]string{}}
	for _, role := range vouch.Roles {
		u := testutil.CreateUser(t, srv.DB, string(role)+"@example.com", role)
		f.users[string(role)] = u
		f.tokens[string(role)] = testutil.Token(t, srv.DB, u)
	}
	ctx := context.Background()
	f.tokens["bad"] = store.TokenPrefix + "not-a-token-at-all"
	secret, tok, err := srv.DB.CreateToken(ctx, f.users["admin"].ID, "revoked")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.DB.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	f.tokens["revoked"] = secret
	gone := testutil.CreateUser(t, srv.DB, "gone@example.com", vouch.RoleAdmin)
	f.tokens["disabled"] = testutil.Token(t, srv.DB, gone)
	disabled := true
	if _, err := srv.DB.UpdateUser(ctx, gone.ID, vouch.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	f.users["disabled"] = gone
	return f
}

// forEachEngine runs fn once per database engine, each with a fresh server.
func forEachEngine(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			fn(t, newFixture(t, e))
		})
	}
}

// get sends a GET as the role and fails unless it answers 200.
func (f *fixture) get(t testing.TB, as, path string, v any) {
	t.Helper()
	r := f.c.do(t, http.MethodGet, path, f.tokens[as], "", false)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", path, r.status, r.body)
	}
	r.decode(t, v)
}

// scenario is one API call and what a client must see.
type scenario struct {
	name    string
	method  string
	path    string
	as      string // the caller: a role, "bad", "revoked", "disabled", or "" for no token
	body    string // JSON; empty sends none
	offSpec bool   // the request breaks openapi.yaml on purpose
	status  int
	want    []string                       // substrings the body must contain
	fields  []string                       // for errors: exactly the fields the error must name
	check   func(t *testing.T, r response) // anything else
}

// run runs the scenarios in order, as subtests; later ones may rely on earlier ones.
func (f *fixture) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Helper()
			token := f.tokens[sc.as]
			if sc.as != "" && token == "" {
				t.Fatalf("no token for %q", sc.as)
			}
			r := f.c.do(t, sc.method, sc.path, token, sc.body, sc.offSpec)
			if r.status != sc.status {
				t.Fatalf("%s %s as %q: status %d, want %d\n%s", sc.method, sc.path, sc.as, r.status, sc.status, r.body)
			}
			for _, w := range sc.want {
				if !bytes.Contains(r.body, []byte(w)) {
					t.Errorf("body does not contain %s\n%s", w, r.body)
				}
			}
			if sc.fields != nil {
				var e errorBody
				r.decode(t, &e)
				var got []string
				for k := range e.Error.Fields {
					got = append(got, k)
				}
				if !sameSet(got, sc.fields) {
					t.Errorf("error names fields %v, want %v\n%s", got, sc.fields, r.body)
				}
			}
			if sc.check != nil {
				sc.check(t, r)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
