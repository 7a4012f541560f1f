package calltest

// Table is a package's call table: the rows its test files add, each
// beside its call's other tests and Example (var _ = calls.Add(…)), so that
// a new call's tests edit no shared list. Rows are kept in the order the
// test files' variables are initialized (by file name, then as written).
// Add is only called while the test package is initialized.
type Table[F any] struct {
	rows []Call[F]
}

// Add appends rows and returns nothing of use: its result lets a file add
// them as a package-level variable.
func (t *Table[F]) Add(rows ...Call[F]) struct{} {
	t.rows = append(t.rows, rows...)
	return struct{}{}
}

// Rows returns the rows added, in order.
func (t *Table[F]) Rows() []Call[F] { return t.rows }
