package importer

import (
	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// targetRow reads a row of a targets file.
func (im *importer) targetRow(r dataRow) service.TargetImportRow {
	row := service.TargetImportRow{Line: r.num}
	if !im.required(r) {
		return row
	}
	row.OrgCode = im.code(r, ColOrg)
	row.Year, _ = im.integer(r, ColYear)
	row.Value, _ = im.integer(r, ColValue)
	row.Kind = im.lookup(r, ColTargetKind, targetKindPairs())
	row.Deadline = im.datep(r, ColDeadline)
	// the breakdown lines of the columns the file has (an empty cell
	// removes its line; a column the file lacks keeps what is recorded)
	for _, b := range domain.BreakdownKeys {
		col := BreakdownPrefix + b.Name
		if !im.t.has(col) {
			continue
		}
		if row.Breakdown == nil {
			row.Breakdown = map[string]*int{}
		}
		row.Breakdown[b.Code] = im.intp(r, col)
	}
	return row
}
