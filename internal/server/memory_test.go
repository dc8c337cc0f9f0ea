package server_test

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/server"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
)

func TestParseMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		in    string
		want  server.MemoryLimit
		error string // part of the message; "" = valid
	}{
		{in: "auto", want: server.MemoryLimit{Auto: true}},
		{in: "", want: server.MemoryLimit{Auto: true}},
		{in: " AUTO ", want: server.MemoryLimit{Auto: true}},
		{in: "off", want: server.MemoryLimit{}},
		{in: "0", want: server.MemoryLimit{}},
		{in: "300MiB", want: server.MemoryLimit{Bytes: 300 << 20}},
		{in: "2GiB", want: server.MemoryLimit{Bytes: 2 << 30}},
		{in: "65536KiB", want: server.MemoryLimit{Bytes: 64 << 20}},
		{in: "134217728", want: server.MemoryLimit{Bytes: 128 << 20}},
		{in: "134217728B", want: server.MemoryLimit{Bytes: 128 << 20}},
		{in: "300MB", error: "not auto, off or a size"}, // GOMEMLIMIT has no MB either
		{in: "lots", error: "not auto, off or a size"},
		{in: "-5MiB", error: "not auto, off or a size"},
		{in: "9999999TiB", error: "not auto, off or a size"},
		{in: "10MiB", error: "below the smallest limit Vouch runs in, 64MiB"},
	} {
		got, err := server.ParseMemoryLimit(c.in)
		switch {
		case c.error == "" && err != nil:
			t.Errorf("%q: %v", c.in, err)
		case c.error == "" && got != c.want:
			t.Errorf("%q = %+v, want %+v", c.in, got, c.want)
		case c.error != "" && (err == nil || !strings.Contains(err.Error(), c.error)):
			t.Errorf("%q: error %v, want one saying %q", c.in, err, c.error)
		}
	}
}

func TestAutoMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, 64 << 20},                       // a fresh server: the floor
		{16 << 20, 64 << 20},                // 16 + 4 + 24 = 44 MiB: still the floor
		{100 << 20, 149 << 20},              // 100 + 25 + 24
		{150 << 20, 211<<20 + 1<<19},        // 150 + 37.5 + 24: 100,000 references
		{2 << 30, 2<<30 + 512<<20 + 24<<20}, // an index 13 times as large
	} {
		if got := server.AutoMemoryLimit(c.live); got != c.want {
			t.Errorf("AutoMemoryLimit(%d MiB) = %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}

// A fixed limit holds while the server serves and is put back after, so a
// server started in another program leaves that program's limit as it was.
func TestServeSetsAndRestoresTheMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	srv, err := server.New(testutil.OpenDB(t, store.SQLite), server.Config{Addr: "127.0.0.1:0", Logger: quiet,
		MemoryLimit: server.MemoryLimit{Bytes: 3 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) != 3<<30 {
		if time.Now().After(deadline) {
			t.Fatalf("memory limit while serving = %d, want 3 GiB", debug.SetMemoryLimit(-1))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit after serving = %d, want %d as before", got, before)
	}
}
