package importer

import (
	"fmt"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

type personRow struct {
	row dataRow
	p   *domain.Person
	m   *domain.Membership
	h   *service.CaseHistory // stage facts of a candidate, nil when none
}

// people checks the rows of a candidates or members file and returns the writer.
func (im *importer) people(kind string) (func() (int, error), error) {
	places, err := im.svc.LegacyStore().ResidentialUnits(im.ctx, im.scopePath())
	if err != nil {
		return nil, err
	}
	placeBy := map[string]int64{}
	for _, p := range places {
		placeBy[key(p.Code)] = p.ID
		if _, dup := placeBy[key(p.Name)]; !dup {
			placeBy[key(p.Name)] = p.ID
		}
	}
	seen := map[string]int{} // CCCD → row number of its first occurrence
	var ok []personRow
	for i, r := range im.t.rows {
		im.progress("kiểm tra", i+1)
		before := len(im.res.Errors)
		good := im.required(r)
		birth, dOK := im.date(r, ColBirth)
		cccd, cOK := im.cccd(r)
		good = good && dOK && cOK
		var org *domain.Org
		if code := im.t.get(r, ColOrg); code != "" {
			var msg string
			if org, msg = im.org(code); org == nil {
				im.problem(r, ColOrg, msg)
				good = false
			}
		}
		in := service.PersonInput{FullName: im.t.get(r, ColName), BirthDate: birth, Ethnicity: im.t.get(r, ColEthnicity),
			Religion: im.t.get(r, ColReligion), CCCD: cccd, Workplace: im.t.get(r, ColWorkplace)}
		if org != nil {
			in.OrgCode = org.Code
		}
		switch im.k(im.t.get(r, ColSex)) {
		case "nam", "male", "":
			in.Sex = domain.Male
		case "nu", "female":
			in.Sex = domain.Female
		default:
			im.problem(r, ColSex, fmt.Sprintf("Giới tính “%s” không hợp lệ: nhập Nam hoặc Nữ", im.t.get(r, ColSex)))
			good = false
		}
		if v := im.t.get(r, ColEthnicity); v != "" {
			if _, found := vn.FindEthnicity(v); !found {
				im.problem(r, ColEthnicity, fmt.Sprintf("Dân tộc “%s” không có trong danh mục 54 dân tộc", v))
				good = false
			}
		}
		if v := im.t.get(r, ColEducation); v != "" {
			in.Education, good = lookupInto(im, r, ColEducation, v, educationPairs(), good)
		}
		if v := im.t.get(r, ColOccupation); v != "" {
			in.Occupation, good = lookupInto(im, r, ColOccupation, v, occupationPairs(), good)
		}
		if v := im.t.get(r, ColResidence); v != "" {
			if id, found := placeBy[key(v)]; found {
				in.ResidenceID = id
			} else {
				im.problem(r, ColResidence, fmt.Sprintf("Không có thôn, buôn, tổ dân phố “%s” trong phạm vi của bạn (xem trang “%s” của tệp mẫu)", v, ListsSheet))
				good = false
			}
		}
		var yOK, tOK bool
		in.YouthUnion, yOK = im.yesNo(r, ColYouth)
		in.TradeUnion, tOK = im.yesNo(r, ColTradeUnion)
		good = good && yOK && tOK
		in.Stage = domain.StageSource
		var h *service.CaseHistory
		if kind == KindCandidates {
			if v := im.t.get(r, ColStage); v != "" {
				in.Stage, good = lookupInto(im, r, ColStage, v, stagePairs(), good)
			}
			var hOK bool
			h, hOK = im.history(r, org)
			good = good && hOK
			if h != nil && (h.DossierOpened != nil || h.Chapter != nil) && im.t.get(r, ColStage) != "" && in.Stage == domain.StageSource {
				im.problem(r, ColStage, fmt.Sprintf("Đã có ngày lập hồ sơ nên giai đoạn là “%s”, không phải “%s”",
					domain.StageName(domain.StageCandidate), im.t.get(r, ColStage)))
				good = false
			}
			if h != nil && in.Stage == domain.StageCandidate && h.DossierOpened == nil && im.t.get(r, ColDossier) == "" {
				im.problem(r, ColDossier, fmt.Sprintf("Giai đoạn “%s” cần ngày lập hồ sơ khi có ghi quá trình", domain.StageName(domain.StageCandidate)))
				good = false
			}
			if h != nil {
				in.Stage = domain.StageSource // the dossier step makes the candidate
			}
		}
		var m *domain.Membership
		if kind == KindMembers {
			dec, d1 := im.date(r, ColDecision)
			cer, d2 := im.date(r, ColCeremony)
			rec, d3 := im.date(r, ColRecognition)
			good = good && d1 && d2 && d3
			m = &domain.Membership{DecisionNo: vn.Clean(im.t.get(r, ColDecisionNo)), DecisionDate: dec}
			if !cer.IsZero() {
				m.CeremonyDate = &cer
			}
			if !rec.IsZero() {
				m.RecognitionDate = &rec
			}
			if org != nil {
				m.AdmittedOrgID = org.ID
			}
			if code := im.t.get(r, ColDecidedBy); code != "" {
				if by, msg := im.org(code); by == nil && !strings.Contains(msg, "phạm vi") {
					im.problem(r, ColDecidedBy, msg)
					good = false
				} else if by != nil {
					m.DecidedByID = by.ID
				} else if x := im.orgs[strings.ToLower(code)]; x != nil {
					m.DecidedByID = x.ID // the deciding committee may be above the user's unit
				}
			}
			in.Stage = domain.StageProbationary
			if m.RecognitionDate != nil {
				in.Stage = domain.StageOfficial
			}
		}
		if cccd != "" && good {
			if first, dup := seen[cccd]; dup {
				im.problem(r, ColCCCD, fmt.Sprintf("Số CCCD %s trùng với dòng %d của tệp (mỗi người chỉ một dòng)", vn.MaskCCCD(cccd), first))
				good = false
			} else {
				seen[cccd] = r.num
			}
		}
		if !good || len(im.res.Errors) > before {
			continue
		}
		p, err := im.svc.CheckPerson(im.ctx, in)
		if err != nil {
			im.serviceProblem(r, err, "")
			continue
		}
		if m != nil {
			if err := im.svc.CheckMembership(p, m); err != nil {
				im.serviceProblem(r, err, "")
				continue
			}
			m.Status = p.Stage
		}
		ok = append(ok, personRow{row: r, p: p, m: m, h: h})
	}
	// Against the store: one query per 500 numbers.
	cccds := make([]string, 0, len(ok))
	for _, x := range ok {
		cccds = append(cccds, x.p.CCCD)
	}
	existing, paths, err := im.svc.LegacyStore().PeopleByCCCD(im.ctx, cccds)
	if err != nil {
		return nil, err
	}
	var people []*domain.Person
	var members []*domain.Membership
	var cands []service.CandidateImport
	var candRows []dataRow
	for _, x := range ok {
		if old := existing[x.p.CCCD]; old != nil {
			if key(old.FullName) == key(x.p.FullName) && old.BirthDate.Equal(x.p.BirthDate) {
				if x.h != nil && !im.me.Sees(paths[old.ID]) {
					im.problem(x.row, ColOrg, fmt.Sprintf("%s đã có trong hệ thống nhưng sinh hoạt ở đơn vị ngoài phạm vi của bạn: không ghi được quá trình kết nạp", old.FullName))
					continue
				}
				if x.h != nil {
					// already here: the case gains the facts it lacks
					cands = append(cands, service.CandidateImport{ExistingID: old.ID, History: x.h})
					candRows = append(candRows, x.row)
					im.res.Valid++
					im.trial = true
					continue
				}
				im.res.Unchanged++
				continue
			}
			who := "một người khác"
			if im.me.Sees(paths[old.ID]) {
				who = fmt.Sprintf("%s, sinh %s (mã hồ sơ %d)", old.FullName, vn.Date(old.BirthDate), old.ID)
			}
			im.problem(x.row, ColCCCD, fmt.Sprintf("Số CCCD %s đã có trong hệ thống, thuộc hồ sơ của %s: mỗi người chỉ có một hồ sơ. Hãy kiểm tra lại số CCCD hoặc họ tên, ngày sinh", vn.MaskCCCD(x.p.CCCD), who))
			continue
		}
		im.preview(x.row)
		people = append(people, x.p)
		members = append(members, x.m)
		if kind == KindCandidates {
			cands = append(cands, service.CandidateImport{Person: x.p, History: x.h})
			candRows = append(candRows, x.row)
			im.trial = im.trial || x.h != nil
		}
	}
	im.res.Valid += len(people)
	if kind == KindCandidates {
		return im.writeCandidates(cands, candRows), nil
	}
	return func() (int, error) {
		var progress func(int)
		if im.opt.Progress != nil {
			progress = func(n int) { im.opt.Progress("ghi", n, len(people)) }
		}
		if err := im.svc.ImportPeople(im.ctx, kind, people, members, progress); err != nil {
			return 0, err
		}
		return len(people), nil
	}, nil
}

// lookupInto finds a coded value, recording a problem when it is unknown.
func lookupInto(im *importer, r dataRow, col, v string, pairs []struct{ Code, Name string }, good bool) (string, bool) {
	code, found := "", false
	k := im.k(v)
	for _, p := range pairs {
		if im.k(p.Name) == k || strings.EqualFold(p.Code, v) {
			code, found = p.Code, true
			break
		}
	}
	if !found {
		var names []string
		seen := map[string]bool{}
		for _, p := range pairs {
			if !seen[p.Code] {
				seen[p.Code] = true
				names = append(names, p.Name)
			}
		}
		im.problem(r, col, fmt.Sprintf("%s “%s” không có trong danh mục (%s)", col, v, strings.Join(names, "; ")))
		return "", false
	}
	return code, good
}

// writeCandidates returns the writer of a candidates file: new people and
// the stage facts replayed through the procedure, in one transaction kept
// only when nothing is wrong (or the valid rows only are asked, and it is
// not a dry run). A refused row's facts become problems on their columns.
func (im *importer) writeCandidates(rows []service.CandidateImport, at []dataRow) func() (int, error) {
	return func() (int, error) {
		var progress func(int)
		if im.opt.Progress != nil {
			progress = func(n int) { im.opt.Progress("ghi", n, len(rows)) }
		}
		commit := func(refused int) bool {
			return !im.opt.DryRun && (im.opt.ValidOnly || (len(im.res.Errors) == 0 && refused == 0))
		}
		out, err := im.svc.ImportCandidates(im.ctx, rows, commit, progress)
		if err != nil {
			return 0, err
		}
		for _, f := range out.Failures {
			im.problem(at[f.Row], factColumn(&f), domain.ErrorMessage(f.Err))
		}
		im.res.Valid -= len(out.Failures) + out.Unchanged
		im.res.Unchanged += out.Unchanged
		if !out.Committed {
			return 0, nil
		}
		im.res.Updated, im.res.Steps = out.Advanced, out.Steps
		return out.Created + out.Advanced, nil
	}
}
