package importer

import (
	"strconv"
	"strings"

	"github.com/xuri/efp"
	"github.com/xuri/excelize/v2"
)

// shiftFormula is a shared formula's text as a cell dCol columns right and
// dRow rows down of the group's first cell shows it: its relative
// references moved by as much, the absolute ones ($A$1) kept. It gives
// what excelize's GetCellFormula gives for such a cell, without loading
// the sheet.
func shiftFormula(formula string, dCol, dRow int) string {
	if formula == "" || (dCol == 0 && dRow == 0) {
		return formula
	}
	ps := efp.ExcelParser()
	tokens := ps.Parse(formula)
	for i, t := range tokens {
		if t.TType == efp.TokenTypeOperand && t.TSubType == efp.TokenSubTypeRange {
			tokens[i].TValue = shiftRange(t.TValue, dCol, dRow)
		}
	}
	return ps.Render()
}

// shiftRange moves each end of a reference ("B2", "$B2", "B:C", "2:3",
// "A1:B$4") by dCol columns and dRow rows, but for the parts marked $.
func shiftRange(ref string, dCol, dRow int) string {
	parts := strings.Split(ref, ":")
	for i, p := range parts {
		bare := strings.ReplaceAll(p, "$", "")
		if col, row, err := excelize.CellNameToCoordinates(bare); err == nil {
			absCol := strings.HasPrefix(p, "$")
			absRow := strings.LastIndex(p, "$") > 0
			if !absCol {
				col += dCol
			}
			if !absRow {
				row += dRow
			}
			name, _ := excelize.ColumnNumberToName(col)
			switch {
			case absCol && absRow:
				// unchanged
			case absCol:
				parts[i] = "$" + name + strconv.Itoa(row)
			case absRow:
				parts[i] = name + "$" + strconv.Itoa(row)
			default:
				parts[i], _ = excelize.CoordinatesToCellName(col, row)
			}
			continue
		}
		if strings.HasPrefix(p, "$") {
			continue
		}
		if col, err := excelize.ColumnNameToNumber(bare); err == nil {
			parts[i], _ = excelize.ColumnNumberToName(col + dCol)
			continue
		}
		if row, err := strconv.Atoi(bare); err == nil {
			parts[i] = strconv.Itoa(row + dRow)
		}
	}
	return strings.Join(parts, ":")
}
