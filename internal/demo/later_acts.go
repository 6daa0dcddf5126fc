package demo

import (
	"fmt"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// The acts of the continuation's stories: each one step of the procedure
// through the service, on its own day (the driver's clock), as a chapter
// secretary or the organization board would record it.

// story is the plan of one person's way through the procedure after the
// seed's date. Zero dates are steps that do not happen (or not by Latest).
type story struct {
	kind  int // kindNew, kindSeedAdmitted, kindSeedCandidate
	xi    int
	org   int // the chapter the case runs in (index before the reorganisation)
	fresh bool
	since time.Time
	youth bool

	cd               time.Time // a certificate recorded from paper (no class)
	dd               time.Time // dossier opened
	pending, missing bool      // the verification reply, the opinions never come
	ready            time.Time // a seed candidate's dossier is complete (the reply or the opinions come)
	v, w, t          time.Time // chapter vote, committee vote, decision
	wIfMissing       bool      // the committee votes only if it has not yet
	late             string    // the decision comes late: the reason the board records
	refused          time.Time // the board refuses the dossier at its re-check
	withdrawn        time.Time
	reason           string // of a withdrawal or a refusal

	received       time.Time // the chapter receives the decision
	ceremony       time.Time
	end            time.Time // probation ends
	rv, rc, rd     time.Time // recognition: chapter, committee, decision
	lateRecog      string    // the chapter's recognition vote comes late: the reason recorded
	decNo, recNo   string
	decider, recBy int
}

// Kinds of stories.
const (
	kindNew           = iota // a source of the seed's pool or a new one
	kindSeedAdmitted         // admitted by the seed: the ceremony still due, the recognition
	kindSeedCandidate        // a candidate of the seed
)

// cur returns the case of the script, looking up the seed's open case the
// first time.
func (l *sequel) cur(s *script, xi int) (*service.CaseView, error) {
	if s.c != nil {
		return s.c, nil
	}
	c, err := l.caseOf(&l.p.people[xi])
	s.c = c
	return c, err
}

// step runs one service call on the script's case on the day.
func (l *sequel) step(s *script, xi int, on time.Time, call func(c *service.CaseView) (*service.CaseView, error)) func() error {
	return func() error {
		c, err := l.cur(s, xi)
		if err != nil {
			return err
		}
		l.d.at(on)
		if c, err = call(c); err != nil {
			return err
		}
		s.c = c
		return nil
	}
}

// storyScript turns a story into its acts (those after Latest never run).
func (l *sequel) storyScript(st *story) *script {
	d := l.d
	s := &script{who: l.p.people[st.xi].name}
	if st.fresh {
		l.openAct(s, st.xi, st.org, st.since, st.youth)
	}
	if !st.withdrawn.IsZero() && (st.dd.IsZero() || st.withdrawn.Before(st.dd)) {
		l.withdrawAct(s, st.xi, st.withdrawn, st.reason)
		return s
	}
	if !st.dd.IsZero() {
		helperOn := l.workdayBefore(st.dd.AddDate(0, 0, -3))
		if !st.cd.IsZero() && st.cd.Before(helperOn) {
			helperOn = st.cd
		}
		helperOn = later(helperOn, st.since)
		s.add(helperOn, l.step(s, st.xi, helperOn, func(c *service.CaseView) (*service.CaseView, error) {
			return l.ensureHelper(c, l.orgAt(st.org, helperOn), helperOn)
		}))
	}
	if !st.cd.IsZero() {
		s.add(st.cd, l.step(s, st.xi, st.cd, func(c *service.CaseView) (*service.CaseView, error) {
			d.serial++
			return d.svc.RecordCertificate(d.ctx, c.ID, service.CertificateInput{Number: fmt.Sprintf("%d/GCN-TTCT", 100+d.serial), Date: st.cd, Version: c.Version})
		}))
	}
	if !st.dd.IsZero() {
		l.dossierActs(s, st)
	}
	if !st.withdrawn.IsZero() && !st.dd.IsZero() && st.withdrawn.After(st.dd) {
		l.withdrawAct(s, st.xi, st.withdrawn, st.reason)
		return s
	}
	if st.v.IsZero() {
		return s
	}
	s.add(st.v, l.step(s, st.xi, st.v, func(c *service.CaseView) (*service.CaseView, error) {
		org := l.orgAt(st.org, st.v)
		return d.svc.Vote(d.ctx, c.ID, domain.PurposeAdmission, d.ballot(domain.LevelChapter, d.size(org), st.v, fmt.Sprintf("%02d-NQ/CB", 1+d.r.IntN(30)), c.Version))
	}))
	if !st.w.IsZero() {
		s.add(st.w, l.step(s, st.xi, st.w, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.Vote(d.ctx, c.ID, domain.PurposeAdmission, d.ballot(domain.LevelCommittee, 9+d.r.IntN(7), st.w, fmt.Sprintf("%02d-NQ/ĐU", 10+d.r.IntN(80)), c.Version))
		}))
	}
	if !st.refused.IsZero() {
		s.add(st.refused, l.step(s, st.xi, st.refused, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.RefuseCase(d.ctx, c.ID, service.CloseInput{Date: st.refused, Reason: st.reason, Version: c.Version})
		}))
		return s
	}
	if st.t.IsZero() {
		return s
	}
	l.decisionActs(s, st)
	return s
}

// ensureHelper assigns a helper to a case that has none (an official
// member of the chapter; from another chapter, with the exception
// recorded, where it has none).
func (l *sequel) ensureHelper(c *service.CaseView, org int, on time.Time) (*service.CaseView, error) {
	d := l.d
	if c.HelperID != 0 {
		return c, nil
	}
	list := d.sponsors(org, on, on)
	if len(list) == 0 {
		return c, nil
	}
	if !slices.Contains(d.members[org], list[0]) {
		var err error
		if c, err = d.svc.RecordException(d.ctx, c.ID, service.ExceptionInput{Rule: rules.RuleSameChapter, Version: c.Version,
			Reason: l.p.orgs[org].name + " chưa có đảng viên chính thức để phân công giúp đỡ, giới thiệu; cấp ủy cấp trên giao chi bộ khác cử đảng viên (QĐ24 §3.4.1)"}); err != nil {
			return nil, err
		}
	}
	return d.svc.AssignHelper(d.ctx, c.ID, service.HelperInput{PersonID: list[0], Version: c.Version})
}

// dossierActs are the dossier's steps, each on its day (the seed's
// dossierSteps, dated one by one so that none runs after Latest): the
// application and personal history, the verification request, the
// introducers, the reply (unless pending), the Youth Union's resolution
// for the Youth Union's route, the opinions (unless missing).
func (l *sequel) dossierActs(s *script, st *story) {
	d := l.d
	dd := st.dd
	n := 2
	if st.youth {
		n = 1
	}
	var intro []int64
	s.add(dd, l.step(s, st.xi, dd, func(c *service.CaseView) (*service.CaseView, error) {
		org := l.orgAt(st.org, dd)
		intro = d.sponsors(org, st.since, dd.AddDate(0, 0, 3))
		if len(intro) < 1+n {
			return nil, fmt.Errorf("no official members to introduce")
		}
		c, err := d.svc.OpenDossier(d.ctx, c.ID, service.DateInput{Date: dd, Version: c.Version})
		if err != nil {
			return nil, err
		}
		if c, err = d.svc.RecordDocument(d.ctx, c.ID, service.DocumentInput{Kind: rules.FormApplication, Date: dd, Version: c.Version}); err != nil {
			return nil, err
		}
		return d.svc.RecordDocument(d.ctx, c.ID, service.DocumentInput{Kind: rules.FormPersonalHistory, Date: dd, Version: c.Version})
	}))
	sent := dd.AddDate(0, 0, 1)
	s.add(sent, l.step(s, st.xi, sent, func(c *service.CaseView) (*service.CaseView, error) {
		return d.svc.RequestVerification(d.ctx, c.ID, service.VerificationInput{Subject: "candidate", Addressee: d.verifier(&l.p.people[st.xi]),
			SentOn: sent, Version: c.Version})
	}))
	letter := dd.AddDate(0, 0, 3)
	s.add(letter, l.step(s, st.xi, letter, func(c *service.CaseView) (*service.CaseView, error) {
		var err error
		for _, m := range intro[1 : 1+n] {
			if c, err = d.svc.AddIntroducer(d.ctx, c.ID, service.IntroducerInput{PersonID: m, MonthsTogether: 12 + d.r.IntN(60), LetterDate: &letter, Version: c.Version}); err != nil {
				return nil, err
			}
		}
		return c, nil
	}))
	if !st.pending {
		on := dd.AddDate(0, 0, 15+l.r.IntN(10))
		s.add(on, l.step(s, st.xi, on, func(c *service.CaseView) (*service.CaseView, error) {
			return l.reply(c, on)
		}))
	}
	if st.youth {
		on := dd.AddDate(0, 0, 26)
		s.add(on, l.step(s, st.xi, on, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.RecordDocument(d.ctx, c.ID, service.DocumentInput{Kind: rules.FormYouthUnionResolution, Number: fmt.Sprintf("%02d-NQ/ĐTN", 1+d.r.IntN(40)),
				Date: on, Version: c.Version})
		}))
	}
	if !st.missing {
		on := dd.AddDate(0, 0, 28)
		s.add(on, l.step(s, st.xi, on, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.RecordDocument(d.ctx, c.ID, service.DocumentInput{Kind: rules.FormOpinions, Date: on, Version: c.Version})
		}))
	}
}

// decisionActs are the decision (with the reason of a late one), the
// ceremony and the recognition.
func (l *sequel) decisionActs(s *script, st *story) {
	d := l.d
	t, received := st.t, st.received
	if st.late != "" {
		s.add(t, l.step(s, st.xi, t, func(c *service.CaseView) (*service.CaseView, error) {
			return l.lateDecision(c, t, st.late)
		}))
	}
	// recorded when the chapter receives it (the decision is dated t)
	on := received
	if received.After(Latest) {
		on = t
	}
	s.add(on, l.step(s, st.xi, on, func(c *service.CaseView) (*service.CaseView, error) {
		var rec *time.Time
		if !received.After(Latest) {
			rec = &received
		}
		members := l.deciderMembers(st.decider)
		dec := d.ballot(domain.LevelDecision, members, t, st.decNo, c.Version)
		return d.svc.Decide(d.ctx, c.ID, domain.PurposeAdmission, service.DecisionInput{Number: st.decNo, Date: t, Received: rec, Members: members,
			Excluded: dec.Excluded, Present: dec.Present, Yes: dec.Yes, No: dec.No, Version: c.Version})
	}))
	if st.ceremony.IsZero() {
		return
	}
	s.add(st.ceremony, l.step(s, st.xi, st.ceremony, func(c *service.CaseView) (*service.CaseView, error) {
		return d.svc.HoldCeremony(d.ctx, c.ID, service.CeremonyInput{Date: st.ceremony, Version: c.Version})
	}))
	l.recognitionActs(s, st)
}

// recognitionActs record the recognition dossier, the chapter's (and
// committee's) votes and the decision after the twelve months.
func (l *sequel) recognitionActs(s *script, st *story) {
	d := l.d
	if st.rv.IsZero() {
		return
	}
	rv := st.rv
	s.add(rv, l.step(s, st.xi, rv, func(c *service.CaseView) (*service.CaseView, error) {
		x := &l.p.people[st.xi]
		number := ""
		on := l.workday(st.ceremony.AddDate(0, 0, 100+d.r.IntN(60)))
		if k, err := d.tx.ValidCertificateOn(d.ctx, x.id, domain.ProgNewMember, rv); err != nil {
			return nil, err
		} else if k != nil {
			number, on = k.Number, k.Issued
		} else {
			d.serial++
			number = fmt.Sprintf("%d/GCN-ĐVM", 100+d.serial)
		}
		var err error
		if st.lateRecog != "" {
			if c, err = d.svc.RecordException(d.ctx, c.ID, service.ExceptionInput{Rule: rules.RuleRecognitionVote, Reason: st.lateRecog, Version: c.Version}); err != nil {
				return nil, err
			}
		}
		for _, doc := range []service.DocumentInput{{Kind: domain.DocNewMemberCertificate, Number: number, Date: on},
			{Kind: rules.FormSelfReview, Date: st.end}, {Kind: rules.FormHelperAssessment, Date: st.end}, {Kind: rules.FormProbationOpinions, Date: st.end}} {
			doc.Version = c.Version
			if c, err = d.svc.RecordDocument(d.ctx, c.ID, doc); err != nil {
				return nil, err
			}
		}
		org := l.orgAt(x.org, rv)
		return d.svc.Vote(d.ctx, c.ID, domain.PurposeRecognition, d.ballot(domain.LevelChapter, d.size(org), rv, fmt.Sprintf("%02d-NQ/CB", 1+d.r.IntN(30)), c.Version))
	}))
	if !st.rc.IsZero() {
		s.add(st.rc, l.step(s, st.xi, st.rc, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.Vote(d.ctx, c.ID, domain.PurposeRecognition, d.ballot(domain.LevelCommittee, 9+d.r.IntN(7), st.rc, fmt.Sprintf("%02d-NQ/ĐU", 10+d.r.IntN(80)), c.Version))
		}))
	}
	if st.rd.IsZero() {
		return
	}
	s.add(st.rd, l.step(s, st.xi, st.rd, func(c *service.CaseView) (*service.CaseView, error) {
		members := l.deciderMembers(st.recBy)
		dec := d.ballot(domain.LevelDecision, members, st.rd, "", c.Version)
		return d.svc.Decide(d.ctx, c.ID, domain.PurposeRecognition, service.DecisionInput{Number: st.recNo, Date: st.rd, Members: members,
			Excluded: dec.Excluded, Present: dec.Present, Yes: dec.Yes, No: dec.No, Version: c.Version})
	}))
}

// withdrawAct takes the case off the list on the day.
func (l *sequel) withdrawAct(s *script, xi int, on time.Time, reason string) {
	d := l.d
	s.add(on, l.step(s, xi, on, func(c *service.CaseView) (*service.CaseView, error) {
		return d.svc.WithdrawCase(d.ctx, c.ID, service.CloseInput{Date: on, Reason: reason, Version: c.Version})
	}))
}

// lateDecision records the reason of a decision signed after the deadline
// the chapter's resolution started (60 working days under the 2021 rules,
// 45 under the 2025 ones), when it is late.
func (l *sequel) lateDecision(c *service.CaseView, t time.Time, reason string) (*service.CaseView, error) {
	d := l.d
	parts, err := d.tx.CaseParts(d.ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range parts.Votes {
		if v.Purpose != domain.PurposeAdmission || v.Level != domain.LevelChapter || !v.Passed {
			continue
		}
		days := 60
		if !v.Date.Before(ReorgDay) {
			days = 45
		}
		if t.After(l.addWorkdays(v.Date, days)) {
			return d.svc.RecordException(d.ctx, c.ID, service.ExceptionInput{Rule: rules.RuleDecisionDeadline, Reason: reason, Version: c.Version})
		}
	}
	return c, nil
}

// seedAdmittedScript holds the ceremony still due and the recognition of a
// member the seed admitted.
func (l *sequel) seedAdmittedScript(st *story) *script {
	d := l.d
	s := &script{who: l.p.people[st.xi].name}
	if l.ownCeremony(st) {
		s.add(st.ceremony, l.step(s, st.xi, st.ceremony, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.HoldCeremony(d.ctx, c.ID, service.CeremonyInput{Date: st.ceremony, Version: c.Version})
		}))
	}
	l.recognitionActs(s, st)
	return s
}

// seedCandidateScript takes a candidate of the seed on from where their
// dossier stood on 4 May 2024.
func (l *sequel) seedCandidateScript(st *story) *script {
	d := l.d
	s := &script{who: l.p.people[st.xi].name}
	if !st.withdrawn.IsZero() {
		l.withdrawAct(s, st.xi, st.withdrawn, st.reason)
		return s
	}
	if on := st.ready; !on.IsZero() && st.pending {
		s.add(on, l.step(s, st.xi, on, func(c *service.CaseView) (*service.CaseView, error) {
			return l.reply(c, on)
		}))
	}
	if on := st.ready; !on.IsZero() && st.missing {
		s.add(on, l.step(s, st.xi, on, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.RecordDocument(d.ctx, c.ID, service.DocumentInput{Kind: rules.FormOpinions, Date: on, Version: c.Version})
		}))
	}
	if !st.v.IsZero() {
		s.add(st.v, l.step(s, st.xi, st.v, func(c *service.CaseView) (*service.CaseView, error) {
			return d.svc.Vote(d.ctx, c.ID, domain.PurposeAdmission, d.ballot(domain.LevelChapter, d.size(st.org), st.v, fmt.Sprintf("%02d-NQ/CB", 1+d.r.IntN(30)), c.Version))
		}))
	}
	if !st.w.IsZero() {
		s.add(st.w, l.step(s, st.xi, st.w, func(c *service.CaseView) (*service.CaseView, error) {
			if st.wIfMissing {
				if !d.committee(st.org) {
					return c, nil
				}
				parts, err := d.tx.CaseParts(d.ctx, c.ID)
				if err != nil {
					return nil, err
				}
				for _, v := range parts.Votes {
					if v.Purpose == domain.PurposeAdmission && v.Level == domain.LevelCommittee && v.Passed {
						return c, nil
					}
				}
			}
			return d.svc.Vote(d.ctx, c.ID, domain.PurposeAdmission, d.ballot(domain.LevelCommittee, 9+d.r.IntN(7), st.w, fmt.Sprintf("%02d-NQ/ĐU", 10+d.r.IntN(80)), c.Version))
		}))
	}
	if !st.t.IsZero() {
		l.decisionActs(s, st)
	}
	return s
}

// reply records the reply to the case's verification request awaiting one.
func (l *sequel) reply(c *service.CaseView, on time.Time) (*service.CaseView, error) {
	d := l.d
	list := c.Verifications
	if len(list) == 0 {
		parts, err := d.tx.CaseParts(d.ctx, c.ID)
		if err != nil {
			return nil, err
		}
		list = parts.Verifications
	}
	for _, f := range list {
		if f.RepliedOn == nil {
			return d.svc.RecordVerificationReply(d.ctx, c.ID, f.ID, service.ReplyInput{Date: on,
				Result: "Lý lịch khai đúng; bản thân và gia đình chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước", Version: c.Version})
		}
	}
	return nil, fmt.Errorf("no verification awaits a reply")
}
