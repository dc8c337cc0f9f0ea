package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
)

// demoLoaded is the summary of a demo load into an empty database.
var demoLoaded = regexp.MustCompile(`^Demo data loaded: 16 users, [1-9]\d* accounts, 300 references, [1-9]\d* activities, [1-9]\d* opportunities, [1-9]\d* requests, [1-9]\d* feedback, [1-9]\d* content items\.\n`)

// demoLogins is how the start-up message says to sign in: the password and
// an admin, a program manager and a seller, every time the demo is loaded.
var demoLogins = regexp.MustCompile(`Sign in with password "vouch-demo-password" \(demo only: change it on the Account page\) as:
  Admin            admin@example\.com \(Demo Admin\)
  Program manager  [a-z.]+@example\.com \([A-Z][a-z]+ [A-Z][a-z']+\)
  Seller           [a-z.]+@example\.com \([A-Z][a-z]+ [A-Z][a-z']+\)
$`)

func TestDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := mustVouch(t, opts{}, "demo", "--seed", "1", "--data-dir", dir)
	if !demoLoaded.MatchString(r.stdout) || !demoLogins.MatchString(r.stdout) {
		t.Errorf("first demo load said %s", r)
	}
	before := mustVouch(t, opts{}, "user", "list", "--data-dir", dir).stdout
	r = mustVouch(t, opts{}, "demo", "--seed", "1", "--data-dir", dir)
	if !strings.HasPrefix(r.stdout, "Demo data is already loaded; nothing added.\nSign in with password") || !demoLogins.MatchString(r.stdout) {
		t.Errorf("second demo load said %s", r)
	}
	if after := mustVouch(t, opts{}, "user", "list", "--data-dir", dir).stdout; after != before {
		t.Errorf("second demo load changed the users:\n%s\nthen:\n%s", before, after)
	}
	if got := userRows(t, before); len(got) != 16 || got[demo.AdminEmail] != "admin active" {
		t.Errorf("demo users: %v", got)
	}
}

func TestServeDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := serve(t, opts{}, "--demo", "--addr", "127.0.0.1:0", "--data-dir", dir)
	if out, _, _ := strings.Cut(p.stdout.String(), "Vouch is running at "); !demoLoaded.MatchString(out) || !demoLogins.MatchString(out) {
		t.Errorf("serve --demo printed:\n%s", p.stdout.String())
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	form := url.Values{"email": {demo.AdminEmail}, "password": {demo.Password}}
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.URL)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("login as the demo admin ended at %d %s", resp.StatusCode, resp.Request.URL)
	}
	resp, err = client.Get(p.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Good to see you, Demo Admin") {
		t.Errorf("dashboard after login: %d\n%s", resp.StatusCode, body)
	}

	// A second start on the same data adds nothing and says again how to sign in.
	code := p.stop(os.Interrupt, 5*time.Second)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	p2 := serve(t, opts{}, "--demo", "--addr", "127.0.0.1:0", "--data-dir", dir)
	if out, _, _ := strings.Cut(p2.stdout.String(), "Vouch is running at "); !strings.HasPrefix(out, "Demo data is already loaded; nothing added.\n") || !demoLogins.MatchString(out) {
		t.Errorf("second serve --demo printed:\n%s", out)
	}
}

// latestMigration is the highest version among the engine's migration files.
func latestMigration(t *testing.T, engine string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "store", "migrations", engine, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations for %s (%v)", engine, err)
	}
	sort.Strings(files)
	v, err := strconv.Atoi(strings.SplitN(filepath.Base(files[len(files)-1]), "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want := fmt.Sprintf("Database (sqlite) is at schema version %d.\n", latestMigration(t, "sqlite"))
	for i := 0; i < 2; i++ { // a second run finds nothing to do
		if r := mustVouch(t, opts{}, "migrate", "--data-dir", dir); r.stdout != want {
			t.Errorf("migrate #%d said %s, want %q", i+1, r, want)
		}
	}
}

func TestBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := []string{"--data-dir", dir}
	mustVouch(t, opts{stdin: "first password\n"},
		append([]string{"user", "add", "--email", "first@example.com", "--name", "First", "--role", "admin"}, data...)...)
	p := serve(t, opts{}, append([]string{"--addr", "127.0.0.1:0"}, data...)...)

	// Writers keep going while the backup is taken: the CLI adds users and
	// the server records failed logins.
	stop, added := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	firstAdded := sync.OnceFunc(func() { close(added) })
	go func() {
		defer wg.Done()
		defer firstAdded()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r := runVouch(t, opts{stdin: "some password\n"}, append([]string{"user", "add",
				"--email", fmt.Sprintf("u%d@example.com", i), "--name", "U", "--role", "viewer"}, data...)...)
			if r.code != 0 {
				t.Errorf("user add during backup: %s", r)
				return
			}
			firstAdded()
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			form := url.Values{"email": {fmt.Sprintf("nobody%d@example.com", i)}, "password": {"wrong password"}}
			req, _ := http.NewRequest(http.MethodPost, p.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("login during backup: %v", err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusTooManyRequests {
				t.Errorf("failed login during backup: %d", resp.StatusCode)
				return
			}
		}
	}()
	<-added

	backupDir := t.TempDir()
	file := filepath.Join(backupDir, "vouch.db")
	r := runVouch(t, opts{}, append(append([]string{"backup"}, data...), file)...)
	close(stop)
	wg.Wait()
	if r.code != 0 || !regexp.MustCompile(`^Backed up \S+vouch\.db to `+regexp.QuoteMeta(file)+`\. To restore, stop Vouch and copy it over \S+vouch\.db\.\n$`).MatchString(r.stdout) {
		t.Fatalf("backup: %s", r)
	}

	raw, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("backup integrity_check: %q %v", check, err)
	}
	raw.Close()

	backup := openStore(t, backupDir)
	ctx := context.Background()
	users, err := backup.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) < 2 || users[0].Email != "first@example.com" || users[1].Email != "u0@example.com" {
		t.Errorf("backup lacks the users added before it: %v", users)
	}
	if _, err := backup.Authenticate(ctx, "first@example.com", "first password"); err != nil {
		t.Errorf("sign-in against the backup: %v", err)
	}
	t.Logf("backup holds %d users", len(users))

	wantFailure(t, runVouch(t, opts{}, append(append([]string{"backup"}, data...), file)...), 1,
		"vouch backup: backup file "+file+" already exists; choose a new name.")
	if r := runVouch(t, opts{}, append([]string{"backup"}, data...)...); r.code != 2 || !strings.Contains(r.stderr, "name one backup file") {
		t.Errorf("backup without a file: want exit 2, got %s", r)
	}
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	t.Run("backup", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "backup", "--db", postgresURL(t), filepath.Join(t.TempDir(), "x.db"))
		wantFailure(t, r, 1, "vouch backup: vouch backup copies SQLite databases; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom")
	})
	t.Run("migrate and serve", func(t *testing.T) {
		t.Parallel()
		dbURL := postgresURL(t)
		want := fmt.Sprintf("Database (postgres) is at schema version %d.\n", latestMigration(t, "postgres"))
		if r := mustVouch(t, opts{}, "migrate", "--db", dbURL); r.stdout != want {
			t.Errorf("migrate said %s, want %q", r, want)
		}
		mustVouch(t, opts{stdin: "first password\n", env: []string{"VOUCH_DB=" + dbURL}},
			"user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin")
		secret := strings.TrimSpace(mustVouch(t, opts{env: []string{"VOUCH_DB=" + dbURL}}, "token", "create", "--email", "a@example.com").stdout)
		p := serve(t, opts{}, "--db", dbURL, "--addr", "127.0.0.1:0")
		if code, body := p.get("/readyz"); code != http.StatusOK || body != "ok\n" {
			t.Errorf("/readyz on PostgreSQL: %d %q", code, body)
		}
		if code, body := p.get("/api/v1/me", "Authorization", "Bearer "+secret); code != http.StatusOK || !strings.Contains(body, `"email":"a@example.com"`) {
			t.Errorf("/api/v1/me on PostgreSQL: %d %s", code, body)
		}
		if !strings.Contains(p.stderr.String(), "database=postgres") {
			t.Errorf("log does not name the engine:\n%s", p.stderr.String())
		}
		if code := p.stop(os.Interrupt, 5*time.Second); code != 0 {
			t.Errorf("exit %d\n%s", code, p.stderr.String())
		}
	})
}
