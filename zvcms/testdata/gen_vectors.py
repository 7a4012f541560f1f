#!/usr/bin/env python3
"""Computes zvcms/testdata/vectors.json outside Go (Python 3 standard library
and openssl), so the Go tests never check the code against its own output.

Run from this directory:  python3 gen_vectors.py
"""
import base64, hashlib, hmac, json, subprocess, urllib.parse


def token(open_key, open_id, grant, ts, nonce):
    msg = f"grantCode={grant}&nonce={nonce}&openId={open_id}&timestamp={ts}"
    mac = hmac.new(open_key.encode(), msg.encode(), hashlib.sha1).digest()
    # cross-check with openssl
    out = subprocess.run(["openssl", "dgst", "-sha1", "-hmac", open_key, "-binary"],
                         input=msg.encode(), capture_output=True, check=True).stdout
    if out != mac:
        raise SystemExit("openssl and hmac disagree for " + msg)
    b64 = base64.b64encode(mac).decode()
    return msg, b64, urllib.parse.quote(b64, safe="")


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


vectors = []
for name, key, oid, grant, ts, nonce, params in [
    ("doc credentials, query", "zvcms-test-open-key", "6dc05b4ac175cf316d226252b05cf685", "782c281f62",
     "1547186244", "658965",
     {"customerId": "383933091455959041", "useStatus": 0, "cardId": "390913445498200065"}),
    ("query without filters", "k3y/with+chars=", "open_10001", "grant_abc", "1717200000", "2147483647",
     {"customerId": "383933091455959041"}),
    ("chinese key", "开放密钥", "OID-42", "GC-7", "1700000000", "1",
     {"customerId": "客户1", "useStatus": 2}),
]:
    msg, b64, tok = token(key, oid, grant, ts, nonce)
    body = ('{"openId":' + compact(oid) + ',"grantCode":' + compact(grant) +
            ',"timestamp":' + compact(ts) + ',"nonce":' + compact(nonce) +
            ',"token":' + compact(tok) + ',"params":' + compact(params) + '}')
    vectors.append({"name": name, "openKey": key, "openId": oid, "grantCode": grant,
                    "timestamp": ts, "nonce": nonce, "message": msg, "base64": b64,
                    "token": tok, "params": params, "body": body})

with open("vectors.json", "w", encoding="utf-8") as f:
    json.dump({"vectors": vectors}, f, ensure_ascii=False, indent=2)
    f.write("\n")
