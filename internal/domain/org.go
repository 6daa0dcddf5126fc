package domain

import (
	"regexp"
	"time"

	"ketnap/internal/vn"
)

// OrgKind is the kind of a party organization (DOMAIN §2).
type OrgKind string

const (
	KindProvince     OrgKind = "province"      // đảng bộ tỉnh
	KindDistrict     OrgKind = "district"      // đảng bộ huyện (until 2025)
	KindCommune      OrgKind = "commune"       // đảng bộ xã/phường/đặc khu (since 2025)
	KindGrassroots   OrgKind = "grassroots"    // đảng bộ cơ sở
	KindGrassChapter OrgKind = "grass_chapter" // chi bộ cơ sở
	KindSubCommittee OrgKind = "subcommittee"  // đảng bộ bộ phận
	KindChapter      OrgKind = "chapter"       // chi bộ trực thuộc
)

// OrgKinds lists the kinds in display order with their Vietnamese names.
var OrgKinds = []struct {
	Kind OrgKind
	Name string
}{
	{KindProvince, "Đảng bộ tỉnh"},
	{KindDistrict, "Đảng bộ huyện"},
	{KindCommune, "Đảng bộ xã, phường, đặc khu"},
	{KindGrassroots, "Đảng bộ cơ sở"},
	{KindGrassChapter, "Chi bộ cơ sở"},
	{KindSubCommittee, "Đảng bộ bộ phận"},
	{KindChapter, "Chi bộ trực thuộc"},
}

// Name returns the Vietnamese name of the kind.
func (k OrgKind) Name() string {
	for _, x := range OrgKinds {
		if x.Kind == k {
			return x.Name
		}
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// IsChapter reports whether the kind is a chapter (chi bộ), the level
// where candidates are cultivated and voted on.
func (k OrgKind) IsChapter() bool { return k == KindGrassChapter || k == KindChapter }

// Sector is the field an organization works in.
type Sector string

// Sectors with their Vietnamese names.
var Sectors = []struct {
	Sector Sector
	Name   string
}{
	{"commune", "Xã, phường, thị trấn"},
	{"agency", "Cơ quan"},
	{"school", "Trường học"},
	{"enterprise", "Doanh nghiệp"},
	{"armed_forces", "Lực lượng vũ trang"},
	{"public_service", "Đơn vị sự nghiệp"},
}

// Name returns the Vietnamese name of the sector.
func (s Sector) Name() string {
	for _, x := range Sectors {
		if x.Sector == s {
			return x.Name
		}
	}
	return string(s)
}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool {
	for _, x := range Sectors {
		if x.Sector == s {
			return true
		}
	}
	return false
}

// Org is a node of the organization tree. Its parent never changes: a
// restructuring closes the node (ValidTo) and opens a new one, linked by
// SuccessorID, so history stays countable under the tree as it was.
type Org struct {
	ID          int64
	Code        string
	Name        string
	Kind        OrgKind
	Sector      Sector
	ParentID    int64  // 0 for a root
	Path        string // "/1/5/23/": ids from the root, for subtree queries
	ValidFrom   time.Time
	ValidTo     *time.Time // first day it no longer exists; nil while open
	SuccessorID int64      // 0 when none
	// YouthUnion: the unit has a Youth Union organisation (tổ chức Đoàn TNCS
	// Hồ Chí Minh); its candidates of youth age who are Youth Union members
	// go the Youth Union's route (Điều lệ Đ.4 k.2). DefaultYouthUnion when
	// not recorded.
	YouthUnion bool
	Version    int64
}

// DefaultYouthUnion is whether a unit has a Youth Union organisation
// unless recorded otherwise: yes in communes, wards and towns (the sector
// "commune", and the commune committees of the two-level structure),
// agencies and schools, where the Youth Union is organised everywhere; no
// in enterprises, the armed forces (whose youth organisations follow their
// own system) and public service units, where it depends on the unit.
func DefaultYouthUnion(kind OrgKind, sector Sector) bool {
	return sector == "commune" || sector == "agency" || sector == "school" || kind == KindCommune
}

// OrgLink is a unit's place in the tree over a period (DOMAIN §2: the
// parent is effective-dated): its parent and path from ValidFrom (zero for
// its first place) until ValidTo (nil: still).
type OrgLink struct {
	OrgID     int64
	ParentID  int64
	Path      string
	ValidFrom time.Time
	ValidTo   *time.Time
}

// OpenOn reports whether the organization exists on date d.
func (o *Org) OpenOn(d time.Time) bool {
	return !d.Before(o.ValidFrom) && (o.ValidTo == nil || d.Before(*o.ValidTo))
}

// Contains reports whether other is o or one of its descendants.
func (o *Org) Contains(other *Org) bool {
	return len(other.Path) >= len(o.Path) && other.Path[:len(o.Path)] == o.Path
}

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidateCode checks an organization code: lower-case ASCII letters,
// digits and hyphens, stable across renames.
func ValidateCode(code string) error {
	if !codeRe.MatchString(code) {
		return FieldError("code", "Mã tổ chức %q không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 63 ký tự)", vn.Echo(code))
	}
	return nil
}

// Validate checks the fields a user enters.
func (o *Org) Validate() error {
	if err := ValidateCode(o.Code); err != nil {
		return err
	}
	if o.Name == "" {
		return FieldError("name", "Tên tổ chức không được để trống")
	}
	if len([]rune(o.Name)) > 200 {
		return FieldError("name", "Tên tổ chức quá dài (tối đa 200 ký tự)")
	}
	if !o.Kind.Valid() {
		return FieldError("kind", "Loại tổ chức %q không hợp lệ", o.Kind)
	}
	if !o.Sector.Valid() {
		return FieldError("sector", "Khối %q không hợp lệ", o.Sector)
	}
	if o.ValidFrom.IsZero() {
		return FieldError("valid_from", "Cần ngày bắt đầu hoạt động")
	}
	if o.ValidTo != nil && !o.ValidTo.After(o.ValidFrom) {
		return FieldError("valid_to", "Ngày giải thể phải sau ngày thành lập")
	}
	return nil
}

// Authority is an effective-dated record of which body decides admissions
// and recognitions for candidates under an organization (DOMAIN §2;
// admission-rules §9).
type Authority struct {
	OrgID           int64
	ValidFrom       time.Time
	DeciderID       int64 // the organization whose standing committee decides
	Authorised      bool  // the decider is an authorised grassroots committee
	SubCommittee    bool  // a sub-committee review sits between chapter and decision
	GrassrootsLevel bool  // a grassroots committee vote sits between chapter and decision
}

// ResidentialUnit is a village (thôn, buôn) or residential group (tổ dân phố).
type ResidentialUnit struct {
	ID        int64
	Code      string
	Name      string
	Kind      string // "thon", "buon", "to_dan_pho"
	CommuneID int64  // the commune/town committee it belongs to
	ChapterID int64  // its own chapter, 0 when it has none
}

// ResidentialKinds maps the kinds to Vietnamese.
var ResidentialKinds = map[string]string{"thon": "Thôn", "buon": "Buôn", "to_dan_pho": "Tổ dân phố"}

// School is a school (high schools above all) with its enrolment.
type School struct {
	ID        int64
	Code      string
	Name      string
	Level     string // "high_school", "lower_secondary", "college", "university"
	OrgID     int64  // its party chapter, 0 when none
	CommuneID int64
}

// Enrolment is a school's number of students in a school year (starting year).
type Enrolment struct {
	SchoolID   int64
	SchoolYear int
	Students   int
}
