package importer

import (
	"ketnap/internal/service"
)

// personRow reads a row of a candidates or members file.
func (im *importer) personRow(kind string, r dataRow) service.PersonImportRow {
	im.required(r)
	birth, _ := im.date(r, ColBirth)
	cccd := im.cccd(r)
	in := service.PersonInput{FullName: im.get(r, ColName), BirthDate: birth, Sex: im.lookup(r, ColSex, sexPairs()),
		Ethnicity: im.get(r, ColEthnicity), Religion: im.get(r, ColReligion), CCCD: cccd,
		Education: im.lookup(r, ColEducation, educationPairs()), Occupation: im.lookup(r, ColOccupation, occupationPairs()),
		Workplace: im.get(r, ColWorkplace), YouthUnion: im.yesNo(r, ColYouth), TradeUnion: im.yesNo(r, ColTradeUnion),
		OrgCode: im.code(r, ColOrg)}
	row := service.PersonImportRow{Line: r.num, Person: in, Residence: im.get(r, ColResidence)}
	switch kind {
	case KindCandidates:
		row.Person.Stage = im.lookup(r, ColStage, stagePairs())
		row.Facts = im.stageFacts(r)
	case KindMembers:
		dec, _ := im.date(r, ColDecision)
		row.Membership = &service.MembershipImport{DecisionNo: im.get(r, ColDecisionNo), DecisionDate: dec,
			DecidedBy: im.code(r, ColDecidedBy), CeremonyDate: im.datep(r, ColCeremony), RecognitionDate: im.datep(r, ColRecognition)}
	}
	return row
}
