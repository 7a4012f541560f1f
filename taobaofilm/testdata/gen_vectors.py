#!/usr/bin/env python3
"""Independent TOP request vectors for package taobaofilm.

Run from this directory:  python3 gen_vectors.py > vectors.json

Each case lists the parameters a request must carry (common and business,
without sign), the exact string that is signed (params sorted by name,
k1v1k2v2..., raw UTF-8), the signature computed here with hashlib/hmac
(md5: MD5(secret+s+secret); hmac: HMAC-MD5; hmac-sha256: HMAC-SHA256;
upper-case hex), and the exact form body the client is expected to send:
every param but timestamp in name order, then timestamp, then sign, each
name=value encoded with urllib.parse.quote_plus(safe='').
The published TOP vector (secret "test", MD5 72CB4D809B375A54502C09360D879C64)
is checked first; the script stops if it is not reproduced. The rules are
written once in topvec.py, which gen_tmc_vectors.py shares.
"""
import json
import sys

from topvec import SECRET, TS, body, sign

ext = json.dumps({"last_sequence": 100, "备注": "影院 A+B & C"},
                 separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def export_case(name, method, simplify):
    p = {"method": "taobao.film.fcode.export.query", "app_key": "12345678",
         "session": "会话 token+1&x", "partner_id": "top-sdk-go", "timestamp": TS,
         "v": "2.0", "sign_method": method, "format": "json",
         "mix_id": "券码 mix+1&2", "partner_code": "影院 A+B & C",
         "operate_type": "ALL", "params": ext}
    if simplify:
        p["simplify"] = "true"
    return name, method, p


def call_case(name, keep_empty):
    p = {"method": "taobao.film.fcode.merchant.send", "app_key": "12345678",
         "timestamp": TS, "v": "2.0", "sign_method": "hmac-sha256", "format": "json",
         "order_no": "订单 1+1", "mobile": "138 0000 0000"}
    if keep_empty:
        p["memo"] = ""
    return name, "hmac-sha256", p


cases = [
    export_case("export md5", "md5", False),
    export_case("export hmac", "hmac", False),
    export_case("export hmac-sha256 simplify", "hmac-sha256", True),
    call_case("call empty value dropped", False),
    call_case("call empty value kept", True),
]
out = []
for name, method, p in cases:
    s, sig = sign(method, p, SECRET)
    out.append({"name": name, "secret": SECRET, "params": p, "string": s,
                "sign": sig, "body": body(p, sig)})
json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
print()
