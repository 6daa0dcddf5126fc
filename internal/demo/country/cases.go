package country

import (
	"fmt"
	"math/rand/v2"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/rules"
)

// The cases are written as rows in the state the procedure's steps leave
// them (the votes, documents and introducers each step records); the
// service then computes what comes next and the deadlines of the open
// ones (service.RefreshCases), as it does after any change.

// caseOfMember writes the case of a member admitted in the case era:
// decided and awaiting the ceremony, in probation, proposed for
// recognition, or recognised and closed, by the decision's date.
func (g *gen) caseOfMember(rng *rand.Rand, u *unit, p *domain.Person, dec time.Time, old []int64) {
	cv := weekday(dec.AddDate(0, 0, -(20 + rng.IntN(25))))
	c := g.newCase(rng, u, p, old, cv)
	c.RulesID = rules.InForce(cv).ID
	c.DeciderID, c.Authorised = u.ladder.decider, u.ladder.authorised
	g.vote(c, domain.PurposeAdmission, domain.LevelChapter, cv, u.members, rng)
	if u.ladder.committee {
		g.vote(c, domain.PurposeAdmission, domain.LevelCommittee, weekday(cv.AddDate(0, 0, 7+rng.IntN(7))), 9, rng)
	}
	number := fmt.Sprintf("%d-QĐ/ĐU", 100+rng.IntN(900))
	g.vote(c, domain.PurposeAdmission, domain.LevelDecision, dec, 11, rng).Number = number
	received := dec.AddDate(0, 0, 2+rng.IntN(4))
	m := domain.Membership{ID: g.nextID("memberships"), PersonID: p.ID, DecisionNo: number, DecisionDate: dec,
		DecidedByID: u.ladder.decider, AdmittedOrgID: p.OrgID, Status: domain.StageProbationary, Origin: domain.OriginCase}
	c.Stage, c.DecisionNo, c.DecisionDate, c.DecisionReceived, c.MembershipID = domain.CaseDecided, number, &dec, &received, m.ID
	p.Stage = domain.StageProbationary
	ceremony := weekday(received.AddDate(0, 0, 7+rng.IntN(25)))
	if !ceremony.After(AsOf) {
		c.Stage, c.CeremonyDate, m.CeremonyDate = domain.CaseProbation, &ceremony, &ceremony
		set := rules.InForce(ceremony)
		end := rules.ProbationEnd(&set, ceremony)
		rv := weekday(end.AddDate(0, 0, 3+rng.IntN(20)))
		if !rv.After(AsOf) {
			g.vote(c, domain.PurposeRecognition, domain.LevelChapter, rv, u.members, rng)
			c.Stage = domain.CaseRecognitionVote
			rd := weekday(rv.AddDate(0, 0, 10+rng.IntN(15)))
			if !rd.After(AsOf) {
				no := fmt.Sprintf("%d-QĐ/ĐU", 100+rng.IntN(900))
				g.vote(c, domain.PurposeRecognition, domain.LevelDecision, rd, 11, rng).Number = no
				c.Stage, c.RecognitionNo, c.RecognitionDate, c.ClosedOn = domain.CaseOfficial, no, &rd, &rd
				m.RecognitionDate, m.Status, p.Stage = &end, domain.StageOfficial, domain.StageOfficial
			}
		}
	}
	g.members = append(g.members, m)
	g.sum.Members++
	g.finishCase(c)
}

// caseOfCandidate writes the open case of someone in the pipeline: a
// source, a dossier, a chapter's or a committee's resolution awaiting the
// decision, or a vote below its threshold; a few withdrawn.
func (g *gen) caseOfCandidate(rng *rand.Rand, u *unit, p *domain.Person, old []int64) {
	x := rng.IntN(100)
	var cv time.Time
	if x >= 40 {
		cv = weekday(AsOf.AddDate(0, 0, -(1 + rng.IntN(90))))
	}
	c := g.newCase(rng, u, p, old, cv)
	p.Stage = domain.StageCandidate
	switch {
	case x < 40: // a source: no dossier yet
		c.Stage, c.DossierOpened, p.Stage = domain.CaseSource, nil, domain.StageSource
		g.docs = g.docs[:len(g.docs)-g.lastDocs]
		g.intros = g.intros[:len(g.intros)-g.lastIntros]
		g.verifs = g.verifs[:len(g.verifs)-g.lastVerifs]
		if c.OpenedOn.After(AsOf.AddDate(0, -6, 0)) { // not yet sent to a class
			c.CertificateNo, c.CertificateDate = "", nil
		}
		if x < 3 {
			c.Stage, c.ClosedOn, c.CloseReason = domain.CaseWithdrawn, ptr(AsOf.AddDate(0, 0, -rng.IntN(60))), "Quần chúng xin rút khỏi danh sách"
		}
	case x < 70:
		c.Stage = domain.CaseDossier
	default:
		c.RulesID = rules.InForce(cv).ID
		c.DeciderID, c.Authorised = u.ladder.decider, u.ladder.authorised
		v := g.vote(c, domain.PurposeAdmission, domain.LevelChapter, cv, max(u.members, 3), rng)
		c.Stage = domain.CaseChapterVoted
		switch {
		case x < 73:
			v.Yes, v.No, v.Passed = v.Present/2, v.Present-v.Present/2, false
			c.Stage = domain.CaseVoteFailed
		case u.ladder.committee && x >= 85:
			if d := weekday(cv.AddDate(0, 0, 7+rng.IntN(7))); !d.After(AsOf) {
				g.vote(c, domain.PurposeAdmission, domain.LevelCommittee, d, 9, rng)
				c.Stage = domain.CaseCommitteeVoted
			}
		}
	}
	if c.ClosedOn == nil && c.Stage == domain.CaseSource {
		g.poolIDs, g.poolSince = append(g.poolIDs, p.ID), append(g.poolSince, c.OpenedOn)
	}
	g.finishCase(c)
}

// newCase starts the case of p in the unit whose chapter votes on cv (zero
// for a source): opened, helped, certified, its dossier opened with the
// application, the personal history, the opinions and two introducers.
func (g *gen) newCase(rng *rand.Rand, u *unit, p *domain.Person, old []int64, cv time.Time) *domain.Case {
	ref := cv
	if ref.IsZero() {
		ref = AsOf
	}
	opened := ref.AddDate(0, -(4 + rng.IntN(8)), -rng.IntN(28))
	if opened.Before(founded) {
		opened = founded.AddDate(0, 0, rng.IntN(10))
	}
	if cv.IsZero() {
		opened = AsOf.AddDate(0, -rng.IntN(11), -rng.IntN(28))
	}
	c := &domain.Case{ID: g.nextID("cases"), PersonID: p.ID, OrgID: p.OrgID, Kind: domain.CaseFirst, Stage: domain.CaseDossier,
		StageBefore: domain.StageSource, OpenedOn: opened, YouthUnionExists: g.orgs[u.org].YouthUnion}
	if len(old) > 0 {
		c.HelperID = old[rng.IntN(len(old))]
	}
	cert := opened.AddDate(0, 1, 5+rng.IntN(20))
	if cert.After(AsOf) {
		cert = AsOf
	}
	c.CertificateNo, c.CertificateDate = fmt.Sprintf("%d/GCN-TTCT", 1000+rng.IntN(9000)), &cert
	dossier := cert.AddDate(0, 0, 7+rng.IntN(20))
	if !cv.IsZero() && !dossier.Before(cv) {
		dossier = cv.AddDate(0, 0, -(10 + rng.IntN(10)))
	}
	if dossier.After(AsOf) {
		dossier = AsOf
	}
	c.DossierOpened = &dossier
	d0 := len(g.docs)
	for i, kind := range []string{rules.FormApplication, rules.FormPersonalHistory, rules.FormOpinions} {
		d := dossier.AddDate(0, 0, 3*i)
		if !cv.IsZero() && !d.Before(cv) || d.After(AsOf) {
			continue
		}
		g.docs = append(g.docs, domain.CaseDocument{ID: g.nextID("case_documents"), CaseID: c.ID, Kind: kind, Date: d})
	}
	// the personal history verified where the candidate lived: replied
	// before the chapter's vote, awaited (some late) while the dossier is open
	sent := dossier.AddDate(0, 0, 5)
	v0 := len(g.verifs)
	if !sent.After(AsOf) && (cv.IsZero() || sent.Before(cv)) {
		x := domain.CaseVerification{ID: g.nextID("case_verifications"), CaseID: c.ID, Subject: "candidate",
			Addressee: "Đảng ủy nơi cư trú của người vào Đảng", SentOn: sent}
		anchor, _ := x.ReplyAnchor()
		x.Due, _ = calendar.AddWorkdays(anchor, x.ReplyDays())
		replied := sent.AddDate(0, 0, 15+rng.IntN(40))
		if !replied.After(AsOf) && (cv.IsZero() || replied.Before(cv)) && (rng.IntN(3) > 0 || !cv.IsZero() && cv.Before(AsOf)) {
			x.RepliedOn, x.Result = &replied, "Lý lịch khai đúng; gia đình chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước"
		}
		g.verifs = append(g.verifs, x)
	}
	g.lastVerifs = len(g.verifs) - v0
	g.lastDocs = len(g.docs) - d0
	i0 := len(g.intros)
	introducers := 2
	if p.YouthUnion && c.YouthUnionExists {
		// the Youth Union's route: its resolution and one official member (Điều lệ Đ.4 k.2)
		introducers = 1
		if d := dossier.AddDate(0, 0, 2); (cv.IsZero() || d.Before(cv)) && !d.After(AsOf) {
			g.docs = append(g.docs, domain.CaseDocument{ID: g.nextID("case_documents"), CaseID: c.ID,
				Kind: rules.FormYouthUnionResolution, Number: fmt.Sprintf("%d-NQ/ĐTN", 1+rng.IntN(60)), Date: d})
			g.lastDocs++
		}
	}
	if len(old) >= introducers {
		a := rng.IntN(len(old))
		who := []int64{old[a]}
		if introducers == 2 {
			who = append(who, old[(a+1+rng.IntN(len(old)-1))%len(old)])
		}
		for _, who := range who {
			letter := dossier
			g.intros = append(g.intros, domain.CaseIntroducer{ID: g.nextID("case_introducers"), CaseID: c.ID, PersonID: who,
				MonthsTogether: 12 + rng.IntN(48), LetterDate: &letter})
		}
	}
	g.lastIntros = len(g.intros) - i0
	return c
}

// vote appends a passed vote of the level and returns it: every member
// present but up to two, all in favour.
func (g *gen) vote(c *domain.Case, purpose, level string, d time.Time, members int, rng *rand.Rand) *domain.CaseVote {
	members = max(members, 3)
	present := members - rng.IntN(min(3, members/3+1))
	number := ""
	switch level {
	case domain.LevelChapter:
		number = fmt.Sprintf("%d-NQ/CB", 1+rng.IntN(40))
	case domain.LevelCommittee:
		number = fmt.Sprintf("%d-NQ/ĐU", 1+rng.IntN(200))
	}
	set := rules.InForce(d)
	g.votes = append(g.votes, domain.CaseVote{ID: g.nextID("case_votes"), CaseID: c.ID, Purpose: purpose, Level: level, Date: d,
		Number: number, Members: members, Present: present, Yes: present, Passed: true, RulesID: set.ID,
		Authorised: level == domain.LevelDecision && c.Authorised})
	return &g.votes[len(g.votes)-1]
}

// finishCase appends the case and counts it by stage.
func (g *gen) finishCase(c *domain.Case) {
	g.cases = append(g.cases, *c)
	g.sum.Cases++
	if c.ClosedOn == nil {
		g.sum.OpenByStage[c.Stage]++
		g.openPeople = append(g.openPeople, c.PersonID)
	}
}

func ptr[T any](v T) *T { return &v }
