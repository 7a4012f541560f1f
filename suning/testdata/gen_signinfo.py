#!/usr/bin/env python3
"""Computes signinfo.json from the hand-written request bodies, without Go.

Run from this directory:  python3 gen_signinfo.py

For each vector the request body is the compact form of a JSON file here
(json.loads then json.dumps with no spaces and UTF-8 kept, which keeps the
file's key order and string contents), or an inline body. Then

  bodyBase64 = base64 of the body bytes      (base64 -w0, checked with Python's base64)
  signInfo   = lowercase hex MD5 of appSecret + appMethod + appRequestTime + appKey
               + versionNo + bodyBase64      (openssl dgst -md5, checked with hashlib)

The script stops if the external tool and Python disagree.
"""

import base64
import hashlib
import json
import subprocess


def compact(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def run(args, data):
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def vector(name, secret, method, ts, key, version, body, body_file=None):
    b64_tool = run(["base64", "-w0"], body).decode()
    b64_py = base64.b64encode(body).decode()
    if b64_tool != b64_py:
        raise SystemExit(f"{name}: base64 mismatch")
    plain = (secret + method + ts + key + version + b64_py).encode("utf-8")
    md5_tool = run(["openssl", "dgst", "-md5", "-r"], plain).decode().split()[0]
    md5_py = hashlib.md5(plain).hexdigest()
    if md5_tool != md5_py:
        raise SystemExit(f"{name}: md5 mismatch")
    v = {
        "name": name,
        "appSecret": secret,
        "appMethod": method,
        "appRequestTime": ts,
        "appKey": key,
        "versionNo": version,
    }
    if body_file:
        v["bodyFile"] = body_file
    else:
        v["body"] = body.decode("utf-8")
    v["bodyBase64"] = b64_py
    v["signInfo"] = md5_py
    return v


vectors = [
    vector("modify request golden", "0123456789abcdef0123456789abcdef", "suning.custom.appoint.create",
           "2024-06-01 10:20:30", "b0c332a133c102765f39de0000000000", "v1.2",
           compact("modify_request.json"), "modify_request.json"),
    vector("query request", "app-secret-2", "suning.custom.appoint.query",
           "2024-06-01 10:20:30", "key-2", "v1.2",
           b'{"sn_request":{"sn_body":{"queryAppoint":{"actionId":"2019102800001","partNumber":"000000000123456789","vendorId":"0010012345"}}}}'),
]

with open("signinfo.json", "w", encoding="utf-8") as f:
    json.dump(vectors, f, ensure_ascii=False, indent=2)
    f.write("\n")
