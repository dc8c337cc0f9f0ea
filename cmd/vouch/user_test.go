package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os/user"
	"regexp"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// userRows parses `vouch user list` into email → "role status".
func userRows(t *testing.T, out string) map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) == 0 || strings.Join(strings.Fields(lines[0]), " ") != "ID EMAIL NAME ROLE STATUS" {
		t.Fatalf("user list has no header:\n%s", out)
	}
	rows := map[string]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 5 {
			t.Fatalf("bad user list line %q", l)
		}
		rows[f[1]] = f[len(f)-2] + " " + f[len(f)-1]
	}
	return rows
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		db := []string{"--data-dir", dir}
		list := func() map[string]string {
			t.Helper()
			return userRows(t, mustVouch(t, opts{}, append([]string{"user", "list"}, db...)...).stdout)
		}
		mustVouch(t, opts{stdin: "first password\n"},
			append([]string{"user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin"}, db...)...)
		r := runVouch(t, opts{stdin: "first password\n"},
			append([]string{"user", "add", "--email", "x@example.com", "--name", "X", "--role", "boss"}, db...)...)
		wantFailure(t, r, 1, "role: must be one of admin, program_manager, team_member, seller, viewer")
		r = runVouch(t, opts{stdin: "first password\n"},
			append([]string{"user", "add", "--email", "z@example.com", "--name", "Z", "--role", "seller", "--time-zone", "Mars/Olympus"}, db...)...)
		wantFailure(t, r, 1, "time_zone: must be a time zone like Europe/Berlin")
		r = runVouch(t, opts{stdin: "first password\n"},
			append([]string{"user", "add", "--email", "A@example.com", "--name", "Other", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "already exists")
		r = runVouch(t, opts{stdin: "short\n"},
			append([]string{"user", "add", "--email", "y@example.com", "--name", "Y", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "password: must be at least 10 characters")
		r = runVouch(t, opts{},
			append([]string{"user", "add", "--email", "y@example.com", "--name", "Y", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "no password on standard input")
		r = runVouch(t, opts{}, append([]string{"user", "set-role", "--email", "nobody@example.com", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "vouch user: No user with email nobody@example.com.")
		r = runVouch(t, opts{}, append([]string{"user", "set-role", "--email", "a@example.com", "--role", "boss"}, db...)...)
		wantFailure(t, r, 1, "role: must be one of admin, program_manager, team_member, seller, viewer")
		// The only admin cannot lose the role: someone must manage users.
		r = runVouch(t, opts{}, append([]string{"user", "set-role", "--email", "a@example.com", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "a@example.com is the last admin")
		// Escape sequences in a name would rewrite the terminal of whoever lists users.
		r = runVouch(t, opts{stdin: "first password\n"},
			append([]string{"user", "add", "--email", "e@example.com", "--name", "\x1b[2J\x1b[HEve", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "--name: Name contains a control character (U+001B)")
		r = runVouch(t, opts{}, append([]string{"user", "set-role", "--email", "a\x07@example.com", "--role", "viewer"}, db...)...)
		wantFailure(t, r, 1, "--email: Email contains a control character (U+0007)")
		if r := runVouch(t, opts{}, "user", "add"); r.code != 2 || !strings.Contains(r.stderr, "--email, --name and --role are required") {
			t.Errorf("user add without flags: want exit 2, got %s", r)
		}
		if r := runVouch(t, opts{}, "user", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown subcommand "frobnicate"`) {
			t.Errorf("user frobnicate: want exit 2, got %s", r)
		}
		if got := list(); len(got) != 1 {
			t.Errorf("failed commands changed the users: %v", got)
		}
	})

	dir := t.TempDir()
	db := []string{"--data-dir", dir}
	list := func() map[string]string {
		t.Helper()
		return userRows(t, mustVouch(t, opts{}, append([]string{"user", "list"}, db...)...).stdout)
	}

	r := mustVouch(t, opts{stdin: "first password\n"},
		append([]string{"user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin"}, db...)...)
	if r.stdout != "Added A <a@example.com> as Admin.\n" {
		t.Errorf("user add said %s", r)
	}
	if got := list(); len(got) != 1 || got["a@example.com"] != "admin active" {
		t.Fatalf("user list after add: %v", got)
	}

	mustVouch(t, opts{stdin: "second password\n"},
		append([]string{"user", "add", "--email", "b@example.com", "--name", "B", "--role", "admin", "--time-zone", "Europe/Berlin"}, db...)...)
	r = mustVouch(t, opts{}, append([]string{"user", "set-role", "--email", "a@example.com", "--role", "seller"}, db...)...)
	if r.stdout != "a@example.com is now Seller.\n" {
		t.Errorf("set-role said %s", r)
	}
	r = mustVouch(t, opts{}, append([]string{"user", "disable", "--email", "a@example.com"}, db...)...)
	if r.stdout != "a@example.com is disabled and signed out everywhere.\n" {
		t.Errorf("disable said %s", r)
	}
	if got := list(); got["a@example.com"] != "seller disabled" || got["b@example.com"] != "admin active" {
		t.Errorf("user list after set-role and disable: %v", got)
	}
	mustVouch(t, opts{}, append([]string{"user", "enable", "--email", "a@example.com"}, db...)...)
	if got := list(); got["a@example.com"] != "seller active" {
		t.Errorf("user list after enable: %v", got)
	}

	// VOUCH_DATA_DIR works for the user commands as for serve.
	r = mustVouch(t, opts{stdin: "a new password\n", env: []string{"VOUCH_DATA_DIR=" + dir}},
		"user", "set-password", "--email", "a@example.com")
	if r.stdout != "Password of a@example.com changed; their sessions have ended.\n" {
		t.Errorf("set-password said %s", r)
	}
	st := openStore(t, dir)
	ctx := context.Background()
	if _, err := st.Authenticate(ctx, "a@example.com", "a new password"); err != nil {
		t.Errorf("new password does not work: %v", err)
	}
	if _, err := st.Authenticate(ctx, "a@example.com", "first password"); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
		t.Errorf("old password: want unauthorized, got %v", err)
	}
	if _, err := st.Authenticate(ctx, "b@example.com", "second password"); err != nil {
		t.Errorf("b's password: %v", err)
	}
}

var tokenCreated = regexp.MustCompile(`^Token (\d+) for a@example\.com created\.`)

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := []string{"--data-dir", dir}
	mustVouch(t, opts{stdin: "first password\n"},
		append([]string{"user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin"}, db...)...)
	p := serve(t, opts{}, append([]string{"--addr", "127.0.0.1:0"}, db...)...)

	r := mustVouch(t, opts{}, append([]string{"token", "create", "--email", "a@example.com", "--name", "CRM sync"}, db...)...)
	secret := strings.TrimSuffix(r.stdout, "\n")
	if !strings.HasPrefix(secret, "vouch_") || strings.ContainsAny(secret, " \n") {
		t.Fatalf("token create printed %q, want one vouch_… token", r.stdout)
	}
	m := tokenCreated.FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("token create said %s", r)
	}
	id := m[1]

	code, body := p.get("/api/v1/me", "Authorization", "Bearer "+secret)
	if code != http.StatusOK {
		t.Fatalf("/api/v1/me with the token: %d %s", code, body)
	}
	var me struct {
		User struct {
			Email string `json:"email"`
			Role  string `json:"role"`
		} `json:"user"`
	}
	if err := json.Unmarshal([]byte(body), &me); err != nil || me.User.Email != "a@example.com" || me.User.Role != "admin" {
		t.Errorf("/api/v1/me: %v %s", err, body)
	}

	list := mustVouch(t, opts{}, append([]string{"token", "list"}, db...)...).stdout
	if !regexp.MustCompile(`(?m)^` + id + `\s+vouch_\S+…\s+a@example\.com\s+CRM sync\s+\S+\s+\S+ \S+\s+active$`).MatchString(list) {
		t.Errorf("token list, want token %s active and used:\n%s", id, list)
	}

	r = mustVouch(t, opts{}, append(append([]string{"token", "revoke"}, db...), id)...)
	if r.stdout != "Token "+id+" revoked.\n" {
		t.Errorf("token revoke said %s", r)
	}
	if code, body := p.get("/api/v1/me", "Authorization", "Bearer "+secret); code != http.StatusUnauthorized {
		t.Errorf("/api/v1/me with a revoked token: %d %s, want 401", code, body)
	}
	list = mustVouch(t, opts{}, append([]string{"token", "list"}, db...)...).stdout
	if !regexp.MustCompile(`(?m)^` + id + `\s.*\srevoked$`).MatchString(list) {
		t.Errorf("token list, want token %s revoked:\n%s", id, list)
	}

	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		wantFailure(t, runVouch(t, opts{}, append(append([]string{"token", "revoke"}, db...), "999")...), 1, "Token 999 not found.")
		wantFailure(t, runVouch(t, opts{}, append(append([]string{"token", "revoke"}, db...), "abc")...), 2, `token id "abc" is not a number`)
		wantFailure(t, runVouch(t, opts{}, append([]string{"token", "create", "--email", "nobody@example.com"}, db...)...), 1, "vouch token: No user with email nobody@example.com.")
		if r := runVouch(t, opts{}, "token"); r.code != 2 || !strings.Contains(r.stderr, "Usage: vouch token create") {
			t.Errorf("token without subcommand: want exit 2 and usage, got %s", r)
		}
	})
}

// A name stored with an escape sequence (before such names were refused)
// is listed escaped, so it cannot rewrite the terminal.
func TestUserListEscapesControlCharacters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := []string{"--data-dir", dir}
	mustVouch(t, opts{stdin: "first password\n"},
		append([]string{"user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin"}, db...)...)
	st := openStore(t, dir)
	name := "\x1b[2J\x1b[HEve"
	if _, err := st.UpdateUser(vouch.WithActor(context.Background(), vouch.Actor{Label: "test"}), 1,
		vouch.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	out := mustVouch(t, opts{}, append([]string{"user", "list"}, db...)...).stdout
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, `\x1b[2J\x1b[HEve`) {
		t.Errorf("user list prints the escape sequence raw:\n%q", out)
	}
}

// The audit log names who ran a command by their operating-system user,
// also where no shell set $USER (a service, cron, a container).
func TestCLIActorIsTheOSUser(t *testing.T) {
	t.Parallel()
	me, err := user.Current()
	if err != nil {
		t.Skipf("no current user: %v", err)
	}
	for _, tc := range []struct {
		name string
		o    opts
		want string
	}{
		{"from $USER", opts{env: []string{"USER=ada"}, stdin: "first password\n"}, "cli:ada"},
		{"without $USER or $LOGNAME", opts{unset: []string{"USER", "LOGNAME"}, stdin: "first password\n"}, "cli:" + me.Username},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			mustVouch(t, tc.o, "user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin", "--data-dir", dir)
			entries, _, err := openStore(t, dir).ListAudit(context.Background(), vouch.AuditFilter{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) == 0 || entries[0].Actor != tc.want {
				t.Fatalf("audit entries %v: want the newest by %q", entries, tc.want)
			}
		})
	}
}
