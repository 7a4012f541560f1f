#!/usr/bin/env python3
"""Regenerates the test vectors in this directory.

Run from this directory:  python3 gen_vectors.py

Every expected value is computed twice, independently of the Go code:
once with an external tool (sha256sum, openssl dgst, openssl enc) and once
with the Python standard library (hashlib, hmac, base64, urllib.parse). The
script stops if the two disagree. DES has no Python stdlib implementation, so
DES vectors come from openssl enc alone and are checked by decrypting them
again with openssl enc -d. README.md lists the equivalent shell commands.
"""

import base64
import hashlib
import hmac
import json
import subprocess
import urllib.parse

LEGACY = ["-provider", "legacy", "-provider", "default"]


def run(args, data):
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def tool_hex(args, data):
    """First hex field of `sha256sum` / `openssl dgst -r` output."""
    return run(args, data).decode().split()[0]


def sha256sum(data):
    return tool_hex(["sha256sum"], data)


def openssl_md5(data):
    return tool_hex(["openssl", "dgst", "-md5", "-r"], data)


def openssl_hmac(digest, key, data):
    return tool_hex(["openssl", "dgst", "-" + digest, "-hmac", key, "-r"], data)


def same(a, b, what):
    if a.lower() != b.lower():
        raise SystemExit(f"mismatch for {what}: {a} != {b}")
    return a


def write(name, obj):
    with open(name, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


# ---------------------------------------------------------------- e-Buy ----
# Payload: params sorted by key (byte order), "k=v" joined with "&", then
# "&" + secret. Expected = lowercase hex SHA-256 (sha256sum).

def ebuy(name, params, secret):
    items = sorted(params, key=lambda kv: kv[0].encode())
    payload = "&".join(k + "=" + v for k, v in items) + "&" + secret
    data = payload.encode()
    sign = same(sha256sum(data), hashlib.sha256(data).hexdigest(), name)
    return {"name": name, "params": [list(p) for p in params], "secret": secret,
            "payload": payload, "sign": sign}


EBUY_SECRET = "D6954F665B12A4318DF2DE43082858DE"
OWN_SECRET = "0123456789abcdef0123456789ABCDEF"

ebuy_vectors = [
    ebuy("published refund vector", [
        ["uuid", "20210707-cd28bed6332846979cf012223c981a14"],
        ["timestamp", "1625649048115"],
        ["signType", "sha256"],
        ["lang", "zh_CN"],
        ["content", '{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}'],
        ["appId", "ebuyde43082858d1"],
        ["action", "refund"],
    ], EBUY_SECRET),
    ebuy("chinese nested object and empty value", [
        ["appId", "ebuy0000000000a1"],
        ["action", "batchActivateCode"],
        ["content", '{"activateInfo":{"optOrg":"华东区","optShopNo":"门店001"},'
                    '"codeArray":["1031000000010741","1031000000010742"],'
                    '"makeFundsChannel":{"merchantBenefit":0,"merchantRealAmount":1000},'
                    '"remark":"满100减20 & <限时>"}'],
        ["lang", "zh_CN"],
        ["remark", ""],
        ["signType", "sha256"],
        ["timestamp", "1717200000000"],
        ["uuid", "20240601-0123456789abcdef0123456789abcdef"],
    ], OWN_SECRET),
    ebuy("chinese plain value", [
        ["b", "优惠券 测试"],
        ["a", "1"],
        ["C", "upper sorts first"],
    ], OWN_SECRET),
    ebuy("payload longer than 512 bytes", [
        ["content", '{"codeArray":[' + ",".join('"1031%012d"' % i for i in range(40)) + '],"备注":"批量"}'],
        ["action", "batchUpdateCodeStatus"],
    ], OWN_SECRET),
    ebuy("only empty values", [["x", ""], ["a", ""]], OWN_SECRET),
    ebuy("no params", [], OWN_SECRET),
]
if ebuy_vectors[0]["sign"] != "cefb7347b73b2793a6d4a99993480500bd74752e7b983acedb9515166e22d271":
    raise SystemExit("published e-Buy vector not reproduced")
write("ebuy.json", ebuy_vectors)

# ------------------------------------------------------------------ TOP ----
# s = params except "sign", sorted by key, "k1v1k2v2..." (raw UTF-8).
# md5: MD5(secret + s + secret); hmac: HMAC-MD5(secret, s);
# hmac-sha256: HMAC-SHA256(secret, s). Expected in uppercase hex.

def top(name, method, params, secret):
    items = sorted((kv for kv in params if kv[0] != "sign"), key=lambda kv: kv[0].encode())
    s = "".join(k + v for k, v in items)
    data = s.encode()
    if method == "md5":
        full = (secret + s + secret).encode()
        sign = same(openssl_md5(full), hashlib.md5(full).hexdigest(), name)
    elif method == "hmac":
        sign = same(openssl_hmac("md5", secret, data),
                    hmac.new(secret.encode(), data, hashlib.md5).hexdigest(), name)
    elif method == "hmac-sha256":
        sign = same(openssl_hmac("sha256", secret, data),
                    hmac.new(secret.encode(), data, hashlib.sha256).hexdigest(), name)
    else:
        raise SystemExit("unknown method " + method)
    return {"name": name, "method": method, "params": [list(p) for p in params],
            "secret": secret, "string": s, "sign": sign.upper()}


TOP_PUBLISHED = [
    ["v", "2.0"],
    ["timestamp", "2013-05-06 13:52:03"],
    ["sign_method", "md5"],
    ["session", "test"],
    ["method", "taobao.user.seller.get"],
    ["format", "xml"],
    ["fields", "nick"],
    ["app_key", "test"],
]
TOP_OWN = [
    ["method", "taobao.film.fcode.export.query"],
    ["app_key", "12345678"],
    ["timestamp", "2024-06-01 08:00:00"],
    ["v", "2.0"],
    ["format", "json"],
    ["partner_code", "影院 A+B & C"],
    ["params", '{"mix_id":"兑换码+1","last_sequence":""}'],
    ["session", ""],
    ["sign", "MUST-BE-SKIPPED"],
]
TOP_SECRET = "s3cr3t+密钥&"

top_vectors = [top("published md5 vector", "md5", TOP_PUBLISHED, "test")]
if top_vectors[0]["sign"] != "72CB4D809B375A54502C09360D879C64":
    raise SystemExit("published TOP vector not reproduced")
for method in ("hmac", "hmac-sha256"):
    top_vectors.append(top("published params " + method, method, TOP_PUBLISHED, "test"))
for method in ("md5", "hmac", "hmac-sha256"):
    top_vectors.append(top("chinese spaces plus ampersand empty " + method,
                           method, TOP_OWN + [["sign_method", method]], TOP_SECRET))
write("top.json", top_vectors)

# ---------------------------------------------------------------- zvcms ----
# base64 = Base64(HMAC-SHA1(key, msg)); token = percent-escape of base64
# (urllib.parse.quote with safe="", the same as Go's url.QueryEscape for the
# Base64 alphabet).

def hmac_sha1(name, key, msg):
    mac = hmac.new(key.encode(), msg.encode(), hashlib.sha1).digest()
    same(openssl_hmac("sha1", key, msg.encode()), mac.hex(), name)
    return base64.b64encode(mac).decode()


hmac_sha1_vectors = []
for name, key, msg in [
    ("ascii", "key", "The quick brown fox jumps over the lazy dog"),
    ("chinese", "开放密钥", "优惠券=1&渠道=小程序"),
    ("empty message", "k", ""),
]:
    hmac_sha1_vectors.append({"name": name, "key": key, "msg": msg,
                              "base64": hmac_sha1(name, key, msg)})

token_vectors = []
for name, open_key, open_id, grant, ts, nonce in [
    ("token 1", "a1b2c3d4e5f6", "open_10001", "grant_abc", "1717200000", "123456789"),
    ("token 2", "zvcms-open-key", "OID-42", "GC-7", "1700000000", "42"),
    ("token chinese", "密钥", "开放号", "授权码", "1717200001", "8"),
]:
    msg = f"grantCode={grant}&nonce={nonce}&openId={open_id}&timestamp={ts}"
    b64 = hmac_sha1(name, open_key, msg)
    if not any(c in b64 for c in "+/"):
        raise SystemExit(f"{name}: pick inputs whose Base64 has '+' or '/': {b64}")
    token_vectors.append({"name": name, "openKey": open_key, "openId": open_id,
                          "grantCode": grant, "timestamp": ts, "nonce": nonce,
                          "message": msg, "base64": b64,
                          "token": urllib.parse.quote(b64, safe="")})
write("zvcms.json", {"hmacSha1": hmac_sha1_vectors, "token": token_vectors})

# --------------------------------------------------------------- Suning ----
# signInfo = lowercase hex MD5(appSecret + appMethod + appRequestTime +
# appKey + versionNo + Base64(body)). Base64 by `base64 -w0`, MD5 by openssl.

def suning(name, secret, method, req_time, app_key, version, body):
    b64 = run(["base64", "-w0"], body.encode()).decode()
    same(b64, base64.b64encode(body.encode()).decode(), name + " base64")
    full = (secret + method + req_time + app_key + version + b64).encode()
    sign = same(openssl_md5(full), hashlib.md5(full).hexdigest(), name)
    return {"name": name, "appSecret": secret, "appMethod": method,
            "appRequestTime": req_time, "appKey": app_key, "versionNo": version,
            "body": body, "bodyBase64": b64, "signInfo": sign}


suning_vectors = [
    suning("create appoint chinese", "0123456789abcdef0123456789abcdef",
           "suning.custom.appoint.create", "2024-06-01 10:20:30", "suning_app_key", "v1.2",
           '{"sn_request":{"sn_body":{"createAppoint":{"enrollInfoCode":"E20240601001",'
           '"operateType":"01","actTitle":"618 家电以旧换新 预约","vendorType":"1"}}}}'),
    suning("query appoint ascii", "app-secret", "suning.custom.appoint.query",
           "2024-06-01 10:20:31", "key-2", "v1.2",
           '{"sn_request":{"sn_body":{"queryAppoint":{"actionId":"A1"}}}}'),
    suning("empty body", "s", "m", "2024-01-01 00:00:00", "k", "v1.2", ""),
]
write("suning.json", suning_vectors)

# ------------------------------------------------------------------ DES ----
# openssl enc -des-ecb|-des-cbc -K KEYHEX [-iv IVHEX] -nosalt
#   -provider legacy -provider default            (PKCS5 padding)
# ZeroPadding: the plaintext is padded with 0x00 to a multiple of 8 by this
# script and encrypted with -nopad. Each ciphertext is decrypted again with
# openssl enc -d and compared with the input.

def des(name, mode, key, iv, padding, plain):
    data = plain.encode()
    args = ["openssl", "enc", "-des-" + mode, "-K", key, "-nosalt"]
    if mode == "cbc":
        args += ["-iv", iv]
    if padding == "zero":
        data += b"\0" * (-len(data) % 8)
        args.append("-nopad")
    args += LEGACY
    ct = run(args, data)
    if run(args + ["-d"], ct) != data:
        raise SystemExit(name + ": openssl round trip failed")
    return {"name": name, "mode": mode, "keyHex": key, "ivHex": iv, "padding": padding,
            "plain": plain, "cipherHex": ct.hex().upper()}


KEY1 = "3132333435363738"  # "12345678"
KEY2 = "0123456789ABCDEF"
IV1 = "6162636465666768"   # "abcdefgh"
IV2 = "0102030405060708"
PLAINS = [
    ("len0", ""),
    ("len7", "abcdefg"),
    ("len8", "abcdefgh"),
    ("len9", "abcdefghi"),
    ("json chinese", '{"cardInfoId":"1001","saleUser":"张三","saleOrgCode":"华南001",'
                     '"payAmt":"99.00","saleNo":"S20240601001"}'),
]
des_vectors = []
for label, plain in PLAINS:
    des_vectors.append(des("ecb pkcs5 " + label, "ecb", KEY1, "", "pkcs5", plain))
    des_vectors.append(des("ecb pkcs5 key2 " + label, "ecb", KEY2, "", "pkcs5", plain))
    des_vectors.append(des("cbc pkcs5 " + label, "cbc", KEY1, IV1, "pkcs5", plain))
    des_vectors.append(des("cbc pkcs5 iv2 " + label, "cbc", KEY1, IV2, "pkcs5", plain))
    des_vectors.append(des("ecb zero " + label, "ecb", KEY1, "", "zero", plain))
    des_vectors.append(des("cbc zero " + label, "cbc", KEY2, IV1, "zero", plain))
write("des.json", des_vectors)

print("vectors written")
