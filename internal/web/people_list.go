package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

const peoplePerPage = 50

type personRow struct {
	*domain.Person
	CCCD string // masked
	Age  int
	Unit *domain.Org
}

type peopleListView struct {
	Org      *domain.Org // the unit filtered on, nil for the whole scope
	OrgCode  string
	Stage    string
	Q        string
	Stages   codeNames
	Rows     []personRow
	Page     *service.PeoplePage
	First    int // number of the first row shown
	CanWrite bool
}

// peopleList lists people in the user's scope, 50 a page, in Vietnamese
// name order (GET /nguoi?org=&stage=&q=&page=).
func (h *Handler) peopleList(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	qv := r.URL.Query()
	v := peopleListView{OrgCode: strings.TrimSpace(qv.Get("org")), Stage: qv.Get("stage"), Q: vn.Clean(qv.Get("q")),
		Stages: domain.Stages, CanWrite: u.CanWrite("people")}
	page, _ := strconv.Atoi(qv.Get("page"))
	pq := service.PeopleQuery{OrgCode: v.OrgCode, Query: v.Q, Page: max(page, 1), PerPage: peoplePerPage, After: qv.Get("after")}
	if v.Stage != "" {
		pq.Stages = []string{v.Stage}
	}
	if v.OrgCode != "" {
		o, err := h.svc.Org(ctx, v.OrgCode)
		if err != nil {
			return err
		}
		v.Org = o
	}
	res, err := h.svc.People(ctx, pq)
	if err != nil {
		return err
	}
	v.Page = res
	v.First = (res.Page-1)*res.PerPage + 1
	ids := make([]int64, len(res.People))
	for i, p := range res.People {
		ids[i] = p.OrgID
	}
	units, err := h.svc.OrgsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	today := h.svc.DefaultAsOf(ctx)
	for _, p := range res.People {
		v.Rows = append(v.Rows, personRow{Person: p, CCCD: vn.MaskCCCD(p.CCCD), Age: ageOn(p.BirthDate, today), Unit: units[p.OrgID]})
	}
	title := "Quần chúng, đảng viên"
	if v.Org != nil {
		title += ": " + v.Org.Name
	}
	return h.render(w, r, http.StatusOK, "people_list", title, "people", v)
}
