package refsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Sheet is a spreadsheet as read: its header row and the non-blank rows below it.
type Sheet struct {
	Name      string // the file's name, for messages
	Format    string // "csv" or "xlsx"
	SheetName string // the worksheet read, for XLSX
	HeaderRow int    // the spreadsheet row number of the headers (usually 1)
	Headers   []string
	Rows      []Row
}

// Row is one non-blank row below the header.
type Row struct {
	Number int      // the row number a spreadsheet program shows
	Cells  []string // one per header; a short row is padded with ""
	Extra  []string // non-empty cells beyond the last header (a ragged row)
}

// ReadOptions choose what to read from a file.
type ReadOptions struct {
	// Sheet names the worksheet of an XLSX file to read. When empty, the
	// first sheet whose header row has the layout's required columns is read.
	Sheet string
	// Mapping overrides header → column (as from a mapping file); it is
	// used to recognise the header row.
	Mapping map[string]string
	// Layout is the kind of sheet expected, which tells the header row
	// apart from a title above it; nil: References.
	Layout *Layout
}

// layout is the sheet kind the options expect.
func (o ReadOptions) layout() *Layout {
	if o.Layout == nil {
		return &References
	}
	return o.Layout
}

// MaxFileSize is the largest spreadsheet Read accepts.
const MaxFileSize = 256 << 20

// headerSearchRows is how many rows from the top may hold the header row:
// exported sheets often start with a title and a blank line.
const headerSearchRows = 10

// Read reads a CSV or XLSX file. The format is recognised from the content,
// not the name, so a CSV saved as .txt works and a PDF named .csv is refused.
// Errors are *vouch.Error with a message for the person who chose the file.
func Read(name string, r io.Reader, opts ReadOptions) (*Sheet, error) {
	base := filepath.Base(name)
	if base == "." || base == "/" || base == "" {
		base = "the file"
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", base, err)
	}
	if len(data) > MaxFileSize {
		return nil, vouch.Errorf(vouch.EINVALID, "%s is larger than %d MB; split it into smaller files.", base, MaxFileSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, vouch.Errorf(vouch.EINVALID, "%s is empty.", base)
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(base, data, opts)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return nil, vouch.Errorf(vouch.EINVALID, "%s is an Excel 97–2003 (.xls) or password-protected workbook; save it as .xlsx without a password, or as CSV, and import that.", base)
	}
	text, ok := decodeText(data)
	if !ok {
		return nil, notSpreadsheet(base)
	}
	return readCSV(base, text, opts)
}

func notSpreadsheet(name string) error {
	return vouch.Errorf(vouch.EINVALID, "%s is not a CSV or XLSX file.", name)
}

// decodeText turns a text file into UTF-8: UTF-8 (with or without a byte
// order mark), UTF-16 with a byte order mark (Excel's "Unicode text"), or
// else Windows-1252 (Excel's plain "CSV" on Windows). It refuses binary data.
func decodeText(data []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", false
		}
		data = out
	}
	if !utf8.Valid(data) {
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		data = out
	}
	// Text has tabs and line breaks but almost no other control characters;
	// binary files (images, archives, executables) are full of them.
	sample := data[:min(len(data), 64<<10)]
	control := 0
	for _, c := range sample {
		if c == 0 {
			return "", false
		}
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			control++
		}
	}
	if control > len(sample)/100 {
		return "", false
	}
	return string(data), true
}

// readCSV reads comma-, semicolon- or tab-separated text.
func readCSV(name, text string, opts ReadOptions) (*Sheet, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1 // ragged rows are reported per row, not as a file error
	cr.LazyQuotes = true    // hand-made files have quotes inside unquoted cells: Acme "East"
	var grid [][]string
	var numbers []int
	row, prevEnd := 0, 0 // spreadsheet row of the last record; the line it ended on
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, vouch.Errorf(vouch.EINVALID, "%s, line %d: %v.", name, pe.Line, pe.Err)
			}
			return nil, notSpreadsheet(name)
		}
		// A spreadsheet program shows a blank line as a row, and a cell's
		// line breaks within its row, so count rows as it would.
		start, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		row += 1 + max(start-prevEnd-1, 0)
		prevEnd = last + strings.Count(rec[len(rec)-1], "\n")
		grid = append(grid, rec)
		numbers = append(numbers, row)
	}
	s, err := fromGrid(name, grid, numbers, opts)
	if err != nil {
		return nil, err
	}
	s.Format = "csv"
	return s, nil
}

// sniffDelimiter picks the separator its header line uses most: a comma, or
// the semicolon Excel writes where the comma is the decimal mark, or a tab.
func sniffDelimiter(text string) rune {
	line := text
	for _, l := range strings.SplitN(text, "\n", headerSearchRows+1) {
		if strings.TrimSpace(strings.Trim(l, ",;\t\r")) != "" {
			line = l
			break
		}
	}
	best, bestN := ',', 0
	for _, d := range []rune{',', ';', '\t'} {
		if n := countOutsideQuotes(line, d); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

func countOutsideQuotes(s string, d rune) int {
	n, quoted := 0, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == d && !quoted:
			n++
		}
	}
	return n
}

// readXLSX reads one worksheet of an XLSX workbook.
func readXLSX(name string, data []byte, opts ReadOptions) (s *Sheet, err error) {
	// The workbook is a zip of XML written by anyone; a parser bug on a
	// malformed one must become "not a valid file", not a crashed server.
	defer func() {
		if recover() != nil {
			s, err = nil, notSpreadsheet(name)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 4 * MaxFileSize})
	if err != nil {
		return nil, notSpreadsheet(name)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, notSpreadsheet(name)
	}
	read := func(sheet string) (*Sheet, error) {
		// Raw values: dates arrive as Excel serial numbers, whatever their
		// display format, and are read as dates by the date columns.
		grid, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, vouch.Errorf(vouch.EINVALID, "%s: the sheet %q cannot be read: %v.", name, sheet, err)
		}
		numbers := make([]int, len(grid))
		for i := range grid {
			numbers[i] = i + 1
		}
		s, err := fromGrid(name, grid, numbers, opts)
		if err != nil {
			return nil, err
		}
		s.Format, s.SheetName = "xlsx", sheet
		return s, nil
	}
	if opts.Sheet != "" {
		for _, sh := range sheets {
			if strings.EqualFold(strings.TrimSpace(sh), strings.TrimSpace(opts.Sheet)) {
				return read(sh)
			}
		}
		return nil, vouch.Errorf(vouch.EINVALID, "%s has no sheet named %q; its sheets are %s.", name, opts.Sheet, quoteList(sheets))
	}
	var firstErr error
	for _, sh := range sheets {
		s, err := read(sh)
		if err == nil && s.hasRequiredColumns(opts) {
			return s, nil
		}
		if firstErr == nil && err != nil {
			firstErr = err
		}
	}
	if len(sheets) == 1 {
		if firstErr != nil {
			return nil, firstErr
		}
		return read(sheets[0]) // its missing columns are reported by Plan with its headers
	}
	return nil, vouch.Errorf(vouch.EINVALID, "None of the sheets of %s (%s) has a header row with %s columns; choose the sheet to import.",
		name, quoteList(sheets), opts.layout().Requires)
}

func (s *Sheet) hasRequiredColumns(opts ReadOptions) bool {
	return opts.layout().fits(s.Headers, opts.Mapping)
}

// fromGrid finds the header row and turns the rows below it into Rows.
// numbers[i] is the spreadsheet row number of grid[i].
func fromGrid(name string, grid [][]string, numbers []int, opts ReadOptions) (*Sheet, error) {
	for _, rec := range grid {
		for i, c := range rec {
			rec[i] = cleanCell(c)
		}
	}
	header := -1
	for i, seen := 0, 0; i < len(grid) && seen < headerSearchRows; i++ {
		if blank(grid[i]) {
			continue
		}
		seen++
		if header < 0 {
			header = i // the first non-blank row, unless a later one looks like the headers
		}
		if opts.layout().fits(grid[i], opts.Mapping) {
			header = i
			break
		}
	}
	if header < 0 {
		return nil, vouch.Errorf(vouch.EINVALID, "%s has no rows.", name)
	}
	headers := trimTrailingEmpty(grid[header])
	s := &Sheet{Name: name, HeaderRow: numbers[header], Headers: headers}
	for i := header + 1; i < len(grid); i++ {
		if blank(grid[i]) {
			continue
		}
		rec := grid[i]
		row := Row{Number: numbers[i], Cells: make([]string, len(headers))}
		copy(row.Cells, rec)
		if len(rec) > len(headers) {
			for _, c := range rec[len(headers):] {
				if c != "" {
					row.Extra = append(row.Extra, c)
				}
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

// cleanCell trims a cell, makes its line breaks "\n" and removes the
// apostrophe an export puts before a cell that a spreadsheet program would
// otherwise run as a formula (see formulaSafe).
func cleanCell(s string) string {
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStart, s[1]) >= 0 {
		s = s[1:]
	}
	return s
}

func blank(rec []string) bool {
	for _, c := range rec {
		if c != "" {
			return false
		}
	}
	return true
}

func trimTrailingEmpty(rec []string) []string {
	n := len(rec)
	for n > 0 && rec[n-1] == "" {
		n--
	}
	return append([]string(nil), rec[:n]...)
}
