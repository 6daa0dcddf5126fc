package web

import (
	"context"
	"strconv"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// A member is picked by name, never by an internal id (issue 16): the
// chapter's official members in a list, or, for a member of another unit,
// the name typed in "other_name" and resolved here among the official
// members the user sees. Several of that name bring the form back with a
// list of them (other_id) to choose from; the page needs no script.

// memberChoice is one member of an ambiguous name, to choose from.
type memberChoice struct {
	ID    int64
	Label string // name, birth date, unit
}

// memberChoicesMax is how many members of one name the form lists.
const memberChoicesMax = 20

// pickMember returns the member the form names: other_id (picked among
// the namesakes), else the name in other_name, else the list's k. Problems
// go to f.e under the field at fault; 0 then.
func (h *Handler) pickMember(ctx context.Context, f *postForm, k, label string) int64 {
	if f.s("other_id") != "" {
		return f.id("", "other_id", label)
	}
	name := f.s("other_name")
	if name == "" {
		return f.id(k, "", label)
	}
	res, err := h.svc.People(ctx, service.PeopleQuery{Stages: []string{domain.StageOfficial}, Query: name, PerPage: memberChoicesMax})
	if err != nil {
		f.e["other_name"] = domain.ErrorMessage(err)
		return 0
	}
	switch len(res.People) {
	case 0:
		f.e["other_name"] = "Không tìm thấy đảng viên chính thức nào tên “" + vn.Echo(name) + "” trong phạm vi của bạn"
		return 0
	case 1:
		return res.People[0].ID
	}
	ids := make([]int64, len(res.People))
	for i, p := range res.People {
		ids[i] = p.OrgID
	}
	units, err := h.svc.OrgsByIDs(ctx, ids)
	if err != nil {
		f.e["other_name"] = domain.ErrorMessage(err)
		return 0
	}
	for _, p := range res.People {
		l := p.FullName + ", sinh " + vn.Date(p.BirthDate)
		if o := units[p.OrgID]; o != nil {
			l += ", " + o.Name
		}
		f.choices = append(f.choices, memberChoice{ID: p.ID, Label: l})
	}
	n := strconv.Itoa(res.Total)
	if res.Total > len(res.People) {
		n = "hơn " + strconv.Itoa(len(res.People))
	}
	f.e["other_id"] = "Có " + n + " đảng viên chính thức tên “" + vn.Echo(name) + "”: chọn đúng người trong danh sách, hoặc gõ đầy đủ họ tên"
	return 0
}
