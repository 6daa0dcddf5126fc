package api

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// registerReorgs adds the reorganisation plans (CONTRACT "Reorganisation
// plan"), for administrators:
//
//	POST /api/v1/reorgs?dry_run=1   body: the plan's JSON (or its workbook)
//	GET  /api/v1/reorgs             the plans applied, the latest first
//	GET  /api/v1/reorgs/template    the plan's workbook to fill in
//
// The answer to a plan is its result (what moves per unit and per kind,
// the problems); 200 when it was applied or the dry run found nothing
// wrong, 422 with every problem (and "error") when nothing was written,
// 403 when a unit named is outside the caller's scope.
func (a *API) registerReorgs(auth func(string, handlerFunc)) {
	auth("POST /api/v1/reorgs", a.applyReorg)
	auth("GET /api/v1/reorgs", a.listReorgs)
	auth("GET /api/v1/reorgs/template", a.reorgTemplate)
}

// reorgAnswer is a plan's result, with the contract's error when it was refused.
type reorgAnswer struct {
	*service.ReorgResult
	Error *httpx.ErrorDetail `json:"error,omitempty"`
}

func (a *API) applyReorg(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.MayReorg(r.Context()); err != nil {
		return err
	}
	data, probs, err := importer.ReadAll(r.Body)
	if err != nil {
		return domain.Errorf(domain.EBadRequest, "Không đọc được nội dung gửi lên")
	}
	if probs != nil {
		return domain.Errorf(domain.ETooLarge, "%s", probs[0].Message)
	}
	name := "plan.json"
	if bytes.HasPrefix(data, []byte("PK")) {
		name = "plan.xlsx"
	}
	res, err := importer.ApplyReorgFile(r.Context(), a.svc, name, data, service.ReorgOptions{DryRun: flag(r, "dry_run")})
	if err != nil {
		return err
	}
	ans := reorgAnswer{ReorgResult: res}
	status := res.Status()
	switch status {
	case http.StatusForbidden:
		ans.Error = &httpx.ErrorDetail{Code: domain.EForbidden, Message: refusal(res)}
	case http.StatusConflict:
		ans.Error = &httpx.ErrorDetail{Code: domain.EConflict, Message: refusal(res)}
	case http.StatusUnprocessableEntity:
		ans.Error = &httpx.ErrorDetail{Code: domain.EInvalid, Message: refusal(res)}
	}
	httpx.WriteJSON(w, status, ans)
	return nil
}

// refusal is the message of a refused plan: its first problem, and how
// many there are.
func refusal(res *service.ReorgResult) string {
	first := res.Problems[0]
	if res.Forbidden() {
		for _, p := range res.Problems {
			if p.Forbidden {
				first = p
				break
			}
		}
	}
	msg := "Phương án không được áp dụng, không ghi gì: " + first.Text()
	if n := len(res.Problems); n > 1 {
		msg += " (và " + strconv.Itoa(n-1) + " lỗi khác, xem problems)"
	}
	return msg
}

// reorgJSON is an applied plan as the list gives it.
type reorgJSON struct {
	ID         int64               `json:"id"`
	Decision   string              `json:"decision"`
	Date       date                `json:"date"`
	AppliedAt  time.Time           `json:"applied_at"`
	AppliedBy  string              `json:"applied_by"`
	SHA256     string              `json:"sha256"`
	Operations service.ReorgOps    `json:"operations"`
	Totals     service.ReorgTotals `json:"totals"`
}

func (a *API) listReorgs(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryInt(r, "limit", 20)
	if err != nil {
		return err
	}
	plans, err := a.svc.ReorgPlans(r.Context(), limit)
	if err != nil {
		return err
	}
	out := make([]reorgJSON, 0, len(plans))
	for _, p := range plans {
		out = append(out, reorgJSON{ID: p.ID, Decision: p.Decision, Date: date{p.Date}, AppliedAt: p.AppliedAt.UTC(), AppliedBy: p.AppliedByName,
			SHA256: p.SHA256, Operations: p.Operations, Totals: p.Totals})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"plans": out})
	return nil
}

func (a *API) reorgTemplate(w http.ResponseWriter, r *http.Request) error {
	var b bytes.Buffer
	if err := importer.ReorgTemplate(r.Context(), a.svc, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="mau-sap-xep-to-chuc.xlsx"`)
	_, err := io.Copy(w, &b)
	return err
}
