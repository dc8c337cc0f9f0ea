package refsheet_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
)

func rowNumbers(s *refsheet.Sheet) []int {
	var out []int
	for _, r := range s.Rows {
		out = append(out, r.Number)
	}
	return out
}

func TestReadMessyCSV(t *testing.T) {
	// Byte order mark, CRLF, a quoted line break, a row of empty cells and an empty line.
	s := readFile(t, "messy.csv", refsheet.ReadOptions{})
	if s.Format != "csv" || s.HeaderRow != 1 || s.Headers[0] != "Customer Name" || len(s.Headers) != 28 {
		t.Errorf("sheet %s %d %q", s.Format, s.HeaderRow, s.Headers)
	}
	if got := rowNumbers(s); !slices.Equal(got, []int{2, 5, 6}) {
		t.Errorf("row numbers %v, want the rows a spreadsheet program shows: 2, 5, 6", got)
	}
	if story := s.Rows[0].Cells[21]; story != "Moved off Globex in 2024.\nCut reporting time from two days to two hours." {
		t.Errorf("story %q", story)
	}
	if name := s.Rows[2].Cells[7]; name != "O'Neill, Grace" {
		t.Errorf("quoted comma: %q", name)
	}
}

func TestReadEuropeanCSV(t *testing.T) {
	// Semicolons, Windows-1252 accents, and a title above the headers.
	s := readFile(t, "semicolon.csv", refsheet.ReadOptions{})
	if s.HeaderRow != 3 || !slices.Equal(s.Headers, []string{"Company", "Name", "Email", "Country", "Last Verified"}) {
		t.Errorf("header row %d %q", s.HeaderRow, s.Headers)
	}
	if got := rowNumbers(s); !slices.Equal(got, []int{4, 5}) {
		t.Errorf("row numbers %v", got)
	}
	if s.Rows[0].Cells[0] != "Müller Maschinenbau GmbH" || s.Rows[1].Cells[1] != "Zoé Lefèvre" {
		t.Errorf("cells %q %q", s.Rows[0].Cells, s.Rows[1].Cells)
	}
}

func TestReadUTF16(t *testing.T) {
	// Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
	text := "Account\tName\r\nSociété Générale\tZoé\r\n"
	b := []byte{0xFF, 0xFE}
	for _, r := range text {
		b = append(b, byte(r), byte(r>>8))
	}
	s, err := refsheet.Read("people.txt", bytes.NewReader(b), refsheet.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Headers, []string{"Account", "Name"}) || !slices.Equal(s.Rows[0].Cells, []string{"Société Générale", "Zoé"}) {
		t.Errorf("read %q %+v", s.Headers, s.Rows)
	}
}

// workbook builds an XLSX file with the given sheets, each a grid of cells.
func workbook(t *testing.T, sheets map[string][][]any, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSXWithSeveralSheets(t *testing.T) {
	book := workbook(t, map[string][][]any{
		"Summary": {{"Reference program, Q3"}, {"Owner", "Grace"}},
		"Contacts": {
			{"Reference list"},
			{},
			{"Company", "Contact Name", "E-mail", "Go-Live", "Capacity", "Phone"},
			{"Northwind Health", "Maya Okafor", "maya@northwind.example", 46095, 3, 4915112345678},
			{},
			{"Blue Harbor Bank", "Grace O'Neill", "grace@blueharbor.example", "2026-03-14", "", ""},
		},
	}, "Summary", "Contacts")

	s, err := refsheet.Read("book.xlsx", bytes.NewReader(book), refsheet.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != "xlsx" || s.SheetName != "Contacts" || s.HeaderRow != 3 {
		t.Errorf("read sheet %q, header row %d", s.SheetName, s.HeaderRow)
	}
	if got := rowNumbers(s); !slices.Equal(got, []int{4, 6}) {
		t.Errorf("row numbers %v", got)
	}
	// Raw values: the date is Excel's serial number, the phone its digits.
	if got := s.Rows[0].Cells; !slices.Equal(got, []string{"Northwind Health", "Maya Okafor", "maya@northwind.example", "46095", "3", "4915112345678"}) {
		t.Errorf("cells %q", got)
	}

	s, err = refsheet.Read("book.xlsx", bytes.NewReader(book), refsheet.ReadOptions{Sheet: "summary"})
	if err != nil || s.SheetName != "Summary" {
		t.Errorf("--sheet summary read %v, %v", s, err)
	}
	_, err = refsheet.Read("book.xlsx", bytes.NewReader(book), refsheet.ReadOptions{Sheet: "People"})
	if err == nil || err.Error() != `book.xlsx has no sheet named "People"; its sheets are 'Summary', 'Contacts'.` {
		t.Errorf("unknown sheet: %v", err)
	}
	noRefs := workbook(t, map[string][][]any{"A": {{"x"}}, "B": {{"Company", "Email"}}}, "A", "B")
	_, err = refsheet.Read("book.xlsx", bytes.NewReader(noRefs), refsheet.ReadOptions{})
	if err == nil || err.Error() != "None of the sheets of book.xlsx ('A', 'B') has a header row with account and name columns; choose the sheet to import." {
		t.Errorf("no sheet with references: %v", err)
	}
	// A mapping makes a sheet's headers count.
	s, err = refsheet.Read("book.xlsx", bytes.NewReader(noRefs), refsheet.ReadOptions{Mapping: map[string]string{"Email": "name"}})
	if err != nil || s.SheetName != "B" {
		t.Errorf("with a mapping: %v, %v", s, err)
	}
}

func TestReadRefusesOtherFiles(t *testing.T) {
	garbage, err := os.ReadFile(filepath.Join("testdata", "garbage.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"garbage.csv", garbage, "garbage.csv is not a CSV or XLSX file."},
		{"empty.csv", []byte(" \r\n\n"), "empty.csv is empty."},
		{"archive.xlsx", []byte("PK\x03\x04 not really a zip"), "archive.xlsx is not a CSV or XLSX file."},
		{"old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
			"old.xls is an Excel 97–2003 (.xls) or password-protected workbook; save it as .xlsx without a password, or as CSV, and import that."},
		{"/home/ada/report.pdf", []byte("%PDF-1.7\n\x00\x01\x02\x03 binary"), "report.pdf is not a CSV or XLSX file."},
		{"blank.csv", []byte(",,,\n,,\n"), "blank.csv has no rows."},
	} {
		_, err := refsheet.Read(tc.name, bytes.NewReader(tc.data), refsheet.ReadOptions{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestReadRaggedRows(t *testing.T) {
	s := readFile(t, "ragged.csv", refsheet.ReadOptions{})
	if len(s.Rows) != 3 || !slices.Equal(s.Rows[1].Extra, []string{"maya2@northwind.example"}) || s.Rows[2].Extra != nil {
		t.Errorf("rows %+v", s.Rows)
	}
	short := readText(t, "Account,Name,Email\nAcme,Ada\n")
	if !slices.Equal(short.Rows[0].Cells, []string{"Acme", "Ada", ""}) {
		t.Errorf("a short row is padded: %q", short.Rows[0].Cells)
	}
	if strings.Join(short.Headers, ",") != "Account,Name,Email" {
		t.Errorf("headers %q", short.Headers)
	}
}

func TestImportXLSX(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		book := workbook(t, map[string][][]any{
			"Notes": {{"Imported from the CRM on Monday"}},
			"People": {
				{"Customer", "Reference Name", "Email Address", "Go-Live Date", "Capacity", "Phone", "Case Study?"},
				{"Northwind Health", "Maya Okafor", "maya@northwind.example", 46095, 2, 4915112345678, "Y"},
				{},
				{"Northwind Health", "Jonas Lindqvist", "jonas@northwind.example", "14 Mar 2026", "", "", "bad"},
			},
		}, "Notes", "People")
		s, err := refsheet.Read("people.xlsx", bytes.NewReader(book), refsheet.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rep := apply(t, db, s, refsheet.Options{ValidOnly: true})
		wantErrors(t, rep, "row 4, column 'Case Study?': 'bad' — not yes or no; write Y or N")
		maya := load(t, db).ref(t, "maya@northwind.example")
		if maya.GoLive.String() != "2026-03-14" || *maya.CapacityOverride != 2 || maya.Phone != "4915112345678" || len(maya.Activities) != 1 {
			t.Errorf("maya %+v", maya)
		}
	})
}
