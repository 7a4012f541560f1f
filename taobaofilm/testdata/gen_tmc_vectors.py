#!/usr/bin/env python3
"""Independent TOP request vectors for the TMC calls of package taobaofilm.

Run from this directory:  python3 gen_tmc_vectors.py > tmc_vectors.json

Same rules as gen_vectors.py (written once in topvec.py): each case lists the parameters a request must
carry (common and business, without sign), the exact string that is signed
(params sorted by name, k1v1k2v2..., raw UTF-8), the signature computed here
with hashlib/hmac (md5: MD5(secret+s+secret); hmac: HMAC-MD5; hmac-sha256:
HMAC-SHA256; upper-case hex), and the exact form body the client is expected
to send: every param but timestamp in name order, then timestamp, then sign,
each name=value encoded with urllib.parse.quote_plus(safe='').
The published TOP vector (secret "test", MD5 72CB4D809B375A54502C09360D879C64)
is checked first; the script stops if it is not reproduced.
"""
import json
import sys

from topvec import SECRET, TS, body, sign

def common(method, sign_method):
    return {"method": method, "app_key": "12345678", "session": "会话 token+1&x",
            "timestamp": TS, "v": "2.0", "sign_method": sign_method, "format": "json"}


permit = common("taobao.tmc.user.permit", "md5")
permit["topics"] = "taobao_trade_TradeCreate,taobao_refund_RefundCreate"

consume = common("taobao.tmc.messages.consume", "hmac")
consume["group_name"] = "vip_user"
consume["quantity"] = "100"

confirm = common("taobao.tmc.messages.confirm", "hmac-sha256")
confirm["group_name"] = "vip_user"
confirm["s_message_ids"] = "123456789,7100000000001"

out = []
for name, p in [("permit md5", permit), ("consume hmac", consume), ("confirm hmac-sha256", confirm)]:
    s, sig = sign(p["sign_method"], p, SECRET)
    out.append({"name": name, "secret": SECRET, "params": p, "string": s, "sign": sig, "body": body(p, sig)})
json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
print()
