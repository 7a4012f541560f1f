package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"testing"
)

// numberPager exports 1..n, two a page; listed counts the numbers the
// listing yielded, and fail, when set, ends the listing after n.
func numberPager(n int, listed *int, fail error) *seqPager[int] {
	list := func(context.Context) iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			for i := 1; i <= n; i++ {
				*listed++
				if !yield(i, nil) {
					return
				}
			}
			if fail != nil {
				yield(0, fail)
			}
		}
	}
	return &seqPager[int]{list: list, row: func(i int) []string { return []string{strconv.Itoa(i)} },
		key: func(row []string) string { return "n " + row[0] }, per: 2, have: "the listing holds %d now"}
}

// page asks p for the page at cursor ("": the first) and returns its rows'
// first cells.
func page(p *seqPager[int], cursor string) (string, string, bool, error) {
	var c json.RawMessage
	if cursor != "" {
		c = json.RawMessage(cursor)
	}
	rows, next, more, err := p.Page(context.Background(), c)
	var cells []string
	for _, r := range rows {
		cells = append(cells, r[0])
	}
	return fmt.Sprint(cells), string(next), more, err
}

// Pages of per rows, the cursor counting the rows written; the last page
// says there is no more.
func TestSeqPagerPages(t *testing.T) {
	var listed int
	p := numberPager(5, &listed, nil)
	defer p.close()
	var got []string
	for cursor, more := "", true; more; {
		var rows string
		var err error
		rows, cursor, more, err = page(p, cursor)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rows+" "+cursor)
	}
	if want := "[[1 2] 2 [3 4] 4 [5] 5]"; fmt.Sprint(got) != want || listed != 5 {
		t.Fatalf("pages %v (%d listed), want %s", got, listed, want)
	}
	if k := p.RowKey([]string{"3"}); k != "n 3" {
		t.Fatalf("RowKey %q", k)
	}
}

// A resumed export lists the rows already written again and skips them; a
// listing that holds fewer now, a cursor behind it and the listing's error
// stop the export.
func TestSeqPagerResumes(t *testing.T) {
	var listed int
	p := numberPager(5, &listed, nil)
	defer p.close()
	rows, next, more, err := page(p, "3")
	if err != nil || rows != "[4 5]" || next != "5" || !more || listed != 5 {
		t.Fatalf("rows %v next %s more %v err %v, %d listed: want the 3 written listed again and skipped", rows, next, more, err, listed)
	}
	if _, _, _, err := page(p, "2"); err == nil || err.Error() != "cursor 2 is behind the listing (5)" {
		t.Fatalf("a cursor behind: %v", err)
	}

	short := numberPager(2, &listed, nil)
	defer short.close()
	if _, _, _, err := page(short, "4"); err == nil || err.Error() != "the listing holds 2 now, fewer than the 4 already written" {
		t.Fatalf("a listing that shrank: %v", err)
	}

	refused := errors.New("refused")
	for _, cursor := range []string{"", "1", "3"} { // on the page, at its end, while skipping
		p := numberPager(1, &listed, refused)
		if _, _, _, err := page(p, cursor); !errors.Is(err, refused) {
			t.Errorf("cursor %q: %v, want the listing's error", cursor, err)
		}
		p.close()
	}
	if _, _, _, err := page(numberPager(2, &listed, nil), "x"); err == nil {
		t.Fatal("a cursor that is not a number")
	}
}
