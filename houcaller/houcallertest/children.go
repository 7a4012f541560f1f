package houcallertest

import (
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/fakekit"
)

var _ = areas.Add(func(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{lookup(houcaller.EndpointChildCards, "memberId", childCards)}
})

// AddChildCard gives memberID the children's club card, bound or once
// bound (unbound), listed by listHbsChildInfo in the order added.
func (s *Server) AddChildCard(memberID string, card houcaller.ChildCard, bound bool) {
	wire := map[string]any{"bindChannel": card.BindChannel, "bindTime": timeOrEmpty(card.BoundAt), "birthday": dateOrEmpty(card.Birthday),
		"cardNo": card.CardNo, "name": card.Name, "orgCode": card.OrgCode, "password": "000000", "relation": card.Relation,
		"scoMemberId": memberID, "sex": card.Sex, "state": card.State}
	s.lookups.Add(houcaller.EndpointChildCards, memberID, childCard{bound, wire})
}

// childCard is a card as listHbsChildInfo writes it, and its list.
type childCard struct {
	bound bool
	wire  map[string]any
}

// childCards is listHbsChildInfo's data: {"unbindList": […], "childList": […]}.
func childCards(found []any) any {
	lists := map[bool][]any{true: {}, false: {}}
	for _, f := range found {
		c := f.(childCard)
		lists[c.bound] = append(lists[c.bound], c.wire)
	}
	return map[string]any{"unbindList": lists[false], "childList": lists[true]}
}
