package houcaller_test

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/calltest"
)

// listHbsChildInfo: the page's param and response examples (the stored copy
// of the response is cut after interest; the fields after it are ours).
const childData = `{"unbindList":[],"childList":[{"bindChannel":"card","bindTime":"2020-01-16 10:41:03","birthday":"2020-01-16",` +
	`"cardNo":"HCM0004931865","cardNoCipher":"81ab10a2d583efaf4c5b9f1a19fa432a","constellation":"摩羯座","id":"5cbd118f2f207220b467a244",` +
	`"inputDate":"2019-04-22 08:57:10","interest":"唱歌;书法;棋艺;","name":"小明","orgCode":"0201","password":"123456","relation":"父子",` +
	`"scoCardNo":"8800001","scoMemberId":"JBLE18FNU0008","sex":"男","state":"1","zodiac":"鼠"}]}`

var _ = calls.Add(calltest.Call[*fixture]{Method: "ChildCards", Request: &houcaller.ChildCardsRequest{MemberID: "JBLE18FNU0008"}, Wire: `{"memberId":"JBLE18FNU0008"}`,
	Answers: []calltest.Answer{{Data: childData, Want: houcaller.ChildCardsResult{Bound: []houcaller.ChildCard{{CardNo: "HCM0004931865", Name: "小明",
		Sex: "男", Relation: "父子", Birthday: at("2020-01-16"), State: "1", BindChannel: "card", BoundAt: at("2020-01-16 10:41:03"), OrgCode: "0201"}}}}},
	Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"unbindList":[]}`, `{"childList":[{"name":"小明"}]}`, `{"childList":[],"unbindList":[{}]}`},
	Invalid: []calltest.Invalid{{Field: "MemberID", Request: &houcaller.ChildCardsRequest{MemberID: " "}}}})

// A member's children's club cards, bound and once bound.
func ExampleClient_ChildCards() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	srv.AddChildCard("JBLE18FNU0008", houcaller.ChildCard{CardNo: "HCM0004931865", Name: "小明", BindChannel: "card"}, true)
	srv.AddChildCard("JBLE18FNU0008", houcaller.ChildCard{CardNo: "HCM0004931866", Name: "小红"}, false)

	res, err := c.ChildCards(context.Background(), &houcaller.ChildCardsRequest{MemberID: "JBLE18FNU0008"})
	if err != nil {
		panic(err)
	}
	fmt.Println("bound:", res.Bound[0].CardNo, res.Bound[0].Name, "unbound:", res.Unbound[0].CardNo)
	// Output: bound: HCM0004931865 小明 unbound: HCM0004931866
}
