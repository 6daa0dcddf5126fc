package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Enrolment: the people the class may take, by unit, with check boxes;
// or a chapter's whole list at once.

type classEnrolView struct {
	V      *service.ClassView
	Page   *service.EligiblePage
	Org    string // the unit filtered on
	Q      string
	First  int
	Errors errs
}

func (h *Handler) renderEnrol(w http.ResponseWriter, r *http.Request, status int, id int64, org, q string, page int, e errs) error {
	ctx := r.Context()
	v, err := h.svc.Class(ctx, id)
	if err != nil {
		return err
	}
	if !v.CanWrite {
		return domain.Errorf(domain.EForbidden, "Bạn không được ghi danh học viên vào lớp %s", v.Code)
	}
	res, err := h.svc.Eligible(ctx, id, service.EligibleQuery{OrgCode: org, Query: q, Page: page, PerPage: 100})
	if err != nil {
		if !isUserError(err) && domain.ErrorCode(err) != domain.ENotFound && domain.ErrorCode(err) != domain.EForbidden {
			return err
		}
		e.add(err, "org")
		org = ""
		if res, err = h.svc.Eligible(ctx, id, service.EligibleQuery{Query: q, PerPage: 100}); err != nil {
			return err
		}
		status = statusOf(domain.Errorf(domain.EInvalid, ""))
	}
	cv := classEnrolView{V: v, Page: res, Org: org, Q: q, First: (res.Page-1)*res.PerPage + 1, Errors: e}
	return h.render(w, r, status, "class_enrol", "Ghi danh học viên: "+v.Code, "classes", cv)
}

// classEnrolForm lists the people the class may enrol (GET /lop-hoc/{id}/ghi-danh?org=&q=&page=).
func (h *Handler) classEnrolForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	return h.renderEnrol(w, r, http.StatusOK, id, strings.TrimSpace(q.Get("org")), vn.Clean(q.Get("q")), page, errs{})
}

// classEnrol enrols the checked people, or a chapter's whole list
// (POST /lop-hoc/{id}/ghi-danh with person=ID… or chapter=CODE).
func (h *Handler) classEnrol(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	var ids []int64
	for _, s := range r.PostForm["person"] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return domain.Errorf(domain.EBadRequest, "Mã người %q không hợp lệ", s)
		}
		ids = append(ids, n)
	}
	chapter := strings.TrimSpace(r.PostForm.Get("chapter"))
	if r.PostForm.Get("all") == "" {
		chapter = ""
	}
	_, err = h.svc.Enrol(r.Context(), id, ids, chapter)
	if err == nil {
		http.Redirect(w, r, classURL(id, "ghi-danh"), http.StatusSeeOther)
		return nil
	}
	if !isUserError(err) {
		return err
	}
	e := errs{}
	e.add(err)
	org := strings.TrimSpace(r.PostForm.Get("org"))
	return h.renderEnrol(w, r, statusOf(err), id, org, vn.Clean(r.PostForm.Get("q")), 1, e)
}
