package importer

import (
	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// orgRow reads a row of an organizations file.
func (im *importer) orgRow(r dataRow) service.OrgImportRow {
	im.required(r)
	from, _ := im.date(r, ColFounded)
	row := service.OrgImportRow{Line: r.num, Code: im.code(r, ColOrg), Name: im.get(r, ColOrgName), ValidFrom: from,
		Kind: domain.OrgKind(im.lookup(r, ColOrgKind, kindPairs())), Sector: domain.Sector(im.lookup(r, ColSector, sectorPairs())),
		ParentCode: im.code(r, ColParent), ValidTo: im.datep(r, ColClosed), Successor: im.code(r, ColSuccessor),
		Decider: im.code(r, ColDecider), Authorised: im.yesNo(r, ColAuthorised), AuthorityReason: im.get(r, ColAuthorityReason),
		YouthUnion: im.yesNoBlank(r, ColYouthOrg)}
	if d := im.datep(r, ColAuthorityFrom); d != nil {
		row.AuthorityFrom = *d
	}
	return row
}
