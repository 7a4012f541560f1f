package ebuytest

import (
	"strconv"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/jsonx"
)

var _ = areas.Add(queryRoutes)

// queryRoutes are the routes of this file's APIs: reads, never
// de-duplicated.
func queryRoutes(Config) []route {
	return []route{
		at("_getBrandProductDetailDirect", handler{do: (*Server).productDetail}),
		at("_queryCodeDetailList", handler{do: (*Server).codeHistory}),
	}
}

func (s *Server) productDetail(req *request) (any, *apiError) {
	var in struct {
		ProductID jsonx.Flex `json:"productId"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	id, err := strconv.ParseInt(string(in.ProductID), 10, 64)
	if err != nil {
		return nil, fail(ebuy.ErrCodeParamInvalid, "productId must be an integer")
	}
	s.mu.Lock()
	p, ok := s.products[ebuy.TicketID(id)]
	s.mu.Unlock()
	if !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "产品不存在[%d]", id)
	}
	return struct {
		ProductID     int64  `json:"productId"`
		ProductName   string `json:"productName"`
		ProductType   string `json:"productType"`
		UseTimes      int    `json:"useTimes"`
		BrandID       string `json:"brandId"`
		BrandName     string `json:"brandName"`
		SendChannelID string `json:"sendChannelId"`
		FaceValue     int64  `json:"faceValue"`
	}{int64(p.ID), p.Name, p.Type, p.UseTimes, s.cfg.BrandID, p.BrandName, "ebuytest", int64(p.FaceValue)}, nil
}

func (s *Server) codeHistory(req *request) (any, *apiError) {
	var in struct {
		Code string `json:"code"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[in.Code]
	if !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "券码不存在[%s]", in.Code)
	}
	type record struct {
		DateTime   string `json:"dateTime"`
		ReturnCode string `json:"returnCode"`
		ReturnMsg  string `json:"returnMsg"`
		Code       string `json:"code"`
		Mid        string `json:"mid"`
		ShopName   string `json:"shopName"`
		Type       string `json:"type"`
		ShopNo     string `json:"shopNo"`
		Tid        string `json:"tid"`
		Swift      string `json:"swift"`
	}
	out := struct {
		ReturnCode string   `json:"returnCode"`
		TransTime  int64    `json:"transTime"`
		RequestID  string   `json:"requestId"`
		ReturnData []record `json:"returnData"`
	}{ReturnCode: "00", TransTime: s.now().UnixMilli(), RequestID: req.uuid, ReturnData: make([]record, 0, len(c.history))}
	for _, h := range c.history {
		out.ReturnData = append(out.ReturnData, record{DateTime: compact(h.at), ReturnCode: h.returnCode, ReturnMsg: h.msg, Code: c.code,
			Mid: h.mid, ShopName: h.shopName, Type: h.typ, ShopNo: h.shopNo, Tid: h.terminalID, Swift: h.serialNo})
	}
	return out, nil
}
