package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// The reorganisation of 1 July 2025 in the demo (DOMAIN §2, §9; reference
// §9): the district level is abolished, the commune party committees
// become the upper-level committees of the chapters under them and their
// standing committees decide admissions. The demo applies it with the
// product's own operation (service.ApplyReorg, as `ketnap reorg apply`
// would), so that it is checked, audited and listed among the applied
// plans like a user's.
//
// THE MAPPING IS ILLUSTRATIVE: it is not the real 2025 mapping of the
// communes of Krông Pắc (which the demo does not reproduce). The 16 units
// of the district (the town and 15 communes) are merged into six communes,
// each named after its seat and coded daklak-<seat>:
//
//	daklak-phuocan  xã Phước An   ← thị trấn Phước An, xã Hòa An, xã Ea Yông
//	daklak-eakly    xã Ea Kly     ← Ea Kly, Krông Búk, Ea Kênh
//	daklak-eaphe    xã Ea Phê     ← Ea Phê, Ea Kuăng, Hòa Đông
//	daklak-eaknuec  xã Ea Knuếc   ← Ea Knuếc, Hòa Tiến, Tân Tiến
//	daklak-vubon    xã Vụ Bổn     ← Vụ Bổn, Ea Yiêng
//	daklak-eauy     xã Ea Uy      ← Ea Uy, Ea Hiu
//
// A merger carries the old commune's chapters (thôn, buôn, tổ dân phố,
// schools, health stations), people, open cases, villages and schools to
// the new commune; the chapters keep their codes (krongpac-…) and history.
// The agencies of the old communes become the new commune's: the chapters
// of the Party and mass organisations, of the people's committee, of the
// police and of the militia of the other old communes are merged into
// those of the seat (renamed after the new commune where the seat was the
// town).
//
// The district's own chapters are regrouped the way the provinces did it
// in 2025 (reference §9.1, QĐ 294 §20.2: the party organisations of the
// agencies, public service units and enterprises standing in a commune go
// under that commune's committee; chapters of villages may only sit under
// the commune):
//   - the district Party committee's agencies (office, organisation,
//     inspection, propaganda, mass mobilisation boards, the political
//     centre) and the Fatherland Front were abolished with the district:
//     their chapters are merged into the Party agencies' chapter of xã
//     Phước An, where the district seat was, and the district people's
//     committee's offices into its people's committee's chapter;
//   - the units that go on (health centre, banks, tax, treasury, social
//     insurance, court, procuracy, judgement enforcement, forest rangers,
//     service centres, the vocational centre, the two enterprises) all
//     stand in Phước An: their chapters move under xã Phước An, keeping
//     their codes;
//   - each high school's chapter moves under the new commune where the
//     school stands;
//   - the district's military and police committees become provincial
//     forces' committees of the area: they move under the province, renamed.
//
// The district closes with the province as its successor. Its 2025 quota,
// and those of the units merged, ran to 30 June 2025 (later_targets.go):
// a plan cannot close a unit that still has a target to carry.

// ReorgDay is the day the two-level structure took effect.
var ReorgDay = domain.Day(2025, 7, 1)

// reorgDecision is the plan's decision; the number is invented.
const reorgDecision = "Quyết định số 1234-QĐ/TU ngày 25/6/2025 của Ban Thường vụ Tỉnh ủy Đắk Lắk về sắp xếp tổ chức đảng khi kết thúc hoạt động cấp huyện (minh họa)"

// newCommune is one commune of the illustrative mapping: its code, its
// name, and the old communes merged into it (their codes' last part), the
// seat first.
type newCommune struct {
	code, name string
	from       []string
}

var newCommunes = []newCommune{
	{"daklak-phuocan", "Đảng bộ xã Phước An", []string{"phuocan", "hoaan", "eayong"}},
	{"daklak-eakly", "Đảng bộ xã Ea Kly", []string{"eakly", "krongbuk", "eakenh"}},
	{"daklak-eaphe", "Đảng bộ xã Ea Phê", []string{"eaphe", "eakuang", "hoadong"}},
	{"daklak-eaknuec", "Đảng bộ xã Ea Knuếc", []string{"eaknuec", "hoatien", "tantien"}},
	{"daklak-vubon", "Đảng bộ xã Vụ Bổn", []string{"vubon", "eayieng"}},
	{"daklak-eauy", "Đảng bộ xã Ea Uy", []string{"eauy", "eahiu"}},
}

// seatAgencies are the commune agencies' chapters merged into the seat's.
var seatAgencies = []string{"coquan", "chinhquyen", "congan", "quansu"}

// District chapters abolished with the district, merged into the Party
// agencies' and the people's committee's chapters of the seat commune.
var (
	partyAgencies = []string{"vanphonghu", "bantochuc", "ubkt", "bantuyengiao", "bandanvan", "ttchinhtri", "mattran"}
	stateOffices  = []string{"vanphongubnd", "phonggddt", "taichinh", "nongnghiep", "tainguyen", "laodong", "noivu", "kinhte", "vanhoa", "thanhtra"}
)

// armedRenamed are the new names of the district's armed-forces committees.
var armedRenamed = map[string]string{
	"quansu": "Đảng bộ Ban Chỉ huy Phòng thủ khu vực Krông Pắc",
	"congan": "Đảng bộ Công an khu vực Krông Pắc",
}

// seatRenamed are the new names of the seat's agency chapters where the
// seat was the town (thị trấn Phước An became part of xã Phước An).
var seatRenamed = map[string]string{
	"krongpac-phuocan-coquan":     "Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể xã Phước An",
	"krongpac-phuocan-chinhquyen": "Chi bộ Cơ quan Ủy ban nhân dân xã Phước An",
	"krongpac-phuocan-congan":     "Chi bộ Công an xã Phước An",
	"krongpac-phuocan-quansu":     "Chi bộ Quân sự xã Phước An",
}

// reorgMap is what the plan does, by org index: which new commune each old
// commune goes into, which chapter each merged chapter goes into, the new
// parent of each unit moved (-1: the province).
type reorgMap struct {
	commune  map[int]int // old commune → new commune (indexes of p.orgs)
	chapter  map[int]int // merged chapter → the chapter it goes into
	moved    map[int]int // unit moved → its new parent
	newIndex []int       // the new communes' indexes, in newCommunes order
}

// byCode returns the index of the unit with the code.
func (p *plan) byCode(code string) int {
	for i := range p.orgs {
		if p.orgs[i].code == code {
			return i
		}
	}
	return -1
}

// buildReorg adds the new communes to p.orgs (not yet written) and works
// out the mapping.
func (p *plan) buildReorg() (*reorgMap, error) {
	m := &reorgMap{commune: map[int]int{}, chapter: map[int]int{}, moved: map[int]int{}}
	for _, nc := range newCommunes {
		o := newOrg(nc.code, nc.name, domain.KindCommune, "commune", -1, roleCommittee)
		o.from = ReorgDay
		i := len(p.orgs)
		o.commune = i
		p.orgs = append(p.orgs, o)
		m.newIndex = append(m.newIndex, i)
		for j, slugName := range nc.from {
			old := p.byCode("krongpac-" + slugName)
			if old < 0 {
				return nil, fmt.Errorf("demo: no commune krongpac-%s", slugName)
			}
			m.commune[old] = i
			if j == 0 {
				continue
			}
			for _, a := range seatAgencies {
				from, into := p.byCode("krongpac-"+slugName+"-"+a), p.byCode("krongpac-"+nc.from[0]+"-"+a)
				if from < 0 || into < 0 {
					return nil, fmt.Errorf("demo: no %s chapter in krongpac-%s or krongpac-%s", a, slugName, nc.from[0])
				}
				m.chapter[from] = into
			}
		}
	}
	seat := m.newIndex[0]
	for _, list := range []struct {
		codes []string
		into  string
	}{{partyAgencies, "krongpac-phuocan-coquan"}, {stateOffices, "krongpac-phuocan-chinhquyen"}} {
		into := p.byCode(list.into)
		for _, c := range list.codes {
			from := p.byCode("krongpac-" + c)
			if from < 0 || into < 0 {
				return nil, fmt.Errorf("demo: no chapter krongpac-%s or %s", c, list.into)
			}
			m.chapter[from] = into
		}
	}
	for i := range p.orgs {
		o := &p.orgs[i]
		if o.parent != districtOrg || o.to != nil {
			continue
		}
		if _, ok := m.commune[i]; ok {
			continue
		}
		if _, ok := m.chapter[i]; ok {
			continue
		}
		switch o.role {
		case roleCommittee: // the armed forces' committees
			m.moved[i] = -1
		case roleSchool:
			m.moved[i] = m.commune[o.commune]
		default:
			m.moved[i] = seat
		}
	}
	return m, nil
}

// reorgPlan is the plan of the mapping, as a user would write it.
func (p *plan) reorgPlan(m *reorgMap) *domain.ReorgPlan {
	rp := &domain.ReorgPlan{Date: ReorgDay.Format(domain.DateLayout), Decision: reorgDecision}
	for k, i := range m.newIndex {
		rp.Create = append(rp.Create, domain.ReorgCreate{Code: p.orgs[i].code, Name: p.orgs[i].name, Kind: domain.KindCommune,
			Sector: "commune", Parent: province.code})
		var from []string
		for _, s := range newCommunes[k].from {
			from = append(from, "krongpac-"+s)
		}
		rp.Merge = append(rp.Merge, domain.ReorgMerge{From: from, Into: p.orgs[i].code})
	}
	// the chapters merged, grouped by the chapter they go into
	into := map[int][]string{}
	var targets []int
	for from, to := range m.chapter {
		if into[to] == nil {
			targets = append(targets, to)
		}
		into[to] = append(into[to], p.orgs[from].code)
	}
	slices.Sort(targets)
	for _, to := range targets {
		slices.Sort(into[to])
		rp.Merge = append(rp.Merge, domain.ReorgMerge{From: into[to], Into: p.orgs[to].code})
	}
	moved := make([]int, 0, len(m.moved))
	for i := range m.moved {
		moved = append(moved, i)
	}
	slices.Sort(moved)
	for _, i := range moved {
		to := province.code
		if m.moved[i] >= 0 {
			to = p.orgs[m.moved[i]].code
		}
		rp.Move = append(rp.Move, domain.ReorgMove{Unit: p.orgs[i].code, To: to})
		if name, ok := armedRenamed[strings.TrimPrefix(p.orgs[i].code, "krongpac-")]; ok {
			rp.Rename = append(rp.Rename, domain.ReorgRename{Unit: p.orgs[i].code, Name: name})
		}
	}
	for _, code := range slices.Sorted(maps.Keys(seatRenamed)) {
		rp.Rename = append(rp.Rename, domain.ReorgRename{Unit: code, Name: seatRenamed[code]})
	}
	rp.Close = []domain.ReorgClose{{Unit: p.orgs[districtOrg].code, Successor: province.code}}
	return rp
}

// applyReorg applies the plan through the service (as the system
// administrator, on the plan's date) and brings p's tree, people and
// members up to date: the new communes get their ids, the units merged
// close, the units moved take their new parent.
func (p *plan) applyReorg(ctx context.Context, tx *store.Store, d *driver, m *reorgMap) (*service.ReorgResult, error) {
	d.at(ReorgDay)
	svc := service.New(tx, nil) // not replaying: the ladders change on the date
	svc.Now = func() time.Time { return d.now }
	res, err := svc.ApplyReorg(ctx, p.reorgPlan(m), service.ReorgOptions{})
	if err != nil {
		return nil, err
	}
	if !res.OK() {
		var msgs []string
		for _, pr := range res.Problems {
			msgs = append(msgs, pr.Where()+": "+pr.Message)
		}
		return nil, fmt.Errorf("demo: the reorganisation plan was refused: %s", strings.Join(msgs, "; "))
	}
	for _, i := range m.newIndex {
		o, err := tx.GetOrgByCode(ctx, p.orgs[i].code)
		if err != nil {
			return nil, err
		}
		p.orgs[i].id = o.ID
	}
	to := ReorgDay
	closeOrg := func(i, successor int) {
		p.orgs[i].to, p.orgs[i].successor = &to, successor
	}
	for old, nc := range m.commune {
		closeOrg(old, nc)
		for i := range p.orgs {
			if p.orgs[i].parent == old {
				p.orgs[i].parent = nc
			}
			if p.orgs[i].commune == old {
				p.orgs[i].commune = nc
			}
		}
		for i := range p.units {
			if p.units[i].commune == old {
				p.units[i].commune = nc
			}
		}
		for i := range p.schools {
			if p.schools[i].commune == old {
				p.schools[i].commune = nc
			}
		}
	}
	for from, into := range m.chapter {
		closeOrg(from, into)
		p.orgs[into].size += p.orgs[from].size
		d.members[into] = append(d.members[into], d.members[from]...)
		delete(d.members, from)
		for i := range p.people {
			if p.people[i].org == from {
				p.people[i].org = into
			}
		}
		for i := range p.units {
			if p.units[i].chapter == from {
				p.units[i].chapter = into
			}
		}
	}
	for i, parent := range m.moved {
		p.orgs[i].parent = parent
		if parent >= 0 {
			p.orgs[i].commune = p.orgs[parent].commune
		}
		if name, ok := armedRenamed[strings.TrimPrefix(p.orgs[i].code, "krongpac-")]; ok {
			p.orgs[i].name = name
		}
	}
	for code, name := range seatRenamed {
		p.orgs[p.byCode(code)].name = name
	}
	closeOrg(districtOrg, -1)
	return res, nil
}
