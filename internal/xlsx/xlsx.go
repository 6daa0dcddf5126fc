// Package xlsx writes simple Excel workbooks of tables (a title, a header
// row, data rows) with github.com/xuri/excelize/v2, in Times New Roman with
// rows tall enough for Vietnamese capitals with stacked marks (Ề, Ế, Ả),
// which the default row height clips (go-stack.md, "XLSX").
package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet is one table of a workbook. Cells hold strings, ints, float64s,
// time.Time dates (shown dd/mm/yyyy) or nil.
type Sheet struct {
	Name     string // the tab's name (at most 31 characters, no []:*?/\)
	Title    string
	Subtitle []string
	Headers  []string
	Widths   []float64 // column widths in characters; 0 = default
	Rows     [][]any
}

// Row heights in points: the default (15) clips stacked diacritics.
const (
	TitleHeight = 24
	RowHeight   = 20
)

// Styles are the cell styles of a table sheet in a workbook (NewStyles).
type Styles struct {
	Title, Subtitle, Header, Cell, Date int
}

// NewStyles adds to f the styles of a table sheet, in Times New Roman 12:
// the title (14, bold) and the subtitle lines centred; the header cells
// bold, framed, shaded and wrapped; the data cells framed and wrapped;
// dates framed, centred, dd/mm/yyyy.
func NewStyles(f *excelize.File) (Styles, error) {
	font := &excelize.Font{Family: "Times New Roman", Size: 12}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	dateFmt := "dd/mm/yyyy"
	defs := []*excelize.Style{
		{Font: &excelize.Font{Family: "Times New Roman", Size: 14, Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: font, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Family: "Times New Roman", Size: 12, Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		{Font: font, Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		var err error
		if ids[i], err = f.NewStyle(d); err != nil {
			return Styles{}, err
		}
	}
	return Styles{Title: ids[0], Subtitle: ids[1], Header: ids[2], Cell: ids[3], Date: ids[4]}, nil
}

// Write writes the sheets as an .xlsx workbook.
func Write(w io.Writer, sheets ...Sheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	st, err := NewStyles(f)
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		if err := writeSheet(f, st, s); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetWriter fills one sheet of a workbook from the top down.
type sheetWriter struct {
	f    *excelize.File
	name string
	st   Styles
	row  int // the next row to write
}

// writeSheet fills the sheet named s.Name: the title and subtitle lines
// merged across the table and an empty row, the frozen header row, the
// data rows, the column widths.
func writeSheet(f *excelize.File, st Styles, s Sheet) error {
	x := &sheetWriter{f: f, name: s.Name, st: st, row: 1}
	cols := max(len(s.Headers), 1)
	if s.Title != "" {
		if err := x.line(s.Title, st.Title, TitleHeight, cols); err != nil {
			return err
		}
	}
	for _, l := range s.Subtitle {
		if err := x.line(l, st.Subtitle, RowHeight, cols); err != nil {
			return err
		}
	}
	if s.Title != "" || len(s.Subtitle) > 0 {
		x.row++
	}
	if err := x.headers(s.Headers); err != nil {
		return err
	}
	for _, r := range s.Rows {
		if err := x.data(r); err != nil {
			return err
		}
	}
	return x.widths(s.Widths)
}

// line writes a title or subtitle line in the first cell, merged across
// the table's cols columns.
func (x *sheetWriter) line(text string, style int, height float64, cols int) error {
	last, _ := excelize.ColumnNumberToName(cols)
	a, b := fmt.Sprintf("A%d", x.row), fmt.Sprintf("%s%d", last, x.row)
	if cols > 1 {
		if err := x.f.MergeCell(x.name, a, b); err != nil {
			return err
		}
	}
	if err := x.f.SetCellValue(x.name, a, text); err != nil {
		return err
	}
	if err := x.f.SetCellStyle(x.name, a, b, style); err != nil {
		return err
	}
	x.row++
	return x.f.SetRowHeight(x.name, x.row-1, height)
}

// headers writes the header row, twice as tall as a data row, and freezes
// the panes under it; no row without headers.
func (x *sheetWriter) headers(headers []string) error {
	for c, h := range headers {
		ref, _ := excelize.CoordinatesToCellName(c+1, x.row)
		if err := x.f.SetCellValue(x.name, ref, h); err != nil {
			return err
		}
	}
	if len(headers) == 0 {
		return nil
	}
	a, _ := excelize.CoordinatesToCellName(1, x.row)
	b, _ := excelize.CoordinatesToCellName(len(headers), x.row)
	if err := x.f.SetCellStyle(x.name, a, b, x.st.Header); err != nil {
		return err
	}
	if err := x.f.SetRowHeight(x.name, x.row, 2*RowHeight); err != nil {
		return err
	}
	if err := x.f.SetPanes(x.name, &excelize.Panes{Freeze: true, YSplit: x.row, TopLeftCell: a[:1] + fmt.Sprint(x.row+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	x.row++
	return nil
}

// data writes a data row; a time.Time is a date, its cell empty when zero.
func (x *sheetWriter) data(r []any) error {
	for c, v := range r {
		ref, _ := excelize.CoordinatesToCellName(c+1, x.row)
		style := x.st.Cell
		if t, ok := v.(time.Time); ok {
			if t.IsZero() {
				v = nil
			}
			style = x.st.Date
		}
		if err := x.f.SetCellValue(x.name, ref, v); err != nil {
			return err
		}
		if err := x.f.SetCellStyle(x.name, ref, ref, style); err != nil {
			return err
		}
	}
	if err := x.f.SetRowHeight(x.name, x.row, RowHeight); err != nil {
		return err
	}
	x.row++
	return nil
}

// widths sets the widths of the columns that have one.
func (x *sheetWriter) widths(widths []float64) error {
	for c, wd := range widths {
		if wd > 0 {
			col, _ := excelize.ColumnNumberToName(c + 1)
			if err := x.f.SetColWidth(x.name, col, col, wd); err != nil {
				return err
			}
		}
	}
	return nil
}
