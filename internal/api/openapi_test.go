package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/api"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadSpec(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi: %s, want 3.0.3", doc.OpenAPI)
	}
}

// TestEveryRouteIsDocumented holds the routes the API serves against the
// paths openapi.yaml documents, both ways, so neither can drift.
func TestEveryRouteIsDocumented(t *testing.T) {
	doc := loadSpec(t)
	served := map[string]bool{}
	for _, p := range api.Patterns() {
		served[p] = true
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			t.Errorf("route %q has no method", p)
			continue
		}
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is served but not documented in openapi.yaml", p)
		}
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("openapi.yaml documents %s %s, which is not served", method, path)
			}
		}
	}
}

// TestEveryEndpointNeedsAToken calls every route without a token: all but
// the OpenAPI document itself must refuse with 401 and a bearer challenge.
func TestEveryEndpointNeedsAToken(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		for _, p := range api.Patterns() {
			method, path, _ := strings.Cut(p, " ")
			path = strings.NewReplacer("{kind}", "industry", "{id}", "1").Replace(path)
			public := path == "/api/v1/openapi.yaml"
			r := f.c.do(t, method, path, "", "", !public)
			switch {
			case public && r.status != http.StatusOK:
				t.Errorf("%s: status %d, want 200", p, r.status)
			case !public && r.status != http.StatusUnauthorized:
				t.Errorf("%s without a token: status %d, want 401", p, r.status)
			case !public && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer "):
				t.Errorf("%s without a token: WWW-Authenticate %q", p, r.header.Get("WWW-Authenticate"))
			}
		}
	})
}

// TestOperationalEndpoints checks the plain-text endpoints outside /api/v1
// match their documentation too.
func TestOperationalEndpoints(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.run(t, []scenario{
			{name: "healthz", method: "GET", path: "/healthz", status: 200, want: []string{"ok"}},
			{name: "readyz", method: "GET", path: "/readyz", status: 200, want: []string{"ok"}},
			{name: "metrics", method: "GET", path: "/metrics", status: 200, want: []string{"go_goroutines"}},
			{name: "openapi document", method: "GET", path: "/api/v1/openapi.yaml", status: 200,
				check: func(t *testing.T, r response) {
					if string(r.body) != string(api.OpenAPI) {
						t.Error("served document differs from the embedded openapi.yaml")
					}
				}},
		})
	})
}
