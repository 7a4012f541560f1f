package suning

// The vendor's enumerations. Each type's value is the wire value; the empty
// string means "not set" and fails validation where the field is required.
// String returns a readable English name, not the wire value.

// OperateType is operateType: what suning.custom.appoint.create does. The
// Create, Modify and Stop calls set it.
type OperateType string

const (
	// OperateCreate (01, 新建) creates an activity.
	OperateCreate OperateType = "01"
	// OperateModify (02, 修改) modifies an activity; actionId is required.
	OperateModify OperateType = "02"
	// OperateStop (03, 停用) stops an activity; actionId is required.
	OperateStop OperateType = "03"
)

// String returns "create", "modify", "stop", or the raw value.
func (t OperateType) String() string {
	switch t {
	case OperateCreate:
		return "create"
	case OperateModify:
		return "modify"
	case OperateStop:
		return "stop"
	}
	return string(t)
}

// ActionType is actionType, the kind of appointment activity.
type ActionType string

// ActionTypeNormal (0, 普通预约) is an ordinary appointment, the only kind documented.
const ActionTypeNormal ActionType = "0"

// String returns "normal" or the raw value.
func (t ActionType) String() string {
	if t == ActionTypeNormal {
		return "normal"
	}
	return string(t)
}

// Terminal is adapteTerminal, the terminals the activity runs on.
type Terminal string

const (
	// TerminalPC (1) is PC only.
	TerminalPC Terminal = "1"
	// TerminalMobile (2, 移动) is mobile only.
	TerminalMobile Terminal = "2"
	// TerminalPCAndMobile (3, PC+移动) is both.
	TerminalPCAndMobile Terminal = "3"
)

// String returns "pc", "mobile", "pc+mobile", or the raw value.
func (t Terminal) String() string {
	switch t {
	case TerminalPC:
		return "pc"
	case TerminalMobile:
		return "mobile"
	case TerminalPCAndMobile:
		return "pc+mobile"
	}
	return string(t)
}

// VendorType is vendorType, the merchant's business model.
type VendorType string

const (
	// VendorSelfOperated (00, 自营) is Suning's own retail.
	VendorSelfOperated VendorType = "00"
	// VendorCMode (10, C模式) is the C mode.
	VendorCMode VendorType = "10"
	// VendorSWL (20, SWL模式) is the SWL mode.
	VendorSWL VendorType = "20"
	// VendorOverseas (30, 海外购模式) is cross-border (overseas purchase).
	VendorOverseas VendorType = "30"
	// VendorOnlineJoint (50, 线上联营) is online joint operation.
	VendorOnlineJoint VendorType = "50"
)

// String returns a readable name or the raw value.
func (t VendorType) String() string {
	switch t {
	case VendorSelfOperated:
		return "self-operated"
	case VendorCMode:
		return "c-mode"
	case VendorSWL:
		return "swl"
	case VendorOverseas:
		return "overseas"
	case VendorOnlineJoint:
		return "online-joint"
	}
	return string(t)
}

// TransitFlag is transitFlag: whether the goods are in transit. Note the
// vendor's encoding: 1 is yes and 2 is no.
type TransitFlag string

const (
	// TransitYes (1, 是): in transit.
	TransitYes TransitFlag = "1"
	// TransitNo (2, 否): not in transit.
	TransitNo TransitFlag = "2"
)

// String returns "yes", "no", or the raw value.
func (t TransitFlag) String() string { return yesNo(string(t), string(TransitYes), string(TransitNo)) }

// OtherTerminalSale is otherTerminalSale: whether the goods may also be sold
// through other channels.
type OtherTerminalSale string

const (
	// OtherTerminalSaleNo (0, 否): not sold elsewhere.
	OtherTerminalSaleNo OtherTerminalSale = "0"
	// OtherTerminalSaleYes (1, 是): also sold elsewhere.
	OtherTerminalSaleYes OtherTerminalSale = "1"
)

// String returns "yes", "no", or the raw value.
func (t OtherTerminalSale) String() string {
	return yesNo(string(t), string(OtherTerminalSaleYes), string(OtherTerminalSaleNo))
}

// PartType is partType, the kind of goods in the activity.
type PartType string

const (
	// PartSingle (00, 普通单商品) is an ordinary single goods.
	PartSingle PartType = "00"
	// PartSubCode (01, 通子码商品) is a goods with sub-codes (variants under a general code).
	PartSubCode PartType = "01"
	// PartCluster (02, 蔟商品) is a goods cluster.
	PartCluster PartType = "02"
	// PartBundle (03, 套餐商品) is a bundle; its parts go in SubGoods.
	PartBundle PartType = "03"
)

// String returns a readable name or the raw value.
func (t PartType) String() string {
	switch t {
	case PartSingle:
		return "single"
	case PartSubCode:
		return "sub-code"
	case PartCluster:
		return "cluster"
	case PartBundle:
		return "bundle"
	}
	return string(t)
}

// SendMsg is sendUserMsg and sendScalperMsg: whether a purchase-reminder
// text message is sent.
type SendMsg string

const (
	// SendMsgNo (0, 不发送): send nothing.
	SendMsgNo SendMsg = "0"
	// SendMsgYes (1, 发送): send the reminder.
	SendMsgYes SendMsg = "1"
)

// String returns "yes", "no", or the raw value.
func (t SendMsg) String() string { return yesNo(string(t), string(SendMsgYes), string(SendMsgNo)) }

// DefaultGoodsFlag is defaultGoodsFlags: whether a goods is the one shown on
// the channel page. Exactly one goods of an activity is flagged yes.
type DefaultGoodsFlag string

const (
	// DefaultGoodsNo (0, 否): not shown.
	DefaultGoodsNo DefaultGoodsFlag = "0"
	// DefaultGoodsYes (1, 是): the goods shown on the channel page.
	DefaultGoodsYes DefaultGoodsFlag = "1"
)

// String returns "yes", "no", or the raw value.
func (t DefaultGoodsFlag) String() string {
	return yesNo(string(t), string(DefaultGoodsYes), string(DefaultGoodsNo))
}

func yesNo(v, yes, no string) string {
	switch v {
	case yes:
		return "yes"
	case no:
		return "no"
	}
	return v
}
