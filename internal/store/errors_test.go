package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"ketnap/internal/domain"
)

// A store error that is not the user's names the operation that failed,
// with its ids, and keeps the driver's error in the chain; an application
// error (not found, conflict) keeps its Vietnamese message untouched.
func TestErrorsNameTheOperation(t *testing.T) {
	st, ctx := openTest(t)

	_, err := st.GetOrg(ctx, 424242)
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("GetOrg of a missing id: %v", err)
	}
	if strings.Contains(err.Error(), "store.") {
		t.Errorf("a not-found error was wrapped: %q", err.Error())
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err = st.GetCase(cancelled, 17)
	if err == nil {
		t.Fatal("GetCase on a cancelled context: no error")
	}
	if !strings.HasPrefix(err.Error(), "store.GetCase(17): ") {
		t.Errorf("GetCase error = %q, want it to start with the operation and its id", err.Error())
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("the wrapped error lost its cause: %v", err)
	}
	if domain.ErrorCode(err) != domain.EInternal {
		t.Errorf("code %q, want internal", domain.ErrorCode(err))
	}

	_, err = st.GetMeta(cancelled, "demo_asof")
	if !strings.HasPrefix(err.Error(), `store.GetMeta("demo_asof"): `) {
		t.Errorf("GetMeta error = %q", err.Error())
	}
}

// wrap leaves nil alone, keeps sql.ErrNoRows visible to errors.Is, and
// never wraps an application error.
func TestWrap(t *testing.T) {
	var err error
	wrap(&err, "store.X(%d)", 1)
	if err != nil {
		t.Fatalf("nil became %v", err)
	}
	err = sql.ErrNoRows
	wrap(&err, "store.X(%d)", 1)
	if !errors.Is(err, sql.ErrNoRows) || err.Error() != "store.X(1): "+sql.ErrNoRows.Error() {
		t.Errorf("got %v", err)
	}
	de := domain.Errorf(domain.EConflict, "Đã có")
	err = de
	wrap(&err, "store.X(%d)", 1)
	if err != error(de) {
		t.Errorf("an application error was wrapped: %v", err)
	}
}
