package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServe(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := serve(t, opts{}, "--addr", "127.0.0.1:0", "--data-dir", dir)
	if strings.HasSuffix(p.URL, ":0") || strings.HasSuffix(p.URL, ":8080") {
		t.Fatalf("serve printed %s, want the port it actually bound", p.URL)
	}
	if _, err := os.Stat(filepath.Join(dir, "vouch.db")); err != nil {
		t.Errorf("no database in --data-dir: %v", err)
	}
	if code, body := p.get("/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q, want 200 \"ok\\n\"", code, body)
	}
	if code, body := p.get("/readyz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/readyz: %d %q, want 200 \"ok\\n\"", code, body)
	}
	code, body := p.get("/metrics")
	if code != http.StatusOK || !strings.Contains(body, `vouch_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`) ||
		!strings.Contains(body, "vouch_http_request_duration_seconds_bucket") {
		t.Errorf("/metrics: %d, want the request counter and latency histogram:\n%s", code, body)
	}
	if !strings.Contains(p.stderr.String(), `msg="vouch is ready" url=`+p.URL+" database=sqlite version="+testVersion) {
		t.Errorf("no ready line in the log:\n%s", p.stderr.String())
	}
}

func TestServeStopsOnSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			p := serve(t, opts{}, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
			if code, _ := p.get("/healthz"); code != http.StatusOK {
				t.Fatalf("/healthz: %d", code)
			}
			if code := p.stop(sig, 5*time.Second); code != 0 {
				t.Errorf("exit %d after %s, want 0\n%s", code, sig, p.stderr.String())
			}
			log := p.stderr.String()
			if !strings.Contains(log, "shutting down") || !strings.Contains(log, "msg=stopped") {
				t.Errorf("log lacks the shutdown:\n%s", log)
			}
		})
	}
}

// A request that is in flight when SIGTERM arrives is still answered, and
// the server exits 0 once it is. The request is a sign-in whose form body
// has not been sent yet: the server's "100 Continue" shows its handler is
// running and waiting for the body when the signal comes.
func TestServeDrainsInFlightRequest(t *testing.T) {
	t.Parallel()
	p := serve(t, opts{}, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	form := "email=nobody%40example.com&password=not+the+password"
	if _, err := io.WriteString(conn, "POST /login HTTP/1.1\r\nHost: vouch\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"+
		"Content-Length: "+strconv.Itoa(len(form))+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue, got %v %v", resp, err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.stderr.String(), "shutting down") {
		if time.Now().After(deadline) {
			t.Fatalf("no shutdown logged:\n%s", p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The listener closes just after the log line: new connections are refused.
	for refused := time.Now().Add(5 * time.Second); ; {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(p.URL, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(refused) {
			t.Fatal("still accepting new connections while draining")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if p.exited() {
		t.Fatalf("exited with a request in flight\n%s", p.stderr.String())
	}
	if _, err := io.WriteString(conn, form); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request got no response: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "Email or password is incorrect.") {
		t.Errorf("in-flight sign-in: %d\n%s", resp.StatusCode, body)
	}
	if code := p.wait(5 * time.Second); code != 0 {
		t.Errorf("exit %d, want 0\n%s", code, p.stderr.String())
	}
}

func TestServeErrors(t *testing.T) {
	t.Parallel()
	t.Run("port in use", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		addr := ln.Addr().String()
		r := runVouch(t, opts{}, "serve", "--addr", addr, "--data-dir", t.TempDir())
		wantFailure(t, r, 1, "vouch serve: cannot listen on "+addr+": the port is already in use")
	})
	t.Run("unreachable database", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "serve", "--addr", "127.0.0.1:0", "--db", "postgres://u:p@127.0.0.1:1/db")
		wantFailure(t, r, 1, "vouch serve: cannot reach PostgreSQL at 127.0.0.1:1: connection refused.")
	})
	t.Run("bad database URL", func(t *testing.T) {
		t.Parallel()
		for _, url := range []string{
			"postgres://u:hunter2secret@host:notaport/db",
			"postgres://u:hunter2secret@ho st/db",
			"postgres://u:hunter2secret@host/db?sslmode=bogus",
		} {
			r := runVouch(t, opts{}, "serve", "--addr", "127.0.0.1:0", "--db", url)
			wantFailure(t, r, 1, "vouch serve: database URL is not a valid PostgreSQL URL")
			if strings.Contains(r.stderr, "hunter2secret") {
				t.Errorf("%s: the password is in the message: %s", url, r.stderr)
			}
		}
	})
	t.Run("unwritable data directory", func(t *testing.T) {
		t.Parallel()
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(file, "data")
		r := runVouch(t, opts{}, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir)
		wantFailure(t, r, 1, "vouch serve: cannot create data directory "+dir+": not a directory.")
	})
	t.Run("bad log level", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "serve", "--log-level", "loud", "--data-dir", t.TempDir())
		wantFailure(t, r, 2, `--log-level "loud" must be debug, info, warn or error`)
	})
	t.Run("bad memory limit", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "serve", "--memory-limit", "300MB", "--data-dir", t.TempDir())
		wantFailure(t, r, 2, `--memory-limit "300MB" is not auto, off or a size such as 300MiB or 2GiB`)
	})
	t.Run("bad base URL", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{}, "serve", "--base-url", "vouch.example.com", "--data-dir", t.TempDir())
		wantFailure(t, r, 2, `--base-url "vouch.example.com" must start with http:// or https://`)
	})
}

func TestServeEnvironment(t *testing.T) {
	t.Parallel()
	t.Run("VOUCH_DATA_DIR and VOUCH_ADDR", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "from-env")
		addr := freePort(t)
		p := serve(t, opts{env: []string{"VOUCH_DATA_DIR=" + dir, "VOUCH_ADDR=" + addr}})
		if p.URL != "http://"+addr {
			t.Errorf("serve runs at %s, want http://%s from VOUCH_ADDR", p.URL, addr)
		}
		if _, err := os.Stat(filepath.Join(dir, "vouch.db")); err != nil {
			t.Errorf("no database in VOUCH_DATA_DIR: %v", err)
		}
		if code, _ := p.get("/healthz"); code != http.StatusOK {
			t.Errorf("/healthz: %d", code)
		}
	})
	t.Run("flags override", func(t *testing.T) {
		t.Parallel()
		envDir, flagDir := filepath.Join(t.TempDir(), "env"), filepath.Join(t.TempDir(), "flag")
		p := serve(t, opts{env: []string{"VOUCH_DATA_DIR=" + envDir, "VOUCH_ADDR=not-an-address"}},
			"--data-dir", flagDir, "--addr", "127.0.0.1:0")
		if _, err := os.Stat(filepath.Join(flagDir, "vouch.db")); err != nil {
			t.Errorf("no database in --data-dir: %v", err)
		}
		if _, err := os.Stat(envDir); !os.IsNotExist(err) {
			t.Errorf("VOUCH_DATA_DIR was used although --data-dir was given (%v)", err)
		}
		if code, _ := p.get("/healthz"); code != http.StatusOK {
			t.Errorf("/healthz: %d", code)
		}
	})
	t.Run("VOUCH_DEMO not a boolean", func(t *testing.T) {
		t.Parallel()
		r := runVouch(t, opts{env: []string{"VOUCH_DEMO=notabool"}}, "serve", "--data-dir", t.TempDir())
		wantFailure(t, r, 2, `vouch serve: VOUCH_DEMO="notabool" is not true or false`)
	})
	t.Run("VOUCH_DEMO=true", func(t *testing.T) {
		t.Parallel()
		p := serve(t, opts{env: []string{"VOUCH_DEMO=true"}}, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
		if !strings.Contains(p.stdout.String(), "Demo data loaded") {
			t.Errorf("VOUCH_DEMO=true loaded no demo data:\n%s", p.stdout.String())
		}
	})
}
