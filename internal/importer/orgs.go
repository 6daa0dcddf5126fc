package importer

import (
	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// orgRows reads the rows of an organizations file. Every row goes to the
// service, those with a cell that could not be read marked Unreadable: a
// row below that refers to one of their codes is told the row is wrong.
func (im *importer) orgRows() ([]service.OrgImportRow, []dataRow) {
	return readRows(im, true, im.orgRow, func(row *service.OrgImportRow) { row.Unreadable = true })
}

func (im *importer) orgRow(r dataRow) service.OrgImportRow {
	im.required(r)
	from, _ := im.date(r, ColFounded)
	row := service.OrgImportRow{Line: r.num, Code: im.code(r, ColOrg), Name: im.get(r, ColOrgName), ValidFrom: from,
		Kind: domain.OrgKind(im.lookup(r, ColOrgKind, kindPairs())), Sector: domain.Sector(im.lookup(r, ColSector, sectorPairs())),
		ParentCode: im.code(r, ColParent), ValidTo: im.datep(r, ColClosed), Successor: im.code(r, ColSuccessor),
		Decider: im.code(r, ColDecider), Authorised: im.yesNo(r, ColAuthorised), YouthUnion: im.yesNoBlank(r, ColYouthOrg)}
	if d := im.datep(r, ColAuthorityFrom); d != nil {
		row.AuthorityFrom = *d
	}
	return row
}
