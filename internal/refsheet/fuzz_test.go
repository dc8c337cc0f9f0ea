package refsheet_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/vouchhq/vouch/internal/refsheet"
)

// FuzzRead feeds the reader arbitrary bytes: it must return a sheet or an
// error, never panic, and every row it returns must fit its header.
//
//	go test -fuzz FuzzRead -fuzztime 20s ./internal/refsheet/
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Account,Name\n\"Acme\nEast\",\"Ada \"\"the\"\" first\"\n,,\n\nBeta,Bob,extra\n"))
	f.Add([]byte("Account;Name\r\nMüller;Jürgen\r\n"))
	f.Add([]byte{0xFF, 0xFE, 'A', 0, '\t', 0, 'B', 0})
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := refsheet.Read("fuzz.csv", bytes.NewReader(data), refsheet.ReadOptions{})
		if err != nil {
			return
		}
		for _, r := range s.Rows {
			if len(r.Cells) != len(s.Headers) || r.Number <= s.HeaderRow {
				t.Fatalf("row %d has %d cells for %d headers (header row %d)", r.Number, len(r.Cells), len(s.Headers), s.HeaderRow)
			}
		}
		m := refsheet.AutoMap(s.Headers)
		_ = m.Check(s.Headers) // any answer will do; it must not panic
		m.Unmapped(s.Headers)
	})
}
