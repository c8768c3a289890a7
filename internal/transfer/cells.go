package transfer

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts
// with one of these as a formula; a name or a rating note like
// =HYPERLINK("https://evil.example", "click") would become a live link,
// or worse, on opening an export. Following OWASP's CSV injection advice,
// such a cell is written with a leading apostrophe, which spreadsheets show
// as text and which pandas reads as one extra visible character. A cell
// that already starts with an apostrophe gets one more, so reading undoes
// exactly what writing did and `pollen import` brings names back as they
// were. Plain numbers ("-1", "+0.5") are numbers, not formulas, and are
// written as they are so pandas still reads numeric columns as numbers.
const formulaStarts = "=+-@\t\r'"

// neutralise makes a cell safe to open in a spreadsheet.
func neutralise(v string) string {
	if v == "" || !strings.ContainsRune(formulaStarts, rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}

// restore undoes neutralise for a cell read back from an export.
func restore(v string) string {
	if len(v) >= 2 && v[0] == '\'' && strings.ContainsRune(formulaStarts, rune(v[1])) {
		return v[1:]
	}
	return v
}

// cellWriter is a csv.Writer whose every cell is neutralised.
type cellWriter struct{ *csv.Writer }

func newCellWriter(w io.Writer) cellWriter { return cellWriter{csv.NewWriter(w)} }

// Write writes one record, each cell neutralised.
func (c cellWriter) Write(rec []string) error {
	out := make([]string, len(rec))
	for i, v := range rec {
		out[i] = neutralise(v)
	}
	return c.Writer.Write(out)
}
