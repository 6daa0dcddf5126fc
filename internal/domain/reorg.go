package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ReorgPlan is one reorganisation decision (CONTRACT "Reorganisation
// plan"; DOMAIN §2): on Date, units are created, merged, moved, renamed and
// closed, all at once. Its JSON is the contract's; a plan read from the
// workbook (ketnap export template reorg) is the same value, its items
// carrying the sheet rows they came from.
type ReorgPlan struct {
	Date     string        `json:"date"` // YYYY-MM-DD, judged by the service (a malformed date is a problem of the plan)
	Decision string        `json:"decision"`
	Create   []ReorgCreate `json:"create,omitempty"`
	Merge    []ReorgMerge  `json:"merge,omitempty"`
	Move     []ReorgMove   `json:"move,omitempty"`
	Rename   []ReorgRename `json:"rename,omitempty"`
	Close    []ReorgClose  `json:"close,omitempty"`

	// Sheets names, for a plan read from a workbook, the sheet of each
	// operation (ReorgCreate… and ReorgPlanSheet for the date and the
	// decision); its items then carry their row. Empty for JSON.
	Sheets map[string]string `json:"-"`
}

// The operations of a plan, as problems and summaries name them.
const (
	ReorgOpPlan   = "plan" // the date, the decision, the plan as a whole
	ReorgOpCreate = "create"
	ReorgOpMerge  = "merge"
	ReorgOpMove   = "move"
	ReorgOpRename = "rename"
	ReorgOpClose  = "close"
)

// ReorgOpNames are the operations' Vietnamese names.
var ReorgOpNames = map[string]string{
	ReorgOpPlan:   "Phương án",
	ReorgOpCreate: "Thành lập",
	ReorgOpMerge:  "Sáp nhập",
	ReorgOpMove:   "Chuyển trực thuộc",
	ReorgOpRename: "Đổi tên",
	ReorgOpClose:  "Giải thể",
}

// ReorgCreate opens a unit on the plan's date under Parent (a unit in the
// store or one the plan creates). Sector is optional: by default a
// province, district or commune committee is "commune", any other unit
// takes its parent's sector.
type ReorgCreate struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Kind   OrgKind `json:"kind"`
	Sector Sector  `json:"sector,omitempty"`
	Parent string  `json:"parent"`
	Row    int     `json:"-"`
}

// ReorgMerge closes each From unit on the plan's date with Into as its
// successor, and moves to Into their child units, people, open cases,
// residential units, schools and users' scopes.
type ReorgMerge struct {
	From []string `json:"from"`
	Into string   `json:"into"`
	Row  int      `json:"-"`
	// FromRows is, for a workbook, the row of each From unit (one row per
	// unit merged); Row is then the first of them.
	FromRows []int `json:"-"`
}

// ReorgMove gives Unit a new parent, To, from the plan's date; it keeps
// its code, its subtree and its history.
type ReorgMove struct {
	Unit string `json:"unit"`
	To   string `json:"to"`
	Row  int    `json:"-"`
}

// ReorgRename gives Unit a new name.
type ReorgRename struct {
	Unit string `json:"unit"`
	Name string `json:"name"`
	Row  int    `json:"-"`
}

// ReorgClose closes Unit on the plan's date (its children merged or moved
// away by then), with an optional successor.
type ReorgClose struct {
	Unit      string `json:"unit"`
	Successor string `json:"successor,omitempty"`
	Row       int    `json:"-"`
}

// ReorgPlanSheet is the key of Sheets for the date and the decision.
const ReorgPlanSheet = ReorgOpPlan

// Empty reports whether the plan has no operation.
func (p *ReorgPlan) Empty() bool {
	return len(p.Create)+len(p.Merge)+len(p.Move)+len(p.Rename)+len(p.Close) == 0
}

// Canonical is the plan's JSON as the contract writes it, whitespace and
// field order fixed: the same plan from a JSON file or a workbook gives
// the same bytes (its SHA-256 identifies a plan already applied).
func (p *ReorgPlan) Canonical() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(p) // only strings and slices of them: cannot fail
	return bytes.TrimSpace(b.Bytes())
}

// DecodeReorgPlan reads a plan's JSON strictly: unknown fields, a value of
// the wrong type and trailing data are refused with a Vietnamese message
// (EInvalid, or EBadRequest for what is not JSON at all). Codes are
// trimmed and lower-cased, names NFC-normalised by the service.
func DecodeReorgPlan(r io.Reader) (*ReorgPlan, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p ReorgPlan
	if err := dec.Decode(&p); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, Errorf(EBadRequest, "Thiếu nội dung JSON của phương án sắp xếp")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, Errorf(EBadRequest, "JSON không hợp lệ: nội dung kết thúc giữa chừng")
		case errors.As(err, &syn):
			return nil, Errorf(EBadRequest, "JSON không hợp lệ ở vị trí %d", syn.Offset)
		case errors.As(err, &typ) && typ.Field == "":
			return nil, Errorf(EInvalid, "Phương án sắp xếp phải là một đối tượng JSON ({...})")
		case errors.As(err, &typ):
			return nil, Errorf(EInvalid, "Trường %q có kiểu dữ liệu không đúng (%s)", typ.Field, jsonKind(typ.Type.Kind().String()))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return nil, Errorf(EInvalid, "Trường không được hỗ trợ trong phương án sắp xếp: %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return nil, Errorf(EBadRequest, "JSON không hợp lệ: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, Errorf(EBadRequest, "Chỉ gửi một phương án (một đối tượng JSON)")
	}
	p.normalise()
	return &p, nil
}

// jsonKind says in Vietnamese what a field should hold.
func jsonKind(kind string) string {
	switch kind {
	case "slice":
		return "cần một danh sách [...]"
	case "struct":
		return "cần một đối tượng {...}"
	}
	return "cần một chuỗi"
}

// normalise trims the codes and lower-cases them (codes are ASCII).
func (p *ReorgPlan) normalise() {
	c := func(s *string) { *s = strings.ToLower(strings.TrimSpace(*s)) }
	p.Date = strings.TrimSpace(p.Date)
	for i := range p.Create {
		c(&p.Create[i].Code)
		c(&p.Create[i].Parent)
	}
	for i := range p.Merge {
		for j := range p.Merge[i].From {
			c(&p.Merge[i].From[j])
		}
		c(&p.Merge[i].Into)
	}
	for i := range p.Move {
		c(&p.Move[i].Unit)
		c(&p.Move[i].To)
	}
	for i := range p.Rename {
		c(&p.Rename[i].Unit)
	}
	for i := range p.Close {
		c(&p.Close[i].Unit)
		c(&p.Close[i].Successor)
	}
}

// Normalise is normalise for the workbook's parser.
func (p *ReorgPlan) Normalise() { p.normalise() }

// ReorgProblem is one reason a plan is refused: the operation and its
// position in its list (Item, from 1; 0 for the plan itself), the sheet and
// row of a workbook, the field and the unit it is about, and a Vietnamese
// message. Forbidden marks a unit outside the caller's scope, Conflict a
// plan applied before.
type ReorgProblem struct {
	Operation string `json:"operation"`
	Item      int    `json:"item"`
	Sheet     string `json:"sheet,omitempty"`
	Row       int    `json:"row,omitempty"`
	Field     string `json:"field,omitempty"`
	Unit      string `json:"unit,omitempty"`
	Message   string `json:"message"`
	Forbidden bool   `json:"forbidden,omitempty"`
	Conflict  bool   `json:"conflict,omitempty"`
}

// Where says where the problem is: "Trang “Sáp nhập”, dòng 3, cột “…”"
// for a workbook, "Sáp nhập, mục 1" for JSON, "Phương án" for the plan.
func (p ReorgProblem) Where() string {
	var s string
	switch {
	case p.Sheet != "" && p.Row > 0:
		s = fmt.Sprintf("Trang “%s”, dòng %d", p.Sheet, p.Row)
	case p.Sheet != "":
		s = fmt.Sprintf("Trang “%s”", p.Sheet)
	case p.Item > 0:
		s = fmt.Sprintf("%s, mục %d", ReorgOpNames[p.Operation], p.Item)
	default:
		s = ReorgOpNames[p.Operation]
	}
	if p.Sheet != "" && p.Field != "" {
		s += ", cột “" + p.Field + "”"
	}
	return s
}

// Text writes the problem on one line: where, the unit, the message.
func (p ReorgProblem) Text() string {
	s := p.Where()
	if p.Unit != "" {
		s += " (" + p.Unit + ")"
	}
	return s + ": " + p.Message
}

// AppliedReorg is a plan that was applied: its decision and date, the
// plan's canonical JSON and SHA-256, the summary of what moved (JSON), and
// who applied it when.
type AppliedReorg struct {
	ID            int64
	SHA256        string
	Decision      string
	Date          time.Time
	Plan          string
	Summary       string
	AppliedAt     time.Time
	AppliedBy     int64 // 0: the command line's system administrator
	AppliedByName string
}
