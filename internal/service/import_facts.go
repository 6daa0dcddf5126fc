package service

import (
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// StageFacts are a candidate's stage facts as a candidates file gives
// them: how far the admission procedure went, each fact optional. The
// import replays them through the procedure's steps (replayCase), so the
// rules judge them. The problems name the fields opened_on, helper,
// certificate_no, certificate_date, dossier_opened, verification_sent,
// verification_addressee, verification_replied, opinions,
// youth_resolution, introducer_1, introducer_2, months_together and
// chapter.<figure>, committee.<figure> (date, number, members, excluded,
// present, yes).
type StageFacts struct {
	OpenedOn     *time.Time // selected into the list of sources; nil: the earliest date given
	HardshipArea bool
	// Helper is the official member who helps: a 12-digit citizen ID, or
	// a name unique among the official members of the chapter (or else of
	// its grassroots organization).
	Helper string

	CertificateNo   string
	CertificateDate *time.Time

	DossierOpened *time.Time

	VerificationSent      *time.Time
	VerificationAddressee string // "" for DefaultVerificationAddressee
	VerificationReplied   *time.Time
	VerificationResult    string // "" for DefaultVerificationResult

	Opinions        *time.Time
	YouthResolution *time.Time
	Introducers     [2]string // as Helper; "" for none
	MonthsTogether  *int

	Chapter   Resolution // the chapter's resolution proposing the admission
	Committee Resolution // the grassroots committee's
}

// Resolution is a resolution's figures as a file gives them, nil where a
// cell is empty: all or none of the date, members, present and yes.
type Resolution struct {
	Date     *time.Time
	Number   string
	Members  *int
	Excluded *int
	Present  *int
	Yes      *int
}

func (r *Resolution) given() bool {
	return r.Date != nil || r.Number != "" || r.Members != nil || r.Excluded != nil || r.Present != nil || r.Yes != nil
}

// DefaultVerificationAddressee is the committee asked to verify when the
// file does not say.
const DefaultVerificationAddressee = "Cấp ủy nơi cư trú của người vào Đảng"

// DefaultVerificationResult is the reply recorded when the file gives its date only.
const DefaultVerificationResult = "Đã có kết quả thẩm tra lý lịch (ghi từ tệp nhập, xem bản giấy trong hồ sơ)"

// history judges the stage facts f of the row i, a candidate of the
// chapter org (nil when the row's unit is wrong), and returns them as the
// history the replay records.
func (c *peopleCheck) history(i int, f *StageFacts, org *domain.Org) *caseHistory {
	h := &caseHistory{HardshipArea: f.HardshipArea, CertificateNo: vn.Clean(f.CertificateNo), CertificateDate: f.CertificateDate,
		DossierOpened: f.DossierOpened, VerificationSent: f.VerificationSent, VerificationAddressee: vn.Clean(f.VerificationAddressee),
		VerificationReplied: f.VerificationReplied, VerificationResult: vn.Clean(f.VerificationResult),
		Opinions: f.Opinions, YouthResolution: f.YouthResolution}
	if f.OpenedOn != nil {
		h.OpenedOn = *f.OpenedOn
	}
	if h.VerificationAddressee == "" {
		h.VerificationAddressee = DefaultVerificationAddressee
	}
	if h.VerificationResult == "" {
		h.VerificationResult = DefaultVerificationResult
	}
	if h.VerificationReplied != nil && h.VerificationSent == nil {
		c.refusef(i, "verification_sent", "Có ngày nhận kết quả thẩm tra nhưng chưa có ngày gửi yêu cầu thẩm tra")
	}
	if org != nil {
		c.refs(i, f, org, h)
	}
	h.Chapter = c.resolution(i, "chapter", &f.Chapter)
	h.Committee = c.resolution(i, "committee", &f.Committee)
	if f.Committee.given() && !f.Chapter.given() {
		c.refusef(i, "chapter.date", "Có nghị quyết của đảng ủy cơ sở nhưng chưa có nghị quyết chi bộ đề nghị kết nạp")
	}
	if h.OpenedOn.IsZero() {
		for _, d := range []*time.Time{h.CertificateDate, h.DossierOpened, h.VerificationSent, h.Opinions, h.YouthResolution} {
			if d != nil && (h.OpenedOn.IsZero() || d.Before(h.OpenedOn)) {
				h.OpenedOn = *d
			}
		}
		if h.Chapter != nil && (h.OpenedOn.IsZero() || h.Chapter.Date.Before(h.OpenedOn)) {
			h.OpenedOn = h.Chapter.Date
		}
	}
	return h
}

// refs finds the helper and the introducers the row i names.
func (c *peopleCheck) refs(i int, f *StageFacts, org *domain.Org, h *caseHistory) {
	if f.Helper != "" {
		if id, err := c.memberRef(f.Helper, org); err != nil {
			c.refuse(i, "helper", err)
		} else {
			h.HelperID = id
		}
	}
	for k, v := range f.Introducers {
		if v == "" {
			continue
		}
		field := fmt.Sprintf("introducer_%d", k+1)
		if id, err := c.memberRef(v, org); err != nil {
			c.refuse(i, field, err)
		} else {
			h.Introducers = append(h.Introducers, id)
			h.introducerFields = append(h.introducerFields, field)
		}
	}
	if len(h.Introducers) == 2 && h.Introducers[0] == h.Introducers[1] {
		c.refusef(i, "introducer_2", "Hai người giới thiệu là cùng một đảng viên: cần hai đảng viên chính thức khác nhau")
	}
	if f.MonthsTogether != nil {
		h.MonthsTogether = *f.MonthsTogether
	} else if len(h.Introducers) > 0 {
		c.refusef(i, "months_together", "Có người giới thiệu nhưng chưa ghi số tháng cùng công tác, sinh hoạt với người vào Đảng (Điều lệ Đ.4: ít nhất 12 tháng)")
	}
}

// resolution judges a resolution's figures (the fields prefix.date, …):
// all or none of the date, members, present and yes. Negative figures are
// the vote's to refuse when it is replayed.
func (c *peopleCheck) resolution(i int, prefix string, r *Resolution) *voteFacts {
	if !r.given() {
		return nil
	}
	ok := true
	for _, x := range []struct {
		field, name string
		given       bool
	}{{"date", "ngày", r.Date != nil}, {"members", "tổng số", r.Members != nil}, {"present", "số có mặt", r.Present != nil}, {"yes", "số tán thành", r.Yes != nil}} {
		if !x.given {
			c.refusef(i, prefix+"."+x.field, "Đã ghi nghị quyết nhưng thiếu %s: cần ngày, tổng số, số có mặt và số tán thành", x.name)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	v := &voteFacts{Date: *r.Date, Number: vn.Clean(r.Number), Members: *r.Members, Present: *r.Present, Yes: *r.Yes}
	if r.Excluded != nil {
		v.Excluded = *r.Excluded
	}
	return v
}

// memberRef finds the member a cell names for a candidate of the chapter
// org: a 12-digit citizen ID of a person in the user's subtree, or a name
// unique among the official members of the chapter (or else of its
// grassroots organization). Whether the person may help or introduce
// (an official member, not the candidate) is the step's to judge.
func (c *peopleCheck) memberRef(v string, org *domain.Org) (int64, error) {
	v = vn.Clean(v)
	if id := strings.ReplaceAll(v, " ", ""); isDigits(id) {
		return c.memberByCCCD(v, id)
	}
	scopes := []string{org.Path}
	if parent := parentPath(org.Path); parent != "" && c.me.Sees(parent) {
		scopes = append(scopes, parent)
	}
	for _, path := range scopes {
		list, err := c.officials(path)
		if err != nil {
			return 0, err
		}
		// the exact name; a name typed without diacritics matches them
		// all ("Le Van Cuong" is Lê Văn Cường, "Lê Văn Cương" is not)
		matches := []func(m domain.MemberRef) bool{func(m domain.MemberRef) bool { return strings.EqualFold(m.FullName, v) }}
		if plain := vn.Fold(v); plain == strings.ToLower(v) {
			matches = append(matches, func(m domain.MemberRef) bool { return m.Fold == plain })
		}
		for _, match := range matches {
			var hits []domain.MemberRef
			for _, m := range list {
				if match(m) {
					hits = append(hits, m)
				}
			}
			switch len(hits) {
			case 0:
				continue
			case 1:
				return hits[0].ID, nil
			default:
				return 0, domain.Errorf(domain.EInvalid, "Có %d đảng viên chính thức tên “%s”: hãy ghi số CCCD của người này", len(hits), v)
			}
		}
	}
	return 0, domain.Errorf(domain.ENotFound, "Không có đảng viên chính thức tên “%s” trong %s hay đảng bộ cấp trên trực tiếp (ghi đúng họ tên, hoặc số CCCD)", v, org.Name)
}

// memberByCCCD finds the person with the citizen ID id (as the cell v
// writes it) in the user's subtree.
func (c *peopleCheck) memberByCCCD(v, id string) (int64, error) {
	if len(id) != 12 {
		return 0, domain.Errorf(domain.EInvalid, "“%s”: số CCCD phải có đủ 12 chữ số (giữ số 0 ở đầu)", v)
	}
	found, paths, err := c.s.store.PeopleByCCCD(c.ctx, []string{id})
	if err != nil {
		c.fault(err)
		return 0, err
	}
	p := found[id]
	if p == nil || !c.me.Sees(paths[p.ID]) {
		return 0, domain.Errorf(domain.ENotFound, "Không có đảng viên nào có số CCCD %s trong phạm vi của bạn", vn.MaskCCCD(id))
	}
	return p.ID, nil
}

// officials lists the official members under path, once.
func (c *peopleCheck) officials(path string) ([]domain.MemberRef, error) {
	if list, ok := c.members[path]; ok {
		return list, nil
	}
	list, err := c.s.store.OfficialsUnder(c.ctx, path)
	if err != nil {
		c.fault(err)
		return nil, err
	}
	if c.members == nil {
		c.members = map[string][]domain.MemberRef{}
	}
	c.members[path] = list
	return list, nil
}

// parentPath is the path of the organization above ("/1/5/" for "/1/5/23/").
func parentPath(path string) string {
	p := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return ""
	}
	return p[:i+1]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
