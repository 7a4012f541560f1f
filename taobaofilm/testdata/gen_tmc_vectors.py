#!/usr/bin/env python3
"""Independent TOP request vectors for the TMC calls of package taobaofilm.

Run from this directory:  python3 gen_tmc_vectors.py > tmc_vectors.json

Same rules as gen_vectors.py: each case lists the parameters a request must
carry (common and business, without sign), the exact string that is signed
(params sorted by name, k1v1k2v2..., raw UTF-8), the signature computed here
with hashlib/hmac (md5: MD5(secret+s+secret); hmac: HMAC-MD5; hmac-sha256:
HMAC-SHA256; upper-case hex), and the exact form body the client is expected
to send: every param but timestamp in name order, then timestamp, then sign,
each name=value encoded with urllib.parse.quote_plus(safe='').
The published TOP vector (secret "test", MD5 72CB4D809B375A54502C09360D879C64)
is checked first; the script stops if it is not reproduced.
"""
import hashlib
import hmac
import json
import sys
from urllib.parse import quote_plus


def sign(method, params, secret):
    s = "".join(k + v for k, v in sorted(params.items()) if k != "sign")
    if method == "md5":
        d = hashlib.md5((secret + s + secret).encode()).hexdigest()
    elif method == "hmac":
        d = hmac.new(secret.encode(), s.encode(), hashlib.md5).hexdigest()
    elif method == "hmac-sha256":
        d = hmac.new(secret.encode(), s.encode(), hashlib.sha256).hexdigest()
    else:
        raise ValueError(method)
    return s, d.upper()


def body(params, sig):
    parts = [quote_plus(k, safe="") + "=" + quote_plus(v, safe="")
             for k, v in sorted(params.items()) if k != "timestamp"]
    parts.append("timestamp=" + quote_plus(params["timestamp"], safe=""))
    parts.append("sign=" + sig)
    return "&".join(parts)


published = {"method": "taobao.user.seller.get", "timestamp": "2013-05-06 13:52:03",
             "format": "xml", "app_key": "test", "v": "2.0", "fields": "nick",
             "sign_method": "md5", "session": "test"}
if sign("md5", published, "test")[1] != "72CB4D809B375A54502C09360D879C64":
    sys.exit("published TOP vector not reproduced")

SECRET = "s3cr3t+密钥&"
TS = "2024-06-01 08:00:00"


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
