package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// targetRow is one unit's line of the target sheet: what is stored (Orig…)
// and what the user typed, as text.
type targetRow struct {
	I                            int
	Org                          *domain.Org
	IsUnit                       bool
	QuotaLocked                  bool // the user's own unit: its quota is assigned from above
	Quota, QuotaDeadline         string
	Plan, PlanDeadline           string
	OrigQuota, OrigQuotaDeadline string
	OrigPlan, OrigPlanDeadline   string
	Error                        string
}

type targetsView struct {
	Org      *domain.Org
	Year     int
	Crumbs   []*domain.Org
	Sheet    *service.TargetSheet
	Rows     []targetRow
	Gaps     []string
	CanWrite bool
	Saved    int
	Failed   int
}

// targets shows a unit's and its children's quotas and plans for a year,
// editable in one form (GET /chi-tieu?org=&year=).
func (h *Handler) targets(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	q := r.URL.Query()
	v, err := h.targetSheet(r, u, q.Get("org"), q.Get("year"))
	if err != nil || v == nil {
		return err
	}
	v.Saved, _ = strconv.Atoi(q.Get("saved"))
	return h.renderTargets(w, r, http.StatusOK, v)
}

func (h *Handler) renderTargets(w http.ResponseWriter, r *http.Request, status int, v *targetsView) error {
	title := "Chỉ tiêu kết nạp đảng viên"
	if v.Org != nil {
		title = fmt.Sprintf("Chỉ tiêu năm %d: %s", v.Year, v.Org.Name)
	}
	return h.render(w, r, status, "targets", title, "targets", v)
}

// targetSheet loads the sheet and its rows as stored. It returns an empty
// view (nil sheet) when no organization exists yet.
func (h *Handler) targetSheet(r *http.Request, u *domain.User, code, yearText string) (*targetsView, error) {
	ctx := r.Context()
	q := service.ReportQuery{OrgCode: strings.TrimSpace(code)}
	if yearText != "" {
		y, err := strconv.Atoi(yearText)
		if err != nil {
			return nil, domain.FieldError("year", "Năm %q không hợp lệ", yearText)
		}
		q.Year = y
	}
	v := &targetsView{CanWrite: u.CanWrite("org")}
	sheet, err := h.svc.Targets(ctx, q)
	if err != nil {
		if q.OrgCode == "" && domain.ErrorCode(err) == domain.ENotFound {
			// no home unit: no organization exists yet.
			return v, nil
		}
		return nil, err
	}
	v.Sheet, v.Org, v.Year = sheet, sheet.Unit.Org, sheet.Year
	if v.Crumbs, err = h.svc.Ancestors(ctx, v.Org); err != nil {
		return nil, err
	}
	add := func(tr service.TargetRow, unit bool) {
		row := targetRow{I: len(v.Rows), Org: tr.Org, IsUnit: unit, QuotaLocked: unit && tr.Org.ID == u.OrgID}
		if tr.Quota != nil {
			row.OrigQuota, row.OrigQuotaDeadline = strconv.Itoa(tr.Quota.Value), isoPtr(tr.Quota.Deadline)
		}
		if tr.Plan != nil {
			row.OrigPlan, row.OrigPlanDeadline = strconv.Itoa(tr.Plan.Value), isoPtr(tr.Plan.Deadline)
		}
		row.Quota, row.QuotaDeadline, row.Plan, row.PlanDeadline = row.OrigQuota, row.OrigQuotaDeadline, row.OrigPlan, row.OrigPlanDeadline
		v.Rows = append(v.Rows, row)
	}
	add(sheet.Unit, true)
	for _, c := range sheet.Children {
		add(c, false)
	}
	if g := sheet.QuotaGap; g != nil {
		v.Gaps = append(v.Gaps, gapMessage("chỉ tiêu", sheet.QuotaSum, sheet.Unit.Quota.Value, *g))
	}
	if g := sheet.PlanGap; g != nil {
		v.Gaps = append(v.Gaps, gapMessage("kế hoạch", sheet.PlanSum, sheet.Unit.Plan.Value, *g))
	}
	return v, nil
}

// gapMessage says how the children's allocations miss the unit's figure:
// "Tổng chỉ tiêu các đơn vị trực thuộc (240) chưa khớp với chỉ tiêu của đơn vị (246): còn thiếu 6".
func gapMessage(what string, sum, unit, gap int) string {
	diff := fmt.Sprintf("còn thiếu %d", gap)
	if gap < 0 {
		diff = fmt.Sprintf("vượt %d", -gap)
	}
	return fmt.Sprintf("Tổng %s các đơn vị trực thuộc (%d) chưa khớp với %s của đơn vị (%d): %s", what, sum, what, unit, diff)
}

// targetsSave saves the changed rows of the sheet, one SetTarget per
// changed quota or plan (POST /chi-tieu). Every refused change is shown
// on its row; the accepted ones are kept.
func (h *Handler) targetsSave(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	if !u.CanWrite("org") {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép đặt chỉ tiêu", domain.RoleName(u.Role))
	}
	year, err := strconv.Atoi(pf.Get("year"))
	if err != nil {
		return domain.FieldError("year", "Năm %q không hợp lệ", pf.Get("year"))
	}
	// Read what was typed, by unit code.
	typed := map[string]targetRow{}
	n, _ := strconv.Atoi(pf.Get("rows"))
	for i := range min(n, 2000) {
		k := func(name string) string { return strings.TrimSpace(pf.Get(name + "." + strconv.Itoa(i))) }
		code := k("code")
		if code == "" {
			continue
		}
		typed[code] = targetRow{Quota: k("quota"), QuotaDeadline: k("quota_deadline"), Plan: k("plan"), PlanDeadline: k("plan_deadline"),
			OrigQuota: k("orig_quota"), OrigQuotaDeadline: k("orig_quota_deadline"), OrigPlan: k("orig_plan"), OrigPlanDeadline: k("orig_plan_deadline")}
	}
	saved, failed := 0, 0
	errsByCode := map[string][]string{}
	for code, t := range typed {
		for _, kind := range []string{domain.TargetQuota, domain.TargetPlan} {
			val, dl, ov, odl, label := t.Quota, t.QuotaDeadline, t.OrigQuota, t.OrigQuotaDeadline, "Chỉ tiêu"
			if kind == domain.TargetPlan {
				val, dl, ov, odl, label = t.Plan, t.PlanDeadline, t.OrigPlan, t.OrigPlanDeadline, "Kế hoạch"
			}
			if val == ov && dl == odl {
				continue
			}
			e := errs{}
			in := service.TargetInput{OrgCode: code, Year: year, Kind: kind,
				Value: e.int("value", label, val), Deadline: e.date("deadline", label+" — hạn hoàn thành", dl)}
			var msg string
			if len(e) > 0 {
				msg = strings.Join(nonEmpty(e["value"], e["deadline"]), "; ")
			} else if err := h.svc.SetTarget(r.Context(), in); err != nil {
				if domain.ErrorCode(err) == domain.EInternal {
					return err
				}
				msg = label + ": " + domain.ErrorMessage(err)
			}
			if msg != "" {
				failed++
				errsByCode[code] = append(errsByCode[code], msg)
				continue
			}
			saved++
		}
	}
	if failed == 0 {
		http.Redirect(w, r, "/chi-tieu?"+url.Values{"org": {pf.Get("org")}, "year": {strconv.Itoa(year)},
			"saved": {strconv.Itoa(saved)}}.Encode(), http.StatusSeeOther)
		return nil
	}
	// Reload what is stored now, and lay the typed values of the refused
	// rows over it so that nothing the user typed is lost.
	v, err := h.targetSheet(r, u, pf.Get("org"), strconv.Itoa(year))
	if err != nil {
		return err
	}
	for i, row := range v.Rows {
		if msgs, bad := errsByCode[row.Org.Code]; bad {
			t := typed[row.Org.Code]
			row.Quota, row.QuotaDeadline, row.Plan, row.PlanDeadline = t.Quota, t.QuotaDeadline, t.Plan, t.PlanDeadline
			row.Error = strings.Join(msgs, " ")
			v.Rows[i] = row
		}
	}
	v.Saved, v.Failed = saved, failed
	return h.renderTargets(w, r, http.StatusUnprocessableEntity, v)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
