package sign

import (
	"crypto/cipher"
	"crypto/des"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
)

// DESMode is a DES block cipher mode.
type DESMode int

// DES modes. The zero value is DESECB.
const (
	// DESECB encrypts each 8-byte block independently (no IV). It is the
	// [likely] default for Houcaller: its ciphertexts have lengths that are
	// multiples of 8 and equal plaintext prefixes give equal first blocks.
	DESECB DESMode = iota
	// DESCBC chains blocks with an 8-byte IV given to NewDES.
	DESCBC
)

// Padding is a block padding scheme.
type Padding int

// Padding schemes. The zero value is PKCS5.
const (
	// PKCS5 appends n bytes of value n (1 ≤ n ≤ 8), so a full block of 0x08
	// is added when the plaintext is already a multiple of 8 bytes. It is the
	// [likely] default for Houcaller (Java's DES/ECB/PKCS5Padding).
	PKCS5 Padding = iota
	// ZeroPadding appends 0x00 bytes up to the next multiple of 8; nothing is
	// added when the plaintext is already a multiple of 8 bytes, so an empty
	// plaintext gives an empty ciphertext. Decryption strips every trailing
	// 0x00 byte, so plaintexts that end in 0x00 do not round-trip.
	ZeroPadding
)

// DESCipher encrypts and decrypts with a fixed DES key, mode and padding,
// using hex as the transport encoding. It is immutable once created and safe
// for concurrent use.
type DESCipher struct {
	block cipher.Block
	mode  DESMode
	iv    []byte // CBC only; a private copy
	pad   Padding
}

// Errors returned by DecryptHex, wrapped with detail that never contains key
// material.
var (
	errDESHex     = errors.New("sign: DES ciphertext is not valid hex")
	errDESLength  = errors.New("sign: DES ciphertext length is not a positive multiple of 8 bytes")
	errDESPadding = errors.New("sign: DES plaintext has invalid PKCS5 padding")
)

// NewDES returns a DESCipher for key (exactly 8 bytes), mode and padding.
// In DESCBC mode iv must be exactly 8 bytes; in DESECB mode iv must be nil or
// empty. key and iv are copied. Errors state the offending length only, never
// the key or IV bytes.
func NewDES(key []byte, mode DESMode, iv []byte, pad Padding) (*DESCipher, error) {
	if len(key) != des.BlockSize {
		return nil, fmt.Errorf("sign: DES key must be 8 bytes, got %d", len(key))
	}
	switch mode {
	case DESECB:
		if len(iv) != 0 {
			return nil, fmt.Errorf("sign: DES ECB mode takes no IV, got %d bytes", len(iv))
		}
	case DESCBC:
		if len(iv) != des.BlockSize {
			return nil, fmt.Errorf("sign: DES CBC IV must be 8 bytes, got %d", len(iv))
		}
	default:
		return nil, fmt.Errorf("sign: unknown DES mode %d", int(mode))
	}
	if pad != PKCS5 && pad != ZeroPadding {
		return nil, fmt.Errorf("sign: unknown padding %d", int(pad))
	}
	block, err := des.NewCipher(key)
	if err != nil {
		// Unreachable with an 8-byte key; do not echo the key.
		return nil, errors.New("sign: DES key rejected")
	}
	c := &DESCipher{block: block, mode: mode, pad: pad}
	if mode == DESCBC {
		c.iv = slices.Clone(iv)
	}
	return c, nil
}

// EncryptHex pads and encrypts plain and returns the ciphertext as UPPERCASE
// hex.
func (c *DESCipher) EncryptHex(plain []byte) string {
	return string(c.AppendEncryptHex(nil, plain))
}

// AppendEncryptHex appends the UPPERCASE hex ciphertext of plain to dst and
// returns the extended slice, like [DESCipher.EncryptHex]. It allocates only
// when dst lacks capacity. plain and dst must not overlap.
func (c *DESCipher) AppendEncryptHex(dst, plain []byte) []byte {
	n := c.paddedLen(len(plain))
	start := len(dst)
	dst = slices.Grow(dst, 2*n)[:start+2*n]
	out := dst[start:]
	// Encrypt into the second half of the appended region, then hex-encode
	// forward: writing out[2i:2i+2] only overwrites ciphertext bytes at
	// indexes ≤ i, which have already been read.
	ct := out[n:]
	copy(ct, plain)
	for i := len(plain); i < n; i++ {
		if c.pad == PKCS5 {
			ct[i] = byte(n - len(plain))
		} else {
			ct[i] = 0
		}
	}
	c.crypt(ct, true)
	for i := 0; i < n; i++ {
		b := ct[i]
		out[2*i] = upperHexDigits[b>>4]
		out[2*i+1] = upperHexDigits[b&0x0f]
	}
	return dst
}

// DecryptHex decodes hexText (upper or lower case), decrypts it and removes
// the padding. It returns an error for invalid hex, a ciphertext whose length
// is not a multiple of 8 bytes (or is empty, with PKCS5), and invalid PKCS5
// padding. Error texts never contain key material or plaintext.
func (c *DESCipher) DecryptHex(hexText string) ([]byte, error) {
	if len(hexText)%2 != 0 {
		return nil, fmt.Errorf("%w: odd length %d", errDESHex, len(hexText))
	}
	buf := make([]byte, len(hexText)/2)
	if _, err := hex.Decode(buf, []byte(hexText)); err != nil {
		return nil, errDESHex
	}
	if len(buf)%des.BlockSize != 0 || (len(buf) == 0 && c.pad == PKCS5) {
		return nil, fmt.Errorf("%w: got %d", errDESLength, len(buf))
	}
	c.crypt(buf, false)
	if c.pad == ZeroPadding {
		end := len(buf)
		for end > 0 && buf[end-1] == 0 {
			end--
		}
		return buf[:end], nil
	}
	p := int(buf[len(buf)-1])
	if p < 1 || p > des.BlockSize {
		return nil, errDESPadding
	}
	for _, b := range buf[len(buf)-p:] {
		if int(b) != p {
			return nil, errDESPadding
		}
	}
	return buf[:len(buf)-p], nil
}

// paddedLen returns the ciphertext length for a plaintext of n bytes.
func (c *DESCipher) paddedLen(n int) int {
	if c.pad == ZeroPadding {
		return (n + des.BlockSize - 1) / des.BlockSize * des.BlockSize
	}
	return (n/des.BlockSize + 1) * des.BlockSize
}

// crypt encrypts or decrypts buf in place; len(buf) is a multiple of 8.
func (c *DESCipher) crypt(buf []byte, encrypt bool) {
	if c.mode == DESCBC {
		if encrypt {
			cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(buf, buf)
		} else {
			cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(buf, buf)
		}
		return
	}
	// ECB: crypto/cipher has no ECB mode, so apply the block cipher to each
	// block in turn.
	for i := 0; i < len(buf); i += des.BlockSize {
		blk := buf[i : i+des.BlockSize]
		if encrypt {
			c.block.Encrypt(blk, blk)
		} else {
			c.block.Decrypt(blk, blk)
		}
	}
}
