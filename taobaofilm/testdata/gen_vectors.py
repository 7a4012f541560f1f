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
