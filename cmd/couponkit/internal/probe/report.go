package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Report is what a probe run found.
type Report struct {
	// Version is couponkit's version.
	Version string `json:"version"`
	Vendor  string `json:"vendor"`
	// Gateway is the gateway's host (and port).
	Gateway string `json:"gateway"`
	// TestGateway says the checks that need a test gateway could run.
	TestGateway bool `json:"testGateway"`
	// Date is when the run started, Beijing time, RFC 3339.
	Date string `json:"date"`
	// Writes says the run was allowed to write.
	Writes bool     `json:"writes"`
	Points []Result `json:"points"`
	// Transcript is every exchange of the run, redacted, in order.
	Transcript []Exchange `json:"-"`
}

// Result is one point's finding.
type Result struct {
	ID     string `json:"id"`
	Mark   string `json:"mark"`
	Claim  string `json:"claim"`
	Option string `json:"option,omitempty"`
	Status Status `json:"status"`
	// Seen is what the gateway did.
	Seen string `json:"seen"`
	// Evidence are the point's exchanges, redacted.
	Evidence []Exchange `json:"evidence,omitempty"`
}

// Point returns the result of point id, or nil.
func (r *Report) Point(id string) *Result {
	for i := range r.Points {
		if r.Points[i].ID == id {
			return &r.Points[i]
		}
	}
	return nil
}

// Counts returns how many points have each status.
func (r *Report) Counts() map[Status]int {
	out := map[Status]int{}
	for _, p := range r.Points {
		out[p.Status]++
	}
	return out
}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// maxShown bounds a body shown in the Markdown report; the JSON report and
// the transcript keep it whole.
const maxShown = 2000

// WriteMarkdown writes the report for people.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# couponkit probe: %s\n\n", r.Vendor)
	fmt.Fprintf(&b, "- couponkit %s\n- gateway %s", r.Version, r.Gateway)
	if r.TestGateway {
		b.WriteString(" (test gateway)")
	}
	fmt.Fprintf(&b, "\n- date %s\n- writes: %t\n", r.Date, r.Writes)
	c := r.Counts()
	fmt.Fprintf(&b, "- %d known, %d contradicted, %d open\n\n", c[Known], c[Contradicted], c[Open])
	b.WriteString("| point | mark | status | seen |\n|---|---|---|---|\n")
	for _, p := range r.Points {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", p.ID, p.Mark, p.Status, cell(p.Seen))
	}
	for _, p := range r.Points {
		fmt.Fprintf(&b, "\n## %s: %s\n\n", p.ID, p.Status)
		fmt.Fprintf(&b, "Our docs [%s]: %s\n", p.Mark, p.Claim)
		if p.Option != "" {
			fmt.Fprintf(&b, "\nOption: %s\n", p.Option)
		}
		fmt.Fprintf(&b, "\nSeen: %s\n", p.Seen)
		for i, ex := range p.Evidence {
			fmt.Fprintf(&b, "\n%d. %s: %s %s → ", i+1, ex.Call, ex.Method, ex.URL)
			if ex.Error != "" {
				fmt.Fprintf(&b, "no answer: %s\n", ex.Error)
			} else {
				fmt.Fprintf(&b, "HTTP %d\n", ex.Status)
			}
			if ex.RequestBody != "" {
				fmt.Fprintf(&b, "\n   ```\n   %s\n   ```\n", shown(ex.RequestBody))
			}
			if ex.ResponseBody != "" {
				fmt.Fprintf(&b, "\n   ```\n   %s\n   ```\n", shown(ex.ResponseBody))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func shown(s string) string {
	if len(s) > maxShown {
		s = strings.ToValidUTF8(s[:maxShown], "") + "…"
	}
	s = strings.ReplaceAll(s, "```", "` ` `")
	return strings.ReplaceAll(s, "\n", "\n   ")
}
