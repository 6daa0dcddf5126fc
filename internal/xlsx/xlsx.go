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

// Write writes the sheets as an .xlsx workbook.
func Write(w io.Writer, sheets ...Sheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	font := &excelize.Font{Family: "Times New Roman", Size: 12}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 14, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	sub, err := f.NewStyle(&excelize.Style{Font: font, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12, Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	cell, err := f.NewStyle(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{Font: font, Border: border, CustomNumFmt: &dateFmt,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		name := s.Name
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		cols := max(len(s.Headers), 1)
		last, _ := excelize.ColumnNumberToName(cols)
		row := 1
		put := func(text string, style int, height float64) error {
			a, b := fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)
			if cols > 1 {
				if err := f.MergeCell(name, a, b); err != nil {
					return err
				}
			}
			if err := f.SetCellValue(name, a, text); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, a, b, style); err != nil {
				return err
			}
			row++
			return f.SetRowHeight(name, row-1, height)
		}
		if s.Title != "" {
			if err := put(s.Title, title, TitleHeight); err != nil {
				return err
			}
		}
		for _, l := range s.Subtitle {
			if err := put(l, sub, RowHeight); err != nil {
				return err
			}
		}
		if s.Title != "" || len(s.Subtitle) > 0 {
			row++
		}
		for c, h := range s.Headers {
			ref, _ := excelize.CoordinatesToCellName(c+1, row)
			if err := f.SetCellValue(name, ref, h); err != nil {
				return err
			}
		}
		if len(s.Headers) > 0 {
			a, _ := excelize.CoordinatesToCellName(1, row)
			b, _ := excelize.CoordinatesToCellName(len(s.Headers), row)
			if err := f.SetCellStyle(name, a, b, head); err != nil {
				return err
			}
			if err := f.SetRowHeight(name, row, 2*RowHeight); err != nil {
				return err
			}
			if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: a[:1] + fmt.Sprint(row+1), ActivePane: "bottomLeft"}); err != nil {
				return err
			}
			row++
		}
		for _, r := range s.Rows {
			for c, v := range r {
				ref, _ := excelize.CoordinatesToCellName(c+1, row)
				style := cell
				if t, ok := v.(time.Time); ok {
					if t.IsZero() {
						v = nil
					}
					style = date
				}
				if err := f.SetCellValue(name, ref, v); err != nil {
					return err
				}
				if err := f.SetCellStyle(name, ref, ref, style); err != nil {
					return err
				}
			}
			if err := f.SetRowHeight(name, row, RowHeight); err != nil {
				return err
			}
			row++
		}
		for c, wd := range s.Widths {
			if wd > 0 {
				col, _ := excelize.ColumnNumberToName(c + 1)
				if err := f.SetColWidth(name, col, col, wd); err != nil {
					return err
				}
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}
