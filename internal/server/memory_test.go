package server_test

import (
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/server"
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
		{0, 64 << 20},                // a fresh server: the floor
		{16 << 20, 64 << 20},         // 16 + 4 + 32 = 52 MiB: still the floor
		{100 << 20, 157 << 20},       // 100 + 25 + 32
		{150 << 20, 219<<20 + 1<<19}, // 150 + 37.5 + 32: 100,000 references
		{2 << 30, 2<<30 + 512<<20 + 32<<20},
	} {
		if got := server.AutoMemoryLimit(c.live); got != c.want {
			t.Errorf("AutoMemoryLimit(%d MiB) = %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}
