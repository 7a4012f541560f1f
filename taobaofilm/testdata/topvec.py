"""The TOP signing rules the vector generators share, written from TOP's
documentation with hashlib/hmac only (nothing of package taobaofilm):
sign() returns the signed string (params sorted by name, k1v1k2v2..., raw
UTF-8, sign left out) and the upper-case hex signature (md5:
MD5(secret+s+secret); hmac: HMAC-MD5; hmac-sha256: HMAC-SHA256); body()
returns the form the client is expected to send (every param but timestamp
in name order, then timestamp, then sign, each name=value encoded with
urllib.parse.quote_plus(safe='')). Importing it checks the published TOP
vector (secret "test", MD5 72CB4D809B375A54502C09360D879C64) and stops if it
is not reproduced. SECRET and TS are the cases' secret and timestamp.
"""
import hashlib
import hmac
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
