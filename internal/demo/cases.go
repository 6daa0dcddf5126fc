package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// The admission procedure in the demo (issue "admission procedure", item
// 5): the admissions of 2023 and 2024 are not written as memberships but
// driven through the same service calls as a chapter secretary and the
// organization board would make them, each on its own day (the service's
// clock is the demo's): the source list, the certificate (the class's,
// when a 2023 class issued one), the dossier, verification, introducers,
// the chapter's and the commune committee's resolutions, the district's
// decision, the ceremony, and after twelve months the recognition. So the
// history obeys the rules it shows, the progress report counts the
// decisions the cases wrote, and 4 May 2024 shows the pipeline: dossiers
// at every step, decisions overdue, ceremonies due, verification replies
// awaited, certificates about to lapse, and every source on the list.

const caseSeed1, caseSeed2 = 20240504, 4531

// driven reports whether a person's admission is recorded through a case.
func driven(x *personPlan) bool { return x.m != nil && !x.m.date.Before(domain.Day(2023, 1, 1)) }

// driver drives cases with the demo's clock.
type driver struct {
	p       *plan
	svc     service.Service
	tx      *store.Store // the demo's transaction, which svc is bound to
	ctx     context.Context
	r       *rand.Rand
	now     time.Time
	serial  int
	members map[int][]int64 // org index → official members admitted before 2023
	// official is the day each of those members became an official member
	// (recognition; the decision when none is recorded).
	official map[int64]time.Time
}

// at moves the clock to 10:00 in Vietnam on d.
func (d *driver) at(t time.Time) {
	d.now = time.Date(t.Year(), t.Month(), t.Day(), 3, 0, 0, 0, time.UTC)
}

// writeCases drives the cases inside the demo's transaction; svc is the
// demo's service bound to it, replaying (its steps remember the ladders
// and skip the case details the driver does not read).
func (p *plan) writeCases(ctx context.Context, tx *store.Store, svc *service.Service) (*driver, error) {
	d := &driver{p: p, svc: *svc.Replaying(), tx: tx, ctx: ctx, r: rand.New(rand.NewPCG(caseSeed1, caseSeed2)), members: map[int][]int64{},
		official: map[int64]time.Time{}}
	d.svc.Now = func() time.Time { return d.now }
	for i := range p.people {
		x := &p.people[i]
		if x.stage == domain.StageOfficial && x.m != nil && !driven(x) {
			d.members[x.org] = append(d.members[x.org], x.id)
			d.official[x.id] = x.m.date
			if x.m.recognition != nil {
				d.official[x.id] = *x.m.recognition
			}
		}
	}
	var admitted []int
	for i := range p.people {
		if driven(&p.people[i]) {
			admitted = append(admitted, i)
		}
	}
	slices.SortStableFunc(admitted, func(a, b int) int { return p.people[a].m.date.Compare(p.people[b].m.date) })
	for _, i := range admitted {
		if err := d.admit(&p.people[i]); err != nil {
			return nil, fmt.Errorf("demo: admission of %s (%s): %w", p.people[i].name, p.people[i].m.date.Format(domain.DateLayout), err)
		}
	}
	k := 0
	for i := range p.people {
		x := &p.people[i]
		var err error
		switch x.stage {
		case domain.StageCandidate:
			err = d.candidate(i, k)
			k++
		case domain.StageSource:
			err = d.source(i)
		}
		if err != nil {
			return nil, fmt.Errorf("demo: case of %s: %w", x.name, err)
		}
	}
	// As of the demo's date: the certificates the 2024 classes issued,
	// the deadlines that passed.
	d.at(AsOf)
	var ids []int64
	for i := range p.people {
		if x := &p.people[i]; driven(x) || x.stage == domain.StageSource || x.stage == domain.StageCandidate {
			ids = append(ids, x.id)
		}
	}
	return d, d.svc.RefreshCases(ctx, ids...)
}

// introducers are three official members of the chapter (or, where it
// has too few, of its committee) who know the candidate, drawn at random,
// and the list they were drawn from.
func (d *driver) introducers(org int) (drawn, list []int64) {
	for o := org; o >= 0; o = d.p.orgs[o].parent {
		list = nil
		for _, c := range d.p.children(o) {
			list = append(list, d.members[c]...)
		}
		list = append(d.members[o], list...)
		if len(list) >= 3 {
			start := d.r.IntN(len(list) - 2)
			return list[start : start+3], list
		}
	}
	return nil, nil
}

// sponsors are the helper and the two introducers of a case of the chapter
// org (introducers): the helper an official member on the day the case
// opens, the introducers on the day of their letters (Điều lệ Đ.4). One
// who was not yet is replaced, without a new draw, by the first member of
// the list who was and is not already chosen.
func (d *driver) sponsors(org int, opened, letter time.Time) []int64 {
	drawn, list := d.introducers(org)
	out := slices.Clone(drawn)
	for k := range out {
		on := letter
		if k == 0 {
			on = opened
		}
		if !d.official[out[k]].After(on) {
			continue
		}
		for _, id := range list {
			if !d.official[id].After(on) && !slices.Contains(out, id) {
				out[k] = id
				break
			}
		}
	}
	return out
}

// open opens a case with its helper. A chapter with none of its own
// official members on record (a unit merged since into another) is helped
// and introduced by members its committee assigns from another chapter
// (QĐ24 §3.4.1): the board records that exception to the same-chapter rule
// before the helper is assigned.
func (d *driver) open(in service.OpenCaseInput, org int, sponsors []int64) (*service.CaseView, error) {
	svc, ctx := &d.svc, d.ctx
	outside := slices.ContainsFunc(sponsors, func(id int64) bool { return !slices.Contains(d.members[org], id) })
	if in.HelperID == 0 || !outside {
		return svc.OpenCase(ctx, in)
	}
	helper := in.HelperID
	in.HelperID = 0
	c, err := svc.OpenCase(ctx, in)
	if err != nil {
		return nil, err
	}
	if c, err = svc.RecordException(ctx, c.ID, service.ExceptionInput{Rule: rules.RuleSameChapter, Version: c.Version,
		Reason: d.p.orgs[org].name + " chưa có đảng viên chính thức để phân công giúp đỡ, giới thiệu; cấp ủy cấp trên giao chi bộ khác cử đảng viên (QĐ24 §3.4.1)"}); err != nil {
		return nil, err
	}
	return svc.AssignHelper(ctx, c.ID, service.HelperInput{PersonID: helper, Version: c.Version})
}

// committee reports whether the chapter's resolutions go to a grassroots
// committee's vote (the authority the demo records).
func (d *driver) committee(org int) bool {
	for o := d.p.orgs[org].parent; o > 0; o = d.p.orgs[o].parent {
		if d.p.orgs[o].grassroots {
			return true
		}
	}
	return false
}

// ballot draws a vote of members that reaches its threshold (≥ 2/3, or
// > 1/2 for a decision).
func (d *driver) ballot(level string, members int, date time.Time, number string, version int64) service.VoteInput {
	excluded := 0
	if members > 6 && d.r.IntN(3) == 0 {
		excluded = 1
	}
	present := members - excluded
	if present > 4 && d.r.IntN(2) == 0 {
		present--
	}
	no := d.r.IntN(1 + present/6)
	counted := members - excluded
	if (present-no)*3 < counted*2 {
		present, no = counted, 0
	}
	return service.VoteInput{Level: level, Date: date, Number: number, Members: members, Excluded: excluded, Present: present,
		Yes: present - no, No: no, Version: version}
}

func (d *driver) size(org int) int { return max(3, min(d.p.orgs[org].size, 60)) }

// dossier opens the case of x on opened and records the dossier opened
// on dd: certificate (unless a class issued one), application, personal
// history, verification (replied unless pending), introducers, opinions
// (unless missing), and the Youth Union's resolution for a young member.
func (d *driver) dossier(x *personPlan, org int, opened, dd time.Time, pending, missing bool, vote time.Time) (*service.CaseView, error) {
	svc, ctx := &d.svc, d.ctx
	intro := d.sponsors(org, opened, dd.AddDate(0, 0, 3))
	if len(intro) < 3 {
		return nil, fmt.Errorf("no official members to introduce")
	}
	youth := x.youthUnion && rules.AgeMonths(x.birth, vote) < 31*12
	n := 2
	if youth {
		n = 1
	}
	d.at(opened)
	c, err := d.open(service.OpenCaseInput{PersonID: x.id, OpenedOn: opened, HelperID: intro[0],
		YouthUnionExists: &youth, HardshipArea: x.education == rules.EduPrimary}, org, intro[:1+n])
	if err != nil {
		return nil, err
	}
	if k, err := d.tx.ValidCertificateOn(ctx, x.id, domain.ProgAwareness, vote); err != nil {
		return nil, err
	} else if k == nil {
		cd := weekday(opened.AddDate(0, 0, int(dd.Sub(opened).Hours()/48)))
		d.at(cd)
		d.serial++
		if c, err = svc.RecordCertificate(ctx, c.ID, service.CertificateInput{Number: fmt.Sprintf("%d/GCN-TTCT", 100+d.serial), Date: cd, Version: c.Version}); err != nil {
			return nil, err
		}
	}
	for _, step := range d.dossierSteps(x, intro, dd, youth, pending, missing) {
		if c, err = step(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// dossierStep is a step of the dossier on the case as it stands.
type dossierStep func(c *service.CaseView) (*service.CaseView, error)

// dossierSteps are the steps of the dossier opened on dd, each on its
// day: application, personal history, verification (replied unless
// pending), introducers, the Youth Union's resolution for a young member,
// opinions (unless missing).
func (d *driver) dossierSteps(x *personPlan, intro []int64, dd time.Time, youth, pending, missing bool) []dossierStep {
	svc, ctx := &d.svc, d.ctx
	steps := []dossierStep{
		func(c *service.CaseView) (*service.CaseView, error) {
			d.at(dd)
			return svc.OpenDossier(ctx, c.ID, service.DateInput{Date: dd, Version: c.Version})
		},
		func(c *service.CaseView) (*service.CaseView, error) {
			return svc.RecordDocument(ctx, c.ID, service.DocumentInput{Kind: rules.FormApplication, Date: dd, Version: c.Version})
		},
		func(c *service.CaseView) (*service.CaseView, error) {
			return svc.RecordDocument(ctx, c.ID, service.DocumentInput{Kind: rules.FormPersonalHistory, Date: dd, Version: c.Version})
		},
		func(c *service.CaseView) (*service.CaseView, error) {
			d.at(dd.AddDate(0, 0, 1))
			return svc.RequestVerification(ctx, c.ID, service.VerificationInput{Subject: "candidate", Addressee: d.verifier(x),
				SentOn: dd.AddDate(0, 0, 1), Version: c.Version})
		},
	}
	n := 2
	if youth {
		n = 1
	}
	for _, m := range intro[1 : 1+n] {
		steps = append(steps, func(c *service.CaseView) (*service.CaseView, error) {
			letter := dd.AddDate(0, 0, 3)
			d.at(letter)
			return svc.AddIntroducer(ctx, c.ID, service.IntroducerInput{PersonID: m, MonthsTogether: 12 + d.r.IntN(60), LetterDate: &letter, Version: c.Version})
		})
	}
	if !pending {
		steps = append(steps, func(c *service.CaseView) (*service.CaseView, error) {
			on := dd.AddDate(0, 0, 15+d.r.IntN(10))
			d.at(on)
			return svc.RecordVerificationReply(ctx, c.ID, c.Verifications[0].ID, service.ReplyInput{Date: on,
				Result: "Lý lịch khai đúng; bản thân và gia đình chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước", Version: c.Version})
		})
	}
	if youth {
		steps = append(steps, func(c *service.CaseView) (*service.CaseView, error) {
			on := dd.AddDate(0, 0, 26)
			d.at(on)
			return svc.RecordDocument(ctx, c.ID, service.DocumentInput{Kind: rules.FormYouthUnionResolution, Number: fmt.Sprintf("%02d-NQ/ĐTN", 1+d.r.IntN(40)),
				Date: on, Version: c.Version})
		})
	}
	if !missing {
		steps = append(steps, func(c *service.CaseView) (*service.CaseView, error) {
			on := dd.AddDate(0, 0, 28)
			d.at(on)
			return svc.RecordDocument(ctx, c.ID, service.DocumentInput{Kind: rules.FormOpinions, Date: on, Version: c.Version})
		})
	}
	return steps
}

// verifier is the committee asked to verify: the commune where the person lives.
func (d *driver) verifier(x *personPlan) string {
	if x.residence >= 0 {
		if c := d.p.units[x.residence].commune; c >= 0 {
			return "Đảng ủy " + lowerFirst(d.p.orgs[c].name)
		}
	}
	return "Đảng ủy thị trấn Phước An"
}

// chapterVote records the chapter's resolution, and the commune
// committee's a few days later when the chapter sits under one (not
// after until).
func (d *driver) chapterVote(c *service.CaseView, org int, v, until time.Time, withCommittee bool) (*service.CaseView, error) {
	d.at(v)
	c, err := d.svc.Vote(d.ctx, c.ID, domain.PurposeAdmission, d.ballot(domain.LevelChapter, d.size(org), v, fmt.Sprintf("%02d-NQ/CB", 1+d.r.IntN(30)), c.Version))
	if err != nil || !withCommittee || !d.committee(org) {
		return c, err
	}
	w := earlier(weekday(v.AddDate(0, 0, 2+d.r.IntN(7))), until)
	d.at(w)
	return d.svc.Vote(d.ctx, c.ID, domain.PurposeAdmission, d.ballot(domain.LevelCommittee, 9+d.r.IntN(7), w, fmt.Sprintf("%02d-NQ/ĐU", 10+d.r.IntN(80)), c.Version))
}

// admit drives an admission of 2023 or 2024 to its decision on x.m.date,
// the ceremony, and the recognition when twelve months have passed.
func (d *driver) admit(x *personPlan) error {
	svc, ctx, m := &d.svc, d.ctx, x.m
	org := m.admitted
	t := m.date
	v := weekday(t.AddDate(0, 0, -(20 + d.r.IntN(35))))
	if k, err := d.tx.ValidCertificateOn(ctx, x.id, domain.ProgAwareness, t); err != nil {
		return err
	} else if k != nil {
		v = later(v, k.Issued)
	}
	v = later(v, calendar.AddMonths(x.birth, 18*12))
	v = earlier(v, t)
	dd := weekday(v.AddDate(0, 0, -(40 + d.r.IntN(60))))
	opened := weekday(dd.AddDate(0, 0, -(30 + d.r.IntN(300))))
	c, err := d.dossier(x, org, opened, dd, false, false, v)
	if err != nil {
		return err
	}
	if c, err = d.chapterVote(c, org, v, t, true); err != nil {
		return err
	}
	received := earlier(weekday(t.AddDate(0, 0, 1+d.r.IntN(2))), AsOf)
	if m.ceremony != nil {
		received = earlier(received, *m.ceremony)
	}
	d.at(received)
	dec := d.ballot(domain.LevelDecision, 13, t, m.no, c.Version)
	if c, err = svc.Decide(ctx, c.ID, domain.PurposeAdmission, service.DecisionInput{Number: m.no, Date: t, Received: &received, Members: 13,
		Excluded: dec.Excluded, Present: dec.Present, Yes: dec.Yes, No: dec.No, Version: c.Version}); err != nil {
		return err
	}
	if m.ceremony == nil {
		return nil
	}
	d.at(*m.ceremony)
	if c, err = svc.HoldCeremony(ctx, c.ID, service.CeremonyInput{Date: *m.ceremony, Version: c.Version}); err != nil {
		return err
	}
	if org != x.org { // the unit merged into its successor: the member moves with it
		to := *d.p.orgs[org].to
		d.at(to)
		if c, err = svc.TransferCase(ctx, c.ID, service.TransferInput{ToOrgCode: d.p.orgs[x.org].code, Date: to,
			Reason: "Sáp nhập " + d.p.orgs[org].name + " vào " + d.p.orgs[x.org].name, Version: c.Version}); err != nil {
			return err
		}
	}
	if m.recognition == nil {
		return nil
	}
	return d.recognise(c, x, *m.ceremony, *m.recognition)
}

// recognise records the recognition dossier and the votes after the
// twelve months that ended on end.
func (d *driver) recognise(c *service.CaseView, x *personPlan, ceremony, end time.Time) error {
	svc, ctx := &d.svc, d.ctx
	rv := weekday(end.AddDate(0, 0, 1+d.r.IntN(5)))
	d.at(rv)
	d.serial++
	docs := []service.DocumentInput{
		{Kind: domain.DocNewMemberCertificate, Number: fmt.Sprintf("%d/GCN-ĐVM", 100+d.serial), Date: weekday(ceremony.AddDate(0, 0, 100+d.r.IntN(60)))},
		{Kind: rules.FormSelfReview, Date: end}, {Kind: rules.FormHelperAssessment, Date: end}, {Kind: rules.FormProbationOpinions, Date: end},
	}
	var err error
	for _, doc := range docs {
		doc.Version = c.Version
		if c, err = svc.RecordDocument(ctx, c.ID, doc); err != nil {
			return err
		}
	}
	org := x.org
	if c, err = svc.Vote(ctx, c.ID, domain.PurposeRecognition, d.ballot(domain.LevelChapter, d.size(org), rv, fmt.Sprintf("%02d-NQ/CB", 1+d.r.IntN(30)), c.Version)); err != nil {
		return err
	}
	last := rv
	if d.committee(org) {
		last = earlier(weekday(rv.AddDate(0, 0, 2+d.r.IntN(4))), AsOf)
		d.at(last)
		if c, err = svc.Vote(ctx, c.ID, domain.PurposeRecognition, d.ballot(domain.LevelCommittee, 9+d.r.IntN(7), last, fmt.Sprintf("%02d-NQ/ĐU", 10+d.r.IntN(80)), c.Version)); err != nil {
			return err
		}
	}
	rd := earlier(weekday(last.AddDate(0, 0, 5+d.r.IntN(8))), AsOf)
	d.at(rd)
	dec := d.ballot(domain.LevelDecision, 13, rd, "", c.Version)
	_, err = svc.Decide(ctx, c.ID, domain.PurposeRecognition, service.DecisionInput{Number: fmt.Sprintf("%d-QĐ/HU", 300+d.r.IntN(600)), Date: rd, Members: 13,
		Excluded: dec.Excluded, Present: dec.Present, Yes: dec.Yes, No: dec.No, Version: c.Version})
	return err
}

// candidate drives the k-th candidate of the pool to where their dossier
// stands on 4 May 2024.
func (d *driver) candidate(i, k int) error {
	x := &d.p.people[i]
	since, ok := d.p.poolSince[i]
	if !ok {
		return fmt.Errorf("no pool date")
	}
	type state struct {
		from, to         time.Time // the chapter vote (or, before it, the dossier) falls in this window
		vote, committee  bool
		pending, missing bool
	}
	var s state
	switch {
	case k < 6: // stalled since 2023: a verification reply never came
		s = state{from: domain.Day(2023, 5, 2), to: domain.Day(2023, 8, 31), pending: true}
	case k < 14: // resolved on at the turn of the year: the decision is overdue
		s = state{from: domain.Day(2023, 11, 20), to: domain.Day(2024, 1, 19), vote: true, committee: true}
	case k < 20: // resolved on this spring, some awaiting the commune committee
		s = state{from: domain.Day(2024, 3, 11), to: domain.Day(2024, 4, 26), vote: true, committee: k%2 == 0}
	case k < 22: // complete but never voted on: more than 12 months old
		s = state{from: domain.Day(2023, 3, 1), to: domain.Day(2023, 4, 28)}
	case k < 35: // complete, awaiting the chapter's meeting
		s = state{from: domain.Day(2023, 10, 2), to: domain.Day(2024, 3, 29)}
	case k < 45: // verification requested, the reply not yet due
		s = state{from: domain.Day(2024, 3, 25), to: domain.Day(2024, 4, 19), pending: true}
	default: // opinions still to be gathered
		s = state{from: domain.Day(2024, 2, 19), to: domain.Day(2024, 4, 5), missing: true}
	}
	at := d.p.dayInR(d.r, s.from, s.to)
	var v, dd time.Time
	if s.vote {
		v = later(at, calendar.AddMonths(x.birth, 18*12))
		dd = weekday(v.AddDate(0, 0, -(40 + d.r.IntN(60))))
	} else {
		dd, v = at, AsOf
	}
	opened := earlier(since, dd)
	c, err := d.dossier(x, x.org, opened, dd, s.pending, s.missing, v)
	if err != nil || !s.vote {
		return err
	}
	_, err = d.chapterVote(c, x.org, v, AsOf, s.committee)
	return err
}

// source opens the case of a source on the day the chapter listed them,
// with a helper for most.
func (d *driver) source(i int) error {
	x := &d.p.people[i]
	since, ok := d.p.poolSince[i]
	if !ok {
		return fmt.Errorf("no pool date")
	}
	// The demo records the Youth Union route on the case itself, as before
	// units recorded their Youth Union organisation: none for a source (the
	// dossier's step says it, dossier above), so its cases stay as they were.
	no := false
	in := service.OpenCaseInput{PersonID: x.id, OpenedOn: since, HardshipArea: x.education == rules.EduPrimary, YouthUnionExists: &no}
	var helper []int64
	if d.r.IntN(8) > 0 {
		if list := d.sponsors(x.org, since, since); len(list) > 0 {
			in.HelperID, helper = list[0], list[:1]
		}
	}
	d.at(since)
	_, err := d.open(in, x.org, helper)
	return err
}

// caseCount is the number of cases the demo drives.
func (p *plan) caseCount() int {
	n := 0
	for i := range p.people {
		if x := &p.people[i]; driven(x) || x.stage == domain.StageSource || x.stage == domain.StageCandidate {
			n++
		}
	}
	return n
}
