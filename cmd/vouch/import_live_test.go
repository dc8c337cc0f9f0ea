package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImportWhileServing imports from the command line into the database a
// running server uses: the server notices the write it did not make and
// finds the new references, by search and in counts, within seconds (it
// polls every 500 ms; the promise is 2 s, the test allows 10 s for a loaded machine
// and logs how long it took).
func TestImportWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := []string{"--data-dir", filepath.Join(dir, "data")}
	mustVouch(t, opts{stdin: "first password\n"},
		append([]string{"user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin"}, db...)...)
	p := serve(t, opts{}, append([]string{"--addr", "127.0.0.1:0"}, db...)...)
	secret := strings.TrimSpace(mustVouch(t, opts{}, append([]string{"token", "create", "--email", "a@example.com"}, db...)...).stdout)

	count := func(query string) int {
		code, body := p.get("/api/v1/references?"+query, "Authorization", "Bearer "+secret)
		if code != http.StatusOK {
			t.Fatalf("search: %d %s", code, body)
		}
		var page struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		return page.Total
	}
	if n := count("q=zanzibar"); n != 0 {
		t.Fatalf("before the import the search finds %d", n)
	}
	file := writeTemp(t, dir, "new.csv", "Account,Name,Email,Industry,Story\n"+
		"Zanzibar Freight,Amina Said,amina@zanzibar.example,Transportation & Logistics,Runs the Zanzibar port systems\n"+
		"Zanzibar Freight,Omar Haddad,omar@zanzibar.example,Transportation & Logistics,\n")
	mustVouch(t, opts{}, append([]string{"import", "references", file}, db...)...)
	imported := time.Now()
	for count("q=zanzibar") != 2 || count("industry=transportation+%26+logistics") != 2 {
		if time.Since(imported) > 10*time.Second {
			t.Fatalf("the server did not see the imported references within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the server found the imported references %v after the import finished", time.Since(imported).Round(10*time.Millisecond))
}
