package service

import (
	"context"
	"errors"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
)

// The candidates import with their stage facts (issue 6, item 1): a
// chapter's spreadsheet says, per candidate, how far the admission
// procedure went — selected as a source, helper, awareness certificate,
// dossier, verification, opinions, introducers, the chapter's and the
// grassroots committee's resolutions. The import does not write those
// facts into the case tables directly: it replays them through the same
// service calls a secretary makes on the case page, on their dates, so
// the rules judge them (a chapter resolution on a dossier without two
// introducers is refused with the rule and its source), the deadlines
// (decision within 45 working days of the resolution, verification
// replies) are computed, and every step has its audit record. Each row is
// replayed inside a savepoint of the import's single transaction: a row
// the rules refuse is undone alone, and the transaction commits only when
// the caller's policy allows (nothing wrong, or "the valid rows only").

// voteFacts are the figures of a resolution to record.
type voteFacts struct {
	Date     time.Time
	Number   string
	Members  int // official members of the chapter, or members of the committee
	Excluded int // not counted in the denominator (QĐ294 §9.3.2)
	Present  int
	Yes      int
}

// caseHistory are the facts of an admission case so far, each optional;
// a later fact needs the earlier ones the procedure requires (the rules
// say which).
type caseHistory struct {
	OpenedOn     time.Time // selected into the list of sources; zero: the earliest date given
	HardshipArea bool
	HelperID     int64

	CertificateNo   string
	CertificateDate *time.Time

	DossierOpened *time.Time // the application and the personal history are dated on it

	VerificationSent      *time.Time
	VerificationAddressee string
	VerificationReplied   *time.Time
	VerificationResult    string

	Opinions         *time.Time // opinions of the mass organizations and of the place of residence
	YouthResolution  *time.Time // the Youth Union's resolution introducing the candidate
	Introducers      []int64
	introducerFields []string // the row's field of each introducer
	MonthsTogether   int

	Chapter   *voteFacts
	Committee *voteFacts
}

// Facts of a history, named in a factError.
const (
	factOpened       = "opened"
	factHelper       = "helper"
	factCertificate  = "certificate"
	factDossier      = "dossier"
	factVerification = "verification"
	factReply        = "verification_reply"
	factOpinions     = "opinions"
	factYouth        = "youth_resolution"
	factIntroducer   = "introducer"
	factChapter      = "chapter_vote"
	factCommittee    = "committee_vote"
)

// factError is a fact of a row that could not be recorded, and why.
type factError struct {
	Row   int    // index in the rows given
	Fact  string // one of the fact constants
	Field string // the row's field of the fact, when the fact alone does not say (an introducer)
	Err   error
}

func (e *factError) Error() string { return domain.ErrorMessage(e.Err) }
func (e *factError) Unwrap() error { return e.Err }

// field is the field of the row (StageFacts) that a refused fact is
// about: the field of its error chooses among a resolution's figures.
func (e *factError) field() string {
	errField := ""
	if de, ok := errors.AsType[*domain.Error](e.Err); ok {
		errField = de.Field
	}
	switch e.Fact {
	case factOpened:
		return "opened_on"
	case factHelper:
		return "helper"
	case factCertificate:
		if errField == "number" {
			return "certificate_no"
		}
		return "certificate_date"
	case factDossier:
		return "dossier_opened"
	case factVerification:
		if errField == "addressee" {
			return "verification_addressee"
		}
		return "verification_sent"
	case factReply:
		return "verification_replied"
	case factOpinions:
		return "opinions"
	case factYouth:
		return "youth_resolution"
	case factIntroducer:
		if errField == "months_together" {
			return "months_together"
		}
		if e.Field != "" {
			return e.Field
		}
		return "introducer_1"
	case factChapter, factCommittee:
		prefix := "chapter"
		if e.Fact == factCommittee {
			prefix = "committee"
		}
		switch errField {
		case "members", "present", "yes", "number":
			return prefix + "." + errField
		case "excluded":
			if e.Fact == factChapter {
				return prefix + "." + errField
			}
		}
		return prefix + ".date"
	}
	return ""
}

// candidateWrite is one row of a candidates file to write: a new person,
// or the ID of one already in the store (ExistingID), with the facts of
// their case (nil: none).
type candidateWrite struct {
	Person     *domain.Person
	ExistingID int64
	History    *caseHistory
	Update     *personUpdate // a person in the store the row changes, nil when it changes none of their fields
}

// candidatesResult is what importCandidates did.
type candidatesResult struct {
	Created   int         // people written
	Advanced  int         // people already in the store whose case gained steps, or whose fields the row changed
	Unchanged int         // people already in the store whose case had every fact
	Steps     int         // procedure steps recorded
	Failures  []factError // rows refused (undone), in row order
	Committed bool
}

// errNoCommit rolls the import's transaction back on purpose.
var errNoCommit = errors.New("import: not committed")

// importCandidates writes new people already judged and replays the case
// facts of the rows that have them, in one transaction. commit is asked,
// once every row is done, whether to keep the work given the number of
// rows refused; progress, when set, is told how many rows are done.
func (s *Service) importCandidates(ctx context.Context, me *domain.User, rows []candidateWrite, commit func(refused int) bool, progress func(int)) (*candidatesResult, error) {
	now := s.Now()
	var res candidatesResult
	err := s.store.Tx(ctx, func(tx *store.Store) error {
		res = candidatesResult{}
		var recs []store.AuditRecord // one a person created or advanced
		ts := s.in(tx).Replaying()
		replayed, reported := 0, 0
		for i, r := range rows {
			// every 5,000 rows, and every 200 replayed rows (a replay
			// takes some 15 steps, so those rows are slow)
			if progress != nil && i > 0 && (i%ImportProgressEvery == 0 || (replayed > 0 && replayed%200 == 0 && reported < replayed)) {
				progress(i)
				reported = replayed
			}
			if r.History == nil {
				if r.Person == nil && r.Update != nil {
					if err := updatePerson(ctx, tx, r.Update, now); rowFailed(i, err) != err {
						res.Failures = append(res.Failures, factError{Row: i, Err: err})
						continue
					} else if err != nil {
						return err
					}
					res.Advanced++
					recs = append(recs, updateRecord(now, me, *r.Update, "candidates", 0))
					continue
				}
				if r.Person == nil {
					res.Unchanged++
					continue
				}
				if err := tx.CreatePerson(ctx, r.Person, now); err != nil {
					return err
				}
				r.Person.NameKey = "" // written; 50 MB for the 200,000 people of a large file
				res.Created++
				recs = append(recs, importRecord(now, me, "create", r.Person, "candidates", 0))
				continue
			}
			replayed++
			steps, err := ts.importHistory(ctx, tx, r, now)
			if fe, ok := errors.AsType[*factError](err); ok {
				fe.Row = i
				res.Failures = append(res.Failures, *fe)
				continue
			} else if err != nil {
				return err
			}
			res.Steps += steps
			switch {
			case r.Person != nil:
				res.Created++
				recs = append(recs, importRecord(now, me, "create", r.Person, "candidates", steps))
			case r.Update != nil:
				res.Advanced++
				recs = append(recs, updateRecord(now, me, *r.Update, "candidates", steps))
			case steps > 0:
				res.Advanced++
				p, _, err := tx.GetPerson(ctx, r.ExistingID)
				if err != nil {
					return err
				}
				recs = append(recs, importRecord(now, me, "update", p, "candidates", steps))
			default:
				res.Unchanged++
			}
		}
		if !commit(len(res.Failures)) {
			return errNoCommit
		}
		if res.Created == 0 && res.Advanced == 0 {
			return nil
		}
		sum, err := auditRecord(now, me, "import", "person", 0, map[string]any{"kind": "candidates", "created": res.Created,
			"advanced": res.Advanced, "steps": res.Steps})
		if err != nil {
			return err
		}
		return tx.AuditBatch(ctx, append(recs, sum))
	})
	if errors.Is(err, errNoCommit) {
		return &res, nil
	}
	if err != nil {
		return nil, err
	}
	res.Committed = true
	return &res, nil
}

// importHistory writes the row's new person (if any) and replays the
// row's facts inside a savepoint of tx, the transaction s is bound to: a
// refused fact (a *factError) undoes the row alone.
func (s *Service) importHistory(ctx context.Context, tx *store.Store, r candidateWrite, now time.Time) (int, error) {
	steps := 0
	err := tx.Savepoint(ctx, func() error {
		id := r.ExistingID
		if r.Update != nil {
			if err := updatePerson(ctx, tx, r.Update, now); rowFailed(0, err) != err {
				return &factError{Err: err}
			} else if err != nil {
				return err
			}
		}
		if r.Person != nil {
			if err := tx.CreatePerson(ctx, r.Person, now); err != nil {
				return err
			}
			id = r.Person.ID
		}
		n, err := s.replayCase(ctx, id, r.History)
		steps = n
		return err
	})
	return steps, err
}

// updatePerson writes the person of an update (a copy: a dry run or a
// refused row leaves the version read for the next try).
func updatePerson(ctx context.Context, tx *store.Store, u *personUpdate, now time.Time) error {
	p := *u.p
	return tx.UpdatePerson(ctx, &p, now)
}

// replay is the replay of one person's facts on their admission case.
type replay struct {
	s     *Service
	ctx   context.Context
	h     *caseHistory
	c     *domain.Case
	parts *store.CaseParts
	steps int // steps recorded
}

// replayCase records the facts of h on the open admission case of the
// person (opening it when there is none): only the facts the case does not
// have yet, in the procedure's order. It returns the number of steps
// recorded; a refused fact is a *factError.
func (s *Service) replayCase(ctx context.Context, personID int64, h *caseHistory) (int, error) {
	rp := &replay{s: s, ctx: ctx, h: h}
	if ok, err := rp.open(personID); !ok || err != nil {
		return rp.steps, err
	}
	c := rp.c
	if c.Stage != domain.CaseSource && c.Stage != domain.CaseDossier && c.Stage != domain.CaseChapterVoted {
		return rp.steps, nil // past the facts a candidates file can give
	}
	var err error
	if rp.parts, err = s.store.CaseParts(ctx, c.ID); err != nil {
		return rp.steps, err
	}
	if c.Stage == domain.CaseSource || c.Stage == domain.CaseDossier {
		err = rp.beforeVote()
	} else if c.HelperID == 0 && h.HelperID != 0 {
		err = rp.helper()
	}
	if err != nil {
		return rp.steps, err
	}
	return rp.steps, rp.votes()
}

// open finds the person's open admission case, or opens it on the date
// the facts give. It reports false when the facts are history: the person
// was admitted since, or the case they describe was closed.
func (rp *replay) open(personID int64) (bool, error) {
	s, ctx, h := rp.s, rp.ctx, rp.h
	p, _, err := s.store.GetPerson(ctx, personID)
	if err != nil {
		return false, err
	}
	cases, err := s.store.CasesOfPerson(ctx, personID)
	if err != nil {
		return false, err
	}
	var lastClosed *time.Time
	for _, x := range cases {
		if !x.Closed() {
			rp.c = x
		} else if lastClosed == nil || x.ClosedOn.After(*lastClosed) {
			lastClosed = x.ClosedOn
		}
	}
	if rp.c != nil {
		return true, nil
	}
	if p.Stage != domain.StageSource && p.Stage != domain.StageCandidate {
		return false, nil // admitted (or gone) since: the file's facts are history
	}
	if lastClosed != nil && !h.OpenedOn.After(*lastClosed) {
		// the case these facts describe was closed since (withdrawn,
		// refused): re-importing the file does not start it again; a
		// new case starts after the closing
		return false, nil
	}
	in := OpenCaseInput{PersonID: personID, OpenedOn: h.OpenedOn, HelperID: h.HelperID, HardshipArea: h.HardshipArea}
	if h.YouthResolution != nil { // a Youth Union's resolution: the unit has one (else the unit's record says)
		in.YouthUnionExists = bptr(true)
	}
	opened, err := s.OpenCase(ctx, in)
	if err != nil {
		_, refused := errors.AsType[*RefusedError](err) // the helper of another unit
		if e, ok := errors.AsType[*domain.Error](err); refused || (ok && e.Field == "helper_id") {
			return false, rp.fail(factHelper, err)
		}
		return false, rp.fail(factOpened, err)
	}
	rp.c = opened.Case
	rp.steps++
	return true, nil
}

// fail is the error of a refused fact: a *factError when the refusal is
// the row's fault, err itself otherwise.
func (rp *replay) fail(fact string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if _, ok := errors.AsType[*domain.Error](err); !ok {
		if _, ok := errors.AsType[*RefusedError](err); !ok {
			return err // not the row's fault
		}
	}
	return &factError{Fact: fact, Err: err}
}

// step records one fact through a step of the procedure, called with the
// case's version.
func (rp *replay) step(fact string, call func(version int64) (*CaseView, error)) error {
	x, err := call(rp.c.Version)
	if err != nil {
		return rp.fail(fact, err)
	}
	rp.c = x.Case
	rp.steps++
	return nil
}

// has reports whether the case has a document of the kind.
func (rp *replay) has(kind string) bool {
	for _, d := range rp.parts.Documents {
		if d.Kind == kind {
			return true
		}
	}
	return false
}

// beforeVote records the facts before the chapter's vote, in the
// procedure's order.
func (rp *replay) beforeVote() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	if h.YouthResolution != nil && !rp.c.YouthUnionExists {
		if err := rp.step(factYouth, func(v int64) (*CaseView, error) {
			c := rp.c
			return s.SetCaseFacts(ctx, c.ID, CaseFactsInput{HardshipArea: c.HardshipArea, VillageElder: c.VillageElder,
				YouthUnionExists: bptr(true), PoliticalIssue: c.PoliticalIssue, Version: v})
		}); err != nil {
			return err
		}
	}
	if rp.c.HelperID == 0 && h.HelperID != 0 {
		if err := rp.helper(); err != nil {
			return err
		}
	}
	for _, record := range []func() error{rp.certificate, rp.dossier, rp.verification, rp.documents, rp.introducers} {
		if err := record(); err != nil {
			return err
		}
	}
	return nil
}

func (rp *replay) helper() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	return rp.step(factHelper, func(v int64) (*CaseView, error) {
		return s.AssignHelper(ctx, rp.c.ID, HelperInput{PersonID: h.HelperID, Version: v})
	})
}

// certificate records the awareness certificate: its number and date
// (the step refuses one without the other).
func (rp *replay) certificate() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	if rp.c.CertificateDate != nil || (h.CertificateDate == nil && h.CertificateNo == "") {
		return nil
	}
	var date time.Time
	if h.CertificateDate != nil {
		date = *h.CertificateDate
	}
	return rp.step(factCertificate, func(v int64) (*CaseView, error) {
		return s.RecordCertificate(ctx, rp.c.ID, CertificateInput{Number: h.CertificateNo, Date: date, Version: v})
	})
}

// dossier opens the dossier with the application and the personal
// history dated on its day.
func (rp *replay) dossier() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	if rp.c.DossierOpened != nil || h.DossierOpened == nil {
		return nil
	}
	d := *h.DossierOpened
	if err := rp.step(factDossier, func(v int64) (*CaseView, error) {
		return s.OpenDossier(ctx, rp.c.ID, DateInput{Date: d, Version: v})
	}); err != nil {
		return err
	}
	for _, kind := range []string{rules.FormApplication, rules.FormPersonalHistory} {
		if !rp.has(kind) {
			if err := rp.step(factDossier, func(v int64) (*CaseView, error) {
				return s.RecordDocument(ctx, rp.c.ID, DocumentInput{Kind: kind, Date: d, Version: v})
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// verification records the request the file describes (the one sent on
// its date: others may have been added on the case page) and its reply.
func (rp *replay) verification() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	fileVerification := func() *domain.CaseVerification {
		for _, x := range rp.parts.Verifications {
			if h.VerificationSent != nil && x.SentOn.Equal(*h.VerificationSent) {
				return x
			}
		}
		return nil
	}
	if h.VerificationSent != nil && fileVerification() == nil {
		if err := rp.step(factVerification, func(v int64) (*CaseView, error) {
			return s.RequestVerification(ctx, rp.c.ID, VerificationInput{Subject: "candidate", Addressee: h.VerificationAddressee,
				SentOn: *h.VerificationSent, Version: v})
		}); err != nil {
			return err
		}
		var err error
		if rp.parts, err = s.store.CaseParts(ctx, rp.c.ID); err != nil {
			return err
		}
	}
	if x := fileVerification(); h.VerificationReplied != nil && x != nil && x.RepliedOn == nil {
		return rp.step(factReply, func(v int64) (*CaseView, error) {
			return s.RecordVerificationReply(ctx, rp.c.ID, x.ID, ReplyInput{Date: *h.VerificationReplied, Result: h.VerificationResult, Version: v})
		})
	}
	return nil
}

// documents records the opinions and the Youth Union's resolution.
func (rp *replay) documents() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	if h.Opinions != nil && !rp.has(rules.FormOpinions) {
		if err := rp.step(factOpinions, func(v int64) (*CaseView, error) {
			return s.RecordDocument(ctx, rp.c.ID, DocumentInput{Kind: rules.FormOpinions, Date: *h.Opinions, Version: v})
		}); err != nil {
			return err
		}
	}
	if h.YouthResolution != nil && !rp.has(rules.FormYouthUnionResolution) {
		return rp.step(factYouth, func(v int64) (*CaseView, error) {
			return s.RecordDocument(ctx, rp.c.ID, DocumentInput{Kind: rules.FormYouthUnionResolution, Date: *h.YouthResolution, Version: v})
		})
	}
	return nil
}

// introducers adds the file's introducers the case lacks, up to two (the
// ones recorded on the case page win).
func (rp *replay) introducers() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	have := len(rp.parts.Introducers)
	for k, id := range h.Introducers {
		known := false
		for _, x := range rp.parts.Introducers {
			known = known || x.PersonID == id
		}
		if known || have >= 2 {
			continue // on the case already, or the case has its introducers (the page's, which win)
		}
		have++
		if err := rp.step(factIntroducer, func(v int64) (*CaseView, error) {
			return s.AddIntroducer(ctx, rp.c.ID, IntroducerInput{PersonID: id, MonthsTogether: h.MonthsTogether, LetterDate: h.DossierOpened, Version: v})
		}); err != nil {
			if fe, ok := errors.AsType[*factError](err); ok && k < len(h.introducerFields) {
				fe.Field = h.introducerFields[k]
			}
			return err
		}
	}
	return nil
}

// votes records the chapter's and the grassroots committee's
// resolutions. A resolution below its threshold is not imported: it is
// recorded on the case page, where the deciding body concludes on it.
func (rp *replay) votes() error {
	s, ctx, h := rp.s, rp.ctx, rp.h
	var last *CaseView // the case after the latest vote
	vote := func(fact, level string, f *voteFacts) error {
		return rp.step(fact, func(v int64) (x *CaseView, err error) {
			last, err = s.Vote(ctx, rp.c.ID, domain.PurposeAdmission, VoteInput{Level: level, Date: f.Date, Number: f.Number, Members: f.Members,
				Excluded: f.Excluded, Present: f.Present, Yes: f.Yes, No: max(0, f.Present-f.Yes), Version: v})
			return last, err
		})
	}
	beforeVote := rp.c.Stage == domain.CaseSource || rp.c.Stage == domain.CaseDossier
	if beforeVote && h.Chapter != nil {
		if err := vote(factChapter, domain.LevelChapter, h.Chapter); err != nil {
			return err
		}
		if rp.c.Stage == domain.CaseVoteFailed {
			return &factError{Fact: factChapter, Err: domain.Errorf(domain.EInvalid,
				"Nghị quyết chi bộ không đạt tỷ lệ tán thành (%s). Kết quả không đạt không nhập từ tệp: xóa các cột nghị quyết của dòng này, nhập lại, rồi ghi kết quả biểu quyết trên trang hồ sơ kết nạp", failedVoteText(last))}
		}
	}
	if rp.c.Stage == domain.CaseChapterVoted && h.Committee != nil {
		if err := vote(factCommittee, domain.LevelCommittee, h.Committee); err != nil {
			return err
		}
		if rp.c.Stage == domain.CaseVoteFailed {
			return &factError{Fact: factCommittee, Err: domain.Errorf(domain.EInvalid,
				"Nghị quyết đảng ủy không đạt tỷ lệ tán thành (%s). Kết quả không đạt không nhập từ tệp: xóa các cột nghị quyết đảng ủy của dòng này, nhập lại, rồi ghi kết quả biểu quyết trên trang hồ sơ kết nạp", failedVoteText(last))}
		}
	}
	return nil
}
