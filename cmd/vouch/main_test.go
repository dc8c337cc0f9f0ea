package main

// These tests build the real vouch binary once and run it as an operator
// would: with arguments, environment variables, standard input and signals.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
)

// vouchBin is the binary built by TestMain, with version testVersion.
var vouchBin string

const testVersion = "v0.0.0-test"

func TestMain(m *testing.M) {
	flag.Parse()
	// The tests mostly wait for child processes, so run at least four at once
	// unless -parallel says otherwise.
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit && runtime.GOMAXPROCS(0) < 4 {
		if err := flag.Set("test.parallel", "4"); err != nil {
			panic(err) // every test binary has -test.parallel
		}
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "vouch-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	vouchBin = filepath.Join(dir, "vouch")
	// Built as the Makefile builds it, with the version set by the linker,
	// and never with -race: a race-enabled vouch takes over a second to
	// start, too slow for the dozens of runs below.
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", vouchBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// result is what a finished run of the binary left behind.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// opts are the environment variables (NAME=value) and standard input of a run.
type opts struct {
	env   []string
	unset []string // variables taken out of the environment
	stdin string
}

// environ is the test's environment without any VOUCH_* variable (so a
// developer's settings cannot leak in), plus extra.
func environ(unset []string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(kv, "VOUCH_") && !slices.Contains(unset, name) {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// vouchCmd prepares the binary with args, run in a fresh temporary working
// directory so the default ./data never lands in the source tree.
func vouchCmd(t testing.TB, o opts, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(vouchBin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = environ(o.unset, o.env...)
	cmd.Stdin = strings.NewReader(o.stdin)
	return cmd
}

// runVouch runs the binary to completion (at most a minute).
func runVouch(t testing.TB, o opts, args ...string) result {
	t.Helper()
	cmd := vouchCmd(t, o, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(time.Minute, func() { _ = cmd.Process.Kill() }) // fails only once it has exited
	defer timer.Stop()
	err := cmd.Wait()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("vouch %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// mustVouch runs the binary and fails the test unless it exits 0.
func mustVouch(t testing.TB, o opts, args ...string) result {
	t.Helper()
	r := runVouch(t, o, args...)
	if r.code != 0 {
		t.Fatalf("vouch %s: want exit 0, got %s", strings.Join(args, " "), r)
	}
	return r
}

// wantFailure checks a run failed with code and said, in exactly one line on
// standard error, something containing each of want.
func wantFailure(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("want exit %d, got %s", code, r)
	}
	if r.stdout != "" {
		t.Errorf("want nothing on stdout, got %s", r)
	}
	if lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n"); len(lines) != 1 {
		t.Errorf("want one line on stderr, got %d:\n%s", len(lines), r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a running `vouch serve`.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	URL    string // as printed on stdout
	stdout syncBuffer
	stderr syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // of Wait, once done is closed
}

var runningAt = regexp.MustCompile(`^Vouch is running at (http://\S+) \(press Ctrl\+C to stop\)$`)

// serve starts `vouch serve args…` and waits until it prints its URL.
// The process is stopped, if still running, when the test ends.
func serve(t testing.TB, o opts, args ...string) *proc {
	t.Helper()
	p := startServe(t, o, args...)
	if p.URL == "" {
		t.Fatalf("vouch serve %s exited before printing its URL (%v)\n--- stdout:\n%s--- stderr:\n%s",
			strings.Join(args, " "), p.err, p.stdout.String(), p.stderr.String())
	}
	return p
}

// startServe starts `vouch serve args…` and returns once it printed its URL
// or exited (then URL is empty).
func startServe(t testing.TB, o opts, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: vouchCmd(t, o, append([]string{"serve"}, args...)...), done: make(chan struct{})}
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			fmt.Fprintln(&p.stdout, sc.Text())
			if m := runningAt.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, out) // if Scan stopped early, so the child never blocks on a full pipe
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if p.exited() {
			return
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM) // fails only once it has exited, and then done is closed
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill() // as above
			<-p.done
			t.Errorf("vouch serve ignored SIGTERM for 10s\n--- stderr:\n%s", p.stderr.String())
		}
	})
	select {
	case p.URL = <-urls:
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("vouch serve printed no URL within 30s\n--- stdout:\n%s--- stderr:\n%s", p.stdout.String(), p.stderr.String())
	}
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends sig and returns the exit code; it fails the test if the
// process takes longer than timeout to exit.
func (p *proc) stop(sig os.Signal, timeout time.Duration) int {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	return p.wait(timeout)
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("vouch serve still running %s after the signal\n--- stderr:\n%s", timeout, p.stderr.String())
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	} else if p.err != nil {
		p.t.Fatal(p.err)
	}
	return 0
}

// get fetches path from the server and returns status and body.
func (p *proc) get(path string, header ...string) (int, string) {
	p.t.Helper()
	return httpGet(p.t, p.URL+path, header...)
}

// httpGet fetches url with the header pairs (name, value, …).
func httpGet(t testing.TB, url string, header ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// freePort returns a loopback address nobody listens on right now.
func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// postgresURL returns the URL of a fresh, empty PostgreSQL database, dropped
// when the test ends; without VOUCH_TEST_POSTGRES it skips (fails in CI).
func postgresURL(t testing.TB) string {
	t.Helper()
	if os.Getenv("VOUCH_TEST_POSTGRES") == "" {
		if testutil.InCI() {
			t.Fatal("VOUCH_TEST_POSTGRES is not set; CI must test PostgreSQL")
		}
		t.Skip("VOUCH_TEST_POSTGRES is not set")
	}
	return testutil.DBConfig(t, store.Postgres).URL
}

// openStore opens the SQLite database in dir from the test process.
func openStore(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestUsage(t *testing.T) {
	t.Parallel()
	const usage = "Usage: vouch <command> [flags]\n\nCommands:\n  serve    run the web interface and JSON API\n"
	t.Run("no arguments", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{})
		if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, usage) {
			t.Errorf("want exit 2 and the usage on stderr, got %s", r)
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "nope")
		if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "vouch: unknown command \"nope\"\n\n"+usage) {
			t.Errorf("want exit 2, the problem and the usage on stderr, got %s", r)
		}
	})
	t.Run("unknown flag", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "serve", "--bogus")
		if r.code != 2 || r.stdout != "" ||
			!strings.HasPrefix(r.stderr, "flag provided but not defined: -bogus\nUsage: vouch serve [flags]") ||
			!strings.Contains(r.stderr, "--data-dir") || !strings.Contains(r.stderr, "[VOUCH_DATA_DIR]") {
			t.Errorf("want exit 2, the bad flag and serve's usage on stderr, got %s", r)
		}
	})
	t.Run("help", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
			if r := runVouch(t, opts{}, args...); r.code != 0 || !strings.HasPrefix(r.stderr, usage) {
				t.Errorf("vouch %s: want exit 0 and the usage, got %s", args[0], r)
			}
		}
		if r := runVouch(t, opts{}, "serve", "-h"); r.code != 0 || !strings.Contains(r.stderr, "Usage: vouch serve [flags]") {
			t.Errorf("vouch serve -h: want exit 0 and serve's usage, got %s", r)
		}
	})
	t.Run("unexpected argument", func(t *testing.T) {
		t.Parallel()
		wantFailure(t, runVouch(t, opts{}, "serve", "extra"), 2, `vouch serve: unexpected argument "extra"`)
	})
}

func TestVersion(t *testing.T) {
	t.Parallel()
	if r := runVouch(t, opts{}, "version"); r.code != 0 || r.stdout != "vouch "+testVersion+"\n" || r.stderr != "" {
		t.Errorf("want exactly \"vouch %s\" (set with -ldflags), got %s", testVersion, r)
	}
}
