package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
)

// The case page says, next to each failing verdict, whether an exception
// can be recorded and on which source: not on age (Điều lệ Đ.1; QĐ24 §1.1,
// §4.4), yes on the introducers. The exception form offers the waivable
// rules and, marked, the failing ones it may not waive: choosing age is
// refused with the reason, the same-chapter rule is recorded. An exception
// stored on age before is shown without effect.
func TestCasePageWaivers(t *testing.T) {
	e := newEnv(t)
	e.tree()
	p := e.person("Hà Văn Mười Bảy", "kp-a", domain.StageSource, domain.Day(2006, 9, 1)) // 17 on 04/05/2024
	cs := e.openCase(p, "kp-a", domain.Day(2024, 3, 1))
	e.clock(today)
	e.user("tochuc", domain.RoleOrganizer, "kp")
	c := e.client()
	c.login("tochuc")
	link := caseLink(cs)

	pg := c.get(link)
	wantStatus(t, pg, http.StatusOK)
	wantIn(t, pg, `<span class="v-waiver v-absolute">Không được ghi ngoại lệ — căn cứ: Điều lệ Đ.1 k.2; QĐ24 §1.1, §4.4</span>`,
		`<span class="v-waiver">Có thể ghi ngoại lệ (cán bộ tổ chức, kèm lý do và văn bản cho phép) — căn cứ: QĐ24 §3.2.2; HD01</span>`,
		`<option value="age">Tuổi đời (không được ghi ngoại lệ)</option>`, `<option value="same_chapter">`)

	form := formValues(pg.body, link+"/ngoai-le")
	if form == nil {
		t.Fatal("no exception form")
	}
	form.Set("rule", "age")
	form.Set("reason", "Ban Thường vụ Huyện ủy cho phép (Công văn 3-CV/HU)")
	pg = c.post(link+"/ngoai-le", form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Không được ghi ngoại lệ cho quy định “Tuổi đời”", "(Điều lệ Đ.1 k.2; QĐ24 §1.1, §4.4)", `id="f-exception" open`)
	if v, _ := e.svc.Case(e.sys, cs.ID); len(v.Exceptions) != 0 {
		t.Fatalf("exceptions %+v", v.Exceptions)
	}
	form.Set("rule", "same_chapter")
	form.Set("reason", "Đảng ủy giao chi bộ Buôn Hai cử người giới thiệu (QĐ24 §3.4.1)")
	pg = c.post(link+"/ngoai-le", form)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("same-chapter exception: %d %s", pg.status, text(pg.body))
	}

	x := &domain.CaseException{CaseID: cs.ID, Rule: rules.RuleAge, Reason: "Ghi trước khi có quy định mới", Username: "cu",
		At: time.Date(2024, 3, 2, 3, 0, 0, 0, time.UTC)}
	if err := e.st.AddException(t.Context(), x); err != nil {
		t.Fatal(err)
	}
	pg = c.get(link)
	wantIn(t, pg, "Chưa đạt — Tuổi đời", `Ngoại lệ — Tuổi đời: Ghi trước khi có quy định mới <small>(cu)</small> <strong class="v-void">Không có hiệu lực`)
	if strings.Contains(pg.body, `<span class="v-exc">Ngoại lệ do cu ghi`) {
		t.Error("the stored age exception is shown letting the verdict pass")
	}
}

// A unit's form says whether it has a Youth Union organisation (a new
// unit may leave it to its sector), its page shows it, and the form that
// opens a case ticks the box from the candidate's unit.
func TestOrgFormYouthUnion(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("tochuc-kp", domain.RoleOrganizer, "kp")
	c := e.client()
	c.login("tochuc-kp")

	pg := c.get("/to-chuc/kp/them")
	wantIn(t, pg, `<select id="youth_union" name="youth_union"`, `<option value="" selected>Theo khối`)
	pg = c.post("/to-chuc/kp/them", url.Values{"code": {"kp-truong"}, "name": {"Chi bộ Trường THCS"}, "kind": {"grass_chapter"},
		"sector": {"school"}, "valid_from": {"2024-01-01"}, "youth_union": {""}})
	wantStatus(t, pg, http.StatusSeeOther)
	wantIn(t, c.get("/to-chuc/kp-truong"), `<dd id="youth-union">Có tổ chức Đoàn TNCS Hồ Chí Minh</dd>`)
	pg = c.post("/to-chuc/kp/them", url.Values{"code": {"kp-cty"}, "name": {"Chi bộ Công ty"}, "kind": {"grass_chapter"},
		"sector": {"enterprise"}, "valid_from": {"2024-01-01"}, "youth_union": {"1"}})
	wantStatus(t, pg, http.StatusSeeOther)
	if o, _ := e.svc.Org(e.sys, "kp-cty"); !o.YouthUnion {
		t.Error("an enterprise told yes")
	}
	pg = c.get("/to-chuc/kp-a/sua")
	wantIn(t, pg, `<option value="0" selected>Không</option>`)
	if strings.Contains(pg.body, `<option value=""`) {
		t.Error("the edit form offers the sector's default")
	}
	pg = c.post("/to-chuc/kp-a/sua", url.Values{"name": {"Chi bộ Ấp Một"}, "kind": {"grass_chapter"}, "sector": {"commune"},
		"valid_from": {"2000-01-01"}, "youth_union": {"1"}, "version": {"1"}})
	wantStatus(t, pg, http.StatusSeeOther)
	wantIn(t, c.get("/to-chuc/kp-a"), `<dd id="youth-union">Có tổ chức Đoàn TNCS Hồ Chí Minh</dd>`)

	inSchool := e.person("Y Đoàn Viên", "kp-truong", domain.StageSource, domain.Day(2003, 1, 1))
	inCty := e.person("Lê Công Nhân", "kp-b", domain.StageSource, domain.Day(2003, 1, 1))
	const box = `<input id="youth_union_exists" name="youth_union_exists" type="checkbox" value="1" checked>`
	wantIn(t, c.get("/nguoi/"+strconv.FormatInt(inSchool, 10)+"/mo-ho-so"), box)
	if pg := c.get("/nguoi/" + strconv.FormatInt(inCty, 10) + "/mo-ho-so"); strings.Contains(pg.body, box) {
		t.Error("the box is ticked for a unit without a Youth Union organisation")
	}
}
