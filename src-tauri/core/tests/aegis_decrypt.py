#!/usr/bin/env python3
"""Decrypts an encrypted Aegis vault file the way Aegis's docs/vault.md describes it, with
nothing of Ringlet's: scrypt(password, slot salt, N, r, p) opens a password slot's master
key (AES-256-GCM, hex key ‖ tag, hex nonce), the master key opens the database (AES-256-GCM,
Base64 db ‖ hex tag, hex nonce). Prints the entries as JSON, groups given by name.

Usage: aegis_decrypt.py FILE   (the password on the first line of standard input)
Exit status: 0 decrypted, 2 no password slot opened, 3 the database did not open.
"""
import base64
import json
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


def master_key(header, password):
    for slot in header["slots"]:
        if slot["type"] != 1:  # password slots only
            continue
        derived = Scrypt(
            salt=bytes.fromhex(slot["salt"]), length=32, n=slot["n"], r=slot["r"], p=slot["p"]
        ).derive(password)
        sealed = bytes.fromhex(slot["key"]) + bytes.fromhex(slot["key_params"]["tag"])
        try:
            return AESGCM(derived).decrypt(bytes.fromhex(slot["key_params"]["nonce"]), sealed, None)
        except InvalidTag:
            continue
    return None


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        vault = json.load(file)
    password = sys.stdin.buffer.readline().rstrip(b"\r\n")
    key = master_key(vault["header"], password)
    if key is None:
        print("no password slot opens with this password", file=sys.stderr)
        return 2
    params = vault["header"]["params"]
    sealed = base64.b64decode(vault["db"]) + bytes.fromhex(params["tag"])
    try:
        db = json.loads(AESGCM(key).decrypt(bytes.fromhex(params["nonce"]), sealed, None))
    except InvalidTag:
        print("the database does not open with the master key", file=sys.stderr)
        return 3
    groups = {group["uuid"]: group["name"] for group in db.get("groups", [])}
    entries = []
    for entry in db["entries"]:
        info = entry["info"]
        entries.append({
            "type": entry["type"],
            "issuer": entry["issuer"],
            "name": entry["name"],
            "note": entry.get("note", ""),
            "favorite": entry.get("favorite", False),
            "secret": info["secret"],
            "algo": info["algo"],
            "digits": info["digits"],
            "period": info.get("period"),
            "counter": info.get("counter"),
            "groups": [groups[uuid] for uuid in entry.get("groups", [])],
        })
    json.dump({"db_version": db["version"], "entries": entries}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
