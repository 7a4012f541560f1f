package taobaofilmtest

import (
	"errors"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
)

// Batch is a seeded batch of codes. Its codes are not stored: code n (its
// sequence, from 1 to Count) and its state are computed from Seed and n when a
// page is served, so a batch of any size costs the same memory. Codes changed
// through the Server (Redeem) are the only ones kept.
type Batch struct {
	// MixID is the batch's obfuscated goods id (mix_id). Required, unique.
	MixID string
	// PartnerCode is the channel code a request must name (partner_code).
	// Required.
	PartnerCode string
	// Name and Description are returned in basic as they are.
	Name, Description string
	// Denomination is a code's face value (denomination in basic, and
	// cost_price of issued codes), in fen.
	Denomination couponkit.Fen
	// Count is the number of codes (total_count).
	Count int64
	// MaxBindCount, ValidDays and ValidDurationType ("GENERAL" or "DAY") are
	// returned in basic as they are.
	MaxBindCount, ValidDays int64
	ValidDurationType       string
	// BindBegin and Expire are bind_begin_time and coupon_expire_time; codes'
	// gmt_modified falls between them.
	BindBegin, Expire time.Time
	// Seed selects the codes and their states.
	Seed uint64
	// RedeemedPercent, ExpiredPercent and InvalidPercent are the shares of
	// codes (0-100 together) with code_status 2, -1 and -2; the others are 0
	// (normal). Redeemed codes are bound; of the normal ones, BoundPercent are.
	RedeemedPercent, ExpiredPercent, InvalidPercent, BoundPercent int
}

// DefaultBatch is the batch a Server holds when Config.Batches is empty: the
// vendor page's example batch (mix_id code_8ebc4e741689bbc1, partner code
// xuexiqiangguo, 4.00 yuan) with 250 codes, a fifth of them redeemed.
func DefaultBatch() Batch {
	return Batch{
		MixID:             DefaultMixID,
		PartnerCode:       DefaultPartnerCode,
		Name:              "淘票票示例活动",
		Description:       "券码描述",
		Denomination:      400,
		Count:             250,
		MaxBindCount:      4,
		ValidDays:         1,
		ValidDurationType: "DAY",
		BindBegin:         time.Date(2019, 12, 1, 0, 0, 0, 0, cntime.Location()),
		Expire:            time.Date(2019, 12, 2, 23, 59, 59, 0, cntime.Location()),
		Seed:              1,
		RedeemedPercent:   20,
		ExpiredPercent:    5,
		InvalidPercent:    2,
		BoundPercent:      30,
	}
}

func (b *Batch) validate() error {
	switch {
	case b.MixID == "":
		return errors.New("taobaofilmtest: Batch.MixID is required")
	case b.PartnerCode == "":
		return errors.New("taobaofilmtest: Batch.PartnerCode is required")
	case b.Count < 0:
		return errors.New("taobaofilmtest: Batch.Count is negative")
	case b.RedeemedPercent < 0 || b.ExpiredPercent < 0 || b.InvalidPercent < 0 || b.BoundPercent < 0 ||
		b.RedeemedPercent+b.ExpiredPercent+b.InvalidPercent > 100 || b.BoundPercent > 100:
		return errors.New("taobaofilmtest: Batch percentages out of range")
	}
	return nil
}

// Code states, as the vendor numbers them.
const (
	statusInvalid  = -2
	statusExpired  = -1
	statusNormal   = 0
	statusRedeemed = 2
	bindUnbound    = -1
	bindBound      = 0
)

// codeState is one code as served.
type codeState struct {
	status, bind int
	modified     time.Time
}

// codeAlphabet has 32 symbols without 0, 1, I and O, like the vendor's
// example code 2X2QFKTZD2K.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// codeLen symbols of 5 bits hold the 55-bit permuted sequence.
const codeLen = 11

const mask55 = 1<<55 - 1

// appendCode appends code n of the batch: a bijection of n on 55 bits, so
// codes never repeat within a batch.
func (b *Batch) appendCode(dst []byte, n int64) []byte {
	x := (uint64(n) ^ (b.Seed*0x9E3779B97F4A7C15 + 0x6A09E667F3BCC909)) & mask55
	x = (x * 0x5DEECE66D1) & mask55 // odd: a bijection modulo 2^55
	x ^= x >> 29
	x = (x * 0x2545F4914F6CDD1D) & mask55
	x ^= x >> 32
	var out [codeLen]byte
	for i := codeLen - 1; i >= 0; i-- {
		out[i] = codeAlphabet[x&31]
		x >>= 5
	}
	return append(dst, out[:]...)
}

// mix is splitmix64 of the seed and n.
func mix(seed uint64, n int64) uint64 {
	z := seed + uint64(n)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// seeded returns code n's state as seeded.
func (b *Batch) seeded(n int64) codeState {
	h := mix(b.Seed, n)
	p := int(h % 100)
	var st codeState
	switch {
	case p < b.RedeemedPercent:
		st.status, st.bind = statusRedeemed, bindBound
	case p < b.RedeemedPercent+b.ExpiredPercent:
		st.status, st.bind = statusExpired, bindUnbound
	case p < b.RedeemedPercent+b.ExpiredPercent+b.InvalidPercent:
		st.status, st.bind = statusInvalid, bindUnbound
	default:
		st.status, st.bind = statusNormal, bindUnbound
		if int((h>>32)%100) < b.BoundPercent {
			st.bind = bindBound
		}
	}
	st.modified = b.BindBegin
	if span := int64(b.Expire.Sub(b.BindBegin) / time.Second); span > 0 {
		st.modified = b.BindBegin.Add(time.Duration(int64((h>>16)%uint64(span))) * time.Second)
	}
	return st
}
