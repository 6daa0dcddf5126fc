package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// The audit log is a hash chain (issue 13, item 4). Each record carries
// the SHA-256 of the record before it (prev_hash, "" for the first) and
// the SHA-256 of its own canonical fields, prev_hash included (hash).
// The canonical form is a JSON array in a fixed order: a version tag, the
// id, the time in UTC with microseconds (what PostgreSQL keeps), the user,
// the action, the entity, its id, the detail (text in NFC) and prev_hash.
// Ids are given by the writer, one more than the chain's last (kept in the
// one-row table audit_head), so the chain's order is the ids' order.
//
// One writer at a time per chain: every write starts by updating the head
// row, which takes SQLite's write lock or PostgreSQL's row lock on it until
// the transaction ends, so that two transactions never chain onto the same
// record. Editing, deleting, inserting or reordering rows in SQL breaks a
// hash or a link, which VerifyAudit finds.

// AuditRecord is one record of the audit log.
type AuditRecord struct {
	ID       int64
	At       time.Time
	UserID   int64 // 0: the system (no user)
	Action   string
	Entity   string
	EntityID int64
	Detail   string // JSON, or ""
	PrevHash string
	Hash     string
}

// auditTimeLayout is the canonical form of a record's time.
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// auditChunk is how many records one INSERT writes at most.
const auditChunk = 16

// canonical returns the bytes the record's hash covers.
func (r *AuditRecord) canonical() []byte {
	b, err := json.Marshal([]any{"ketnap-audit-1", r.ID, r.At.UTC().Format(auditTimeLayout), r.UserID,
		norm.NFC.String(r.Action), norm.NFC.String(r.Entity), r.EntityID, norm.NFC.String(r.Detail), r.PrevHash})
	if err != nil { // strings and integers always marshal
		panic(err)
	}
	return b
}

// ComputeHash returns the SHA-256 (hex) of the record's canonical fields.
func (r *AuditRecord) ComputeHash() string {
	sum := sha256.Sum256(r.canonical())
	return hex.EncodeToString(sum[:])
}

// Audit appends an audit record to the chain (in the store's transaction,
// or in one of its own).
func (s *Store) Audit(ctx context.Context, at time.Time, userID int64, action, entity string, entityID int64, detail string) (err error) {
	defer wrap(&err, "store.Audit(%d, %q, %q, %d)", userID, action, entity, entityID)
	return s.AuditBatch(ctx, []AuditRecord{{At: at, UserID: userID, Action: action, Entity: entity, EntityID: entityID, Detail: detail}})
}

// auditHead is the chain's last record as audit_head holds it.
type auditHead struct {
	LastID   int64
	LastHash string
	Chained  bool
}

// lockAuditHead reads the head of the chain, locking it until the
// transaction ends: the UPDATE takes SQLite's write lock, or PostgreSQL's
// lock on the row (the same SQL on both engines). The transaction then
// holds the head (txHeld): later records read it from there.
func (s *Store) lockAuditHead(ctx context.Context) (h auditHead, err error) {
	defer wrap(&err, "store.lockAuditHead")
	if s.held != nil && s.held.head != nil {
		return *s.held.head, nil
	}
	err = s.q.QueryRowContext(ctx, `UPDATE audit_head SET id = 1 WHERE id = 1 RETURNING last_id, last_hash, chained`).
		Scan(&h.LastID, &h.LastHash, &h.Chained)
	if err == nil && s.held != nil {
		s.held.head = &auditHead{LastID: h.LastID, LastHash: h.LastHash, Chained: h.Chained}
	}
	return h, mapErr(err)
}

// setAuditHead makes h the head: held by the transaction until its
// commit (flushHeld).
func (s *Store) setAuditHead(h auditHead) {
	s.held.head, s.held.dirty = &h, true
}

// AuditBatch appends records to the chain in one transaction (the
// store's, or one of its own): the head is locked once, the records are
// hashed in order and written 16 to a statement.
func (s *Store) AuditBatch(ctx context.Context, recs []AuditRecord) (err error) {
	defer wrap(&err, "store.AuditBatch(%d)", len(recs))
	if len(recs) == 0 {
		return nil
	}
	return s.Tx(ctx, func(tx *Store) error {
		h, err := tx.lockAuditHead(ctx)
		if err != nil {
			return err
		}
		if !h.Chained {
			if h, err = tx.chainLegacy(ctx); err != nil {
				return err
			}
		}
		id, prev := h.LastID, h.LastHash
		for i := range recs {
			r := &recs[i]
			id++
			r.ID, r.PrevHash = id, prev
			r.At = r.At.UTC().Truncate(time.Microsecond)
			r.Action, r.Entity, r.Detail = norm.NFC.String(r.Action), norm.NFC.String(r.Entity), norm.NFC.String(r.Detail)
			r.Hash = r.ComputeHash()
			prev = r.Hash
		}
		for rest := recs; len(rest) > 0; {
			n := auditChunk
			for n > len(rest) { // powers of two: few distinct statement texts
				n /= 2
			}
			if err := tx.insertAudit(ctx, rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		tx.setAuditHead(auditHead{LastID: id, LastHash: prev, Chained: true})
		return nil
	})
}

func (s *Store) insertAudit(ctx context.Context, recs []AuditRecord) (err error) {
	defer wrap(&err, "store.insertAudit(%d)", len(recs))
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, detail, prev_hash, hash) VALUES `)
	args := make([]any, 0, 9*len(recs))
	for i, r := range recs {
		if i > 0 {
			b.WriteString(", ")
		}
		n := 9 * i
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9)
		args = append(args, r.ID, r.At, nullInt(r.UserID), r.Action, r.Entity, nullInt(r.EntityID), r.Detail, r.PrevHash, r.Hash)
	}
	_, err = s.q.ExecContext(ctx, b.String(), args...)
	return mapErr(err)
}

// chainLegacy chains the records written before the chain existed (the
// migration leaves audit_head.chained false when there are any), in id
// order, inside the transaction that holds the head's lock.
func (s *Store) chainLegacy(ctx context.Context) (h auditHead, err error) {
	defer wrap(&err, "store.chainLegacy")
	var recs []AuditRecord
	err = s.eachAudit(ctx, `ORDER BY id`, nil, func(r *AuditRecord) error {
		recs = append(recs, *r)
		return nil
	})
	if err != nil {
		return h, err
	}
	prev := ""
	for i := range recs {
		r := &recs[i]
		r.PrevHash = prev
		r.Hash = r.ComputeHash()
		prev = r.Hash
		if _, err := s.q.ExecContext(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3`, r.PrevHash, r.Hash, r.ID); err != nil {
			return h, mapErr(err)
		}
		h.LastID = r.ID
	}
	h.LastHash, h.Chained = prev, true
	_, err = s.q.ExecContext(ctx, `UPDATE audit_head SET last_id = $1, last_hash = $2, chained = TRUE WHERE id = 1`, h.LastID, h.LastHash)
	if err == nil && s.held != nil {
		s.held.head = &auditHead{LastID: h.LastID, LastHash: h.LastHash, Chained: true}
	}
	return h, mapErr(err)
}

const auditCols = `a.id, a.at, a.user_id, a.action, a.entity, a.entity_id, a.detail, a.prev_hash, a.hash`

func scanAudit(rows interface{ Scan(...any) error }, r *AuditRecord) error {
	var at timeCol
	var uid, eid nullID
	if err := rows.Scan(&r.ID, &at, &uid, &r.Action, &r.Entity, &eid, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
		return err
	}
	r.At, r.UserID, r.EntityID = at.T, int64(uid), int64(eid)
	return nil
}

// eachAudit calls fn for each record of audit_log a selected by the tail
// of the query (WHERE …, ORDER BY …), streaming.
func (s *Store) eachAudit(ctx context.Context, tail string, args []any, fn func(*AuditRecord) error) (err error) {
	defer wrap(&err, "store.eachAudit")
	rows, err := s.q.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log a `+tail, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	var r AuditRecord
	for rows.Next() {
		if err := scanAudit(rows, &r); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// AuditBreak is the first record of the chain that does not verify.
type AuditBreak struct {
	ID     int64
	Reason string // AuditChanged, AuditLinkBroken, AuditOutside, AuditTailMissing
}

// Reasons of an AuditBreak.
const (
	AuditChanged     = "changed"      // its fields do not give its hash: edited
	AuditLinkBroken  = "link"         // its prev_hash is not the hash of the record before it: a record before it was removed, moved or edited
	AuditOutside     = "outside"      // after the chain's last record: written around the chain
	AuditTailMissing = "tail_missing" // the chain's last record (ID) is missing: the end of the log was removed
)

// VerifyAudit checks the whole chain in id order and returns the first
// record that does not verify (nil when the chain is intact) and how many
// records were checked. Records written before the chain existed are
// chained first (one transaction). It reads outside a transaction, so a
// running server keeps writing: a record after the head read at the start
// makes it read the head again.
func (s *Store) VerifyAudit(ctx context.Context) (_ *AuditBreak, checked int, err error) {
	defer wrap(&err, "store.VerifyAudit")
	h, err := s.readAuditHead(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !h.Chained {
		err := s.Tx(ctx, func(tx *Store) error {
			h, err := tx.lockAuditHead(ctx)
			if err == nil && !h.Chained {
				_, err = tx.chainLegacy(ctx)
			}
			return err
		})
		if err != nil {
			return nil, 0, err
		}
		if h, err = s.readAuditHead(ctx); err != nil {
			return nil, 0, err
		}
	}
	var brk *AuditBreak
	prev, last := "", int64(0)
	errStop := errors.New("stop")
	err = s.eachAudit(ctx, `ORDER BY id`, nil, func(r *AuditRecord) error {
		if r.ID > h.LastID {
			again, err := s.readAuditHead(ctx)
			if err != nil {
				return err
			}
			h = again
		}
		switch {
		case r.ID > h.LastID:
			brk = &AuditBreak{ID: r.ID, Reason: AuditOutside}
		case r.PrevHash != prev:
			brk = &AuditBreak{ID: r.ID, Reason: AuditLinkBroken}
		case r.ComputeHash() != r.Hash:
			brk = &AuditBreak{ID: r.ID, Reason: AuditChanged}
		}
		if brk != nil {
			return errStop
		}
		checked++
		prev, last = r.Hash, r.ID
		return nil
	})
	if errors.Is(err, errStop) {
		return brk, checked, nil
	}
	if err != nil {
		return nil, checked, err
	}
	if last != h.LastID || prev != h.LastHash {
		return &AuditBreak{ID: h.LastID, Reason: AuditTailMissing}, checked, nil
	}
	return nil, checked, nil
}

func (s *Store) readAuditHead(ctx context.Context) (h auditHead, err error) {
	defer wrap(&err, "store.readAuditHead")
	if s.held != nil && s.held.head != nil {
		return *s.held.head, nil
	}
	err = s.q.QueryRowContext(ctx, `SELECT last_id, last_hash, chained FROM audit_head WHERE id = 1`).Scan(&h.LastID, &h.LastHash, &h.Chained)
	if errors.Is(err, sql.ErrNoRows) {
		return h, errors.New("audit_head has no row")
	}
	return h, mapErr(err)
}

// AuditFilter selects audit records for the audit page.
type AuditFilter struct {
	Path     string // "/" for every user; else only the records of users bound under the path
	UserID   int64
	Entity   string
	EntityID int64
	From, To time.Time // To exclusive; zero: open
	Limit    int
	Offset   int
}

// AuditRow is an audit record with its user's name.
type AuditRow struct {
	AuditRecord
	Username string
	FullName string
}

func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		conds = append(conds, cond)
	}
	if f.Path != "" && f.Path != "/" {
		lo, hi := pathRange(f.Path)
		add("o.path >= ? AND o.path < ?", lo, hi)
	}
	if f.UserID != 0 {
		add("a.user_id = ?", f.UserID)
	}
	if f.Entity != "" {
		add("a.entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		add("a.entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		add("a.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("a.at < ?", f.To.UTC())
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

const auditFrom = ` FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN orgs o ON o.id = u.org_id`

// ListAudit returns a page of the records the filter selects, newest
// first, and how many it selects in all.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) (_ []AuditRow, total int, err error) {
	defer wrap(&err, "store.ListAudit")
	where, args := f.where()
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+auditFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	out, err := s.auditRows(ctx, where, args, f.Limit, f.Offset)
	return out, total, err
}

// EachAuditRow calls fn for every record the filter selects, newest first
// (the export); f.Limit bounds them when set.
func (s *Store) EachAuditRow(ctx context.Context, f AuditFilter, fn func(AuditRow) error) (err error) {
	defer wrap(&err, "store.EachAuditRow")
	where, args := f.where()
	q := `SELECT ` + auditCols + `, COALESCE(u.username, ''), COALESCE(u.full_name, '')` + auditFrom + where + ` ORDER BY a.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r AuditRow
		if err := scanAudit(scanTails{rows, []any{&r.Username, &r.FullName}}, &r.AuditRecord); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

func (s *Store) auditRows(ctx context.Context, where string, args []any, limit, offset int) ([]AuditRow, error) {
	if limit <= 0 {
		limit = 50
	}
	n := len(args)
	q := `SELECT ` + auditCols + `, COALESCE(u.username, ''), COALESCE(u.full_name, '')` + auditFrom + where +
		fmt.Sprintf(` ORDER BY a.id DESC LIMIT $%d OFFSET $%d`, n+1, n+2)
	rows, err := s.q.QueryContext(ctx, q, append(args, limit, offset)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []AuditRow
	for rows.Next() {
		var r AuditRow
		if err := scanAudit(scanTails{rows, []any{&r.Username, &r.FullName}}, &r.AuditRecord); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// scanTails scans a row whose last columns go to tail.
type scanTails struct {
	row  interface{ Scan(...any) error }
	tail []any
}

func (t scanTails) Scan(dest ...any) error { return t.row.Scan(append(dest, t.tail...)...) }

// AuditEntry is one audit record, as a page's history shows it.
type AuditEntry struct {
	At       time.Time
	UserID   int64
	Action   string
	Entity   string
	EntityID int64
	Detail   string
}

// AuditFor lists the audit records of an entity, newest first.
func (s *Store) AuditFor(ctx context.Context, entity string, id int64, limit int) (_ []AuditEntry, err error) {
	defer wrap(&err, "store.AuditFor(%q, %d, %d)", entity, id, limit)
	var out []AuditEntry
	err = s.eachAudit(ctx, `WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3`, []any{entity, id, limit}, func(r *AuditRecord) error {
		out = append(out, AuditEntry{At: r.At, UserID: r.UserID, Action: r.Action, Entity: r.Entity, EntityID: r.EntityID, Detail: r.Detail})
		return nil
	})
	return out, err
}
