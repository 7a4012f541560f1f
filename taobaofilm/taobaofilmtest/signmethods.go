package taobaofilmtest

import (
	"strings"

	"github.com/couponkit/couponkit/internal/sign"
)

// signMethodAccepted reports whether Config.SignMethods lets method through.
func (s *Server) signMethodAccepted(method sign.TOPMethod) bool {
	if s.cfg.SignMethods == "" {
		return true
	}
	for m := range strings.SplitSeq(s.cfg.SignMethods, ",") {
		if sign.TOPMethod(strings.TrimSpace(m)) == method {
			return true
		}
	}
	return false
}
