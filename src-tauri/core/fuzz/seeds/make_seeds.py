#!/usr/bin/env python3
"""Writes the small hand-made seeds committed beside it (one folder per fuzz target).

Run again after changing it: `python3 make_seeds.py` (from any folder); the qr_pixels seeds
need Pillow, segno and a built target/debug/ringlet-cli, and the sealed vault_header and
backup_decode seeds the `cryptography` package; each is skipped without them. Seeds from
../shared (the QR corpus, the importer fixtures, plain.txt) are NOT copied here: the
`fuzz` script links them into the gitignored corpus folder at run time.
"""
import base64
import json
import os
import struct
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    folder = os.path.join(HERE, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


URIS = [
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60",
    "otpauth://hotp/Counter:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=42&algorithm=SHA512",
    "otpauth://steam/Steam:gamer?secret=JBSWY3DPEHPK3PXP",
    "otpauth://totp/:colon%3Aname?secret=jbsw%20y3dp-ehpk3pxp%3D%3D%3D%3D&encoder=steam",
    "OTPAUTH://TOTP/%E2%80%AEmoc.knab?secret=JBSWY3DPEHPK3PXP&issuer=%3Cimg%20src%3Dx%3E",
]
for i, uri in enumerate(URIS):
    put("uri_parse", f"uri-{i}", uri)
put("import_scan", "links.txt", "# exported\n" + "\n".join(URIS) + "\nhello\n")

for i, s in enumerate(["JBSWY3DPEHPK3PXP", "jbsw y3dp-ehpk 3pxp====", "GEZDGNBVGY3TQOJQ", "A"]):
    put("uri_secret", f"secret-{i}", s)


# webdav_propfind: PROPFIND answers as Nextcloud and rclone write them, for the folder
# https://cloud.example.org/dav/Ring%20let (the target's), and a few hostile ones.
DEVICE = "0612ce61d480060ea7729bd527ff9b64.ringlet-sync"
PROPFIND = [
    '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">'
    '<d:response><d:href>/dav/Ring%20let/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop>'
    '<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>'
    f'<d:response><d:href>/dav/Ring%20let/{DEVICE}</d:href><d:propstat><d:prop><d:resourcetype/><d:getcontentlength>8192</d:getcontentlength>'
    '<oc:id>x</oc:id></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>',
    f'<?xml version="1.0" encoding="UTF-8"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>https://cloud.example.org:443/dav/Ring%20let/{DEVICE}</D:href>'
    '<D:propstat><D:prop><D:resourcetype></D:resourcetype></D:prop></D:propstat></D:response></D:multistatus>',
    f'<multistatus xmlns="DAV:"><response><href>{DEVICE}</href></response><response><href>https://evil.example.net/dav/Ring%20let/{DEVICE}</href></response></multistatus>',
    f'<d:multistatus xmlns:d="DAV:"><d:response><d:href><![CDATA[/dav/Ring%20let/]]>&#x30;612ce61d480060ea7729bd527ff9b64.ringlet-sync&amp;</d:href></d:response></d:multistatus>',
    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:multistatus xmlns:d="DAV:"><d:response><d:href>&x;</d:href></d:response></d:multistatus>',
    '<d:multistatus xmlns:d="DAV:">' + "<x>" * 40,
    f'<d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/Ring%2/{DEVICE}</d:href></d:response><d:response><d:href>/dav/Ring%20let/%00</d:href></d:response></d:multistatus>',
]
for i, answer in enumerate(PROPFIND):
    put("webdav_propfind", f"propfind-{i}", answer)


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, wire, payload):
    key = varint((num << 3) | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def otp_parameters(secret, name, issuer, algorithm=1, digits=1, kind=2, counter=0):
    return (
        field(1, 2, secret)
        + field(2, 2, name.encode())
        + field(3, 2, issuer.encode())
        + field(4, 0, algorithm)
        + field(5, 0, digits)
        + field(6, 0, kind)
        + field(7, 0, counter)
    )


def payload(entries, batch_size=1, batch_index=0, batch_id=12345):
    out = b"".join(field(1, 2, e) for e in entries)
    return out + field(2, 0, 1) + field(3, 0, batch_size) + field(4, 0, batch_index) + field(5, 0, batch_id)


PAYLOADS = [
    payload([otp_parameters(b"Hello!\xde\xad\xbe\xef", "alice@example.com", "Example")]),
    payload(
        [
            otp_parameters(b"12345678901234567890", "bob", "Counter", kind=1, counter=7),
            otp_parameters(b"0123456789abcdef", "carol", "", algorithm=2, digits=2),
        ],
        batch_size=2,
        batch_index=1,
    ),
]
for i, p in enumerate(PAYLOADS):
    put("migration_payload", f"payload-{i}", p)
    link = "otpauth-migration://offline?data=" + urllib.parse.quote(base64.b64encode(p).decode(), safe="")
    put("migration_parse", f"link-{i}", link)
    put("import_scan", f"export-{i}.txt", link + "\n")

ACCOUNT = {
    "issuer": "Fuzz",
    "name": "a@b",
    "otp": {"secret": list(range(1, 21)), "algorithm": "SHA1", "digits": 6, "kind": {"type": "totp", "period": 30}},
}
HOTP = {
    "issuer": "",
    "name": "\u202ehotp",
    "otp": {"secret": [9] * 10, "algorithm": "SHA512", "digits": 8, "kind": {"type": "hotp", "counter": 18446744073709551615}},
}
STEAM = {
    "issuer": "Steam",
    "name": "gamer",
    "otp": {"secret": [7] * 10, "algorithm": "SHA1", "digits": 5, "kind": {"type": "steam", "period": 30}},
}
# Vault format v2: an account record holds {"account", "stamp"}; recovery codes and
# tombstones carry a revision. The device is the fuzz harness's (common/mod.rs: DEVICE_ID).
DEVICE = b"ringlet-fuzz-dev".hex()
REVISION = {"clock": {"wall_ms": 1_700_000_000_000, "counter": 7}, "device": DEVICE}
STAMP = {"order": 0, "created_ms": 1_699_999_999_000, "modified_ms": 1_700_000_000_000, "revision": REVISION}
# An account with every optional field of format v2.
HOTP_FULL = dict(HOTP, tags=["work", "\u202etag"], note="a note\nwith lines", icon={"kind": "bundled", "name": "github"}, pinned=True)
CODES = {"codes": {"codes": [{"code": "1234-5678", "used": False}, {"code": "abcd-efgh", "used": True}]}, "revision": REVISION}
TOMBSTONE = {"deleted_ms": 1_700_000_000_000, "revision": REVISION}

# Header layouts and key epochs (common/mod.rs: Epoch::CHOICES, in this order): layout 2 at
# epoch 0, 1 and 0xFFFF_FFFE, and layout 1 (no epoch field; epoch 0).
CHOICES = [(2, 0), (2, 1), (2, 0xFFFF_FFFE), (1, 0)]
CHOICE_NAMES = ["e0", "e1", "efar", "layout1"]

# backup_payload: version 1 ({"accounts"}) and version 2 ({"entries"}) payloads. A version-2
# backup's header layout and key epoch are CHOICES[len(input) % 4]: trailing spaces (which
# JSON allows) give one seed per choice.
put("backup_payload", "three", json.dumps({"accounts": [ACCOUNT, HOTP, STEAM]}))
put("backup_payload", "empty", json.dumps({"accounts": []}))
THREE_V2 = json.dumps({"entries": [
    {"account": ACCOUNT, "stamp": STAMP, "recovery_codes": CODES["codes"]},
    {"account": HOTP_FULL, "stamp": STAMP},
    {"account": STEAM},
]})
for choice, name in enumerate(CHOICE_NAMES):
    put("backup_payload", f"three-v2-{name}", THREE_V2 + " " * ((choice - len(THREE_V2)) % 4))
put("backup_payload", "empty-v2", json.dumps({"entries": []}))

# vault_record (common/mod.rs: fuzzed_record): first byte bit 0 clear = plaintext the harness
# seals, bits 1-2 the version byte it seals under (0: 2, 1: 3, 2: 1, 3: 255), bits 3-4 the
# kind (0: account, 1: recovery codes, 2: tombstone); bit 0 set = the raw stored value;
# bits 5-6 the header's layout and key epoch (CHOICES), bit 7 the stray records tree beside
# the records (0: the next epoch's, 1: the previous one's).
def record(account):
    return json.dumps({"account": account, "stamp": STAMP}).encode()


put("vault_record", "totp", b"\x00" + record(ACCOUNT))
put("vault_record", "hotp", b"\x00" + record(HOTP_FULL))
put("vault_record", "raw", b"\x01\x02" + bytes(range(60)))
# From a later version: readable (unknown fields), and not (NewerRecord).
put("vault_record", "newer", b"\x02" + json.dumps({"account": dict(ACCOUNT, shared_with=["bob"]), "stamp": STAMP, "colour": "teal"}).encode())
put("vault_record", "newer-unreadable", b"\x02" + json.dumps({"v": 3}).encode())
# From an earlier version under the v2 key: refused as damaged.
put("vault_record", "older", b"\x04" + record(ACCOUNT))
put("vault_record", "codes", b"\x08" + json.dumps(CODES).encode())
put("vault_record", "tombstone", b"\x10" + json.dumps(TOMBSTONE).encode())
# Other key epochs and stray trees.
put("vault_record", "totp-e1-stray-previous", bytes([0x20 | 0x80]) + record(ACCOUNT))
put("vault_record", "codes-efar", bytes([0x40 | 0x08]) + json.dumps(CODES).encode())
put("vault_record", "tombstone-layout1-stray-v1", bytes([0x60 | 0x80 | 0x10]) + json.dumps(TOMBSTONE).encode())

# Structural seeds for the decoders behind checksums (the targets append the checksum).
VAULT_ID = b"ringlet-fuzz-vid"
SALT = b"\x17" * 16
PARAMS = b"\x01" + struct.pack(">III", 64, 1, 1) + SALT
SLOT = PARAMS + bytes(60)


def header_prefix(layout, epoch, count):
    """magic ‖ layout ‖ vault id ‖ key epoch (layout 2 only) ‖ slot count"""
    out = b"RINGLETV" + struct.pack(">H", layout) + VAULT_ID
    if layout != 1:
        out += struct.pack(">I", epoch)
    return out + bytes([count])


put("vault_header", "one-slot", header_prefix(2, 0, 1) + SLOT + bytes(32))
put("vault_header", "two-slots", header_prefix(2, 1, 2) + SLOT + SLOT + bytes(32))
put("vault_header", "one-slot-layout1", header_prefix(1, 0, 1) + SLOT + bytes(32))
put("vault_header", "two-slots-layout1", header_prefix(1, 0, 2) + SLOT + SLOT + bytes(32))
# A later layout: NewerFormat, not damage.
put("vault_header", "newer", b"RINGLETV" + struct.pack(">H", 3) + VAULT_ID + struct.pack(">I", 0) + b"\x01" + SLOT + bytes(32))


def backup_head(version, layout, epoch, count, payload_len, slot):
    """magic ‖ version ‖ vault id ‖ created ‖ count ‖ (version 2: layout ‖ epoch) ‖ slot ‖ length"""
    out = b"RINGLETB" + struct.pack(">H", version) + VAULT_ID + struct.pack(">QI", 1_700_000_000, count)
    if version != 1:
        out += struct.pack(">HI", layout, epoch)
    return out + slot + struct.pack(">I", payload_len)


put("backup_decode", "structure", backup_head(1, 1, 0, 1, 28 + 10, SLOT) + bytes(28 + 10))
for choice, name in enumerate(CHOICE_NAMES):
    layout, epoch = CHOICES[choice]
    put("backup_decode", f"structure-v2-{name}", backup_head(2, layout, epoch, 1, 28 + 10, SLOT) + bytes(28 + 10))

# vault_index (common/mod.rs: fuzzed_index): first byte bit 0 clear = raw v2 body after magic,
# version and vault id (key epoch u32, device id, clock wall_ms u64 and counter u32,
# generation, records, pending, with 17-byte keys: kind 1 account, 2 recovery codes, 3
# tombstone, then the account id); set = ops (each byte a key and what the index says of
# it). Bits 1-2 pick the header's layout and key epoch (CHOICES), bits 3-4 where the index
# goes (0 vault.index, 1 vault.index.next after a committed password change, 2 vault.index
# under another key: a header rolled back, 3 beside an abandoned change's .next).
def key(kind, account):
    return bytes([kind]) + bytes([account]) * 16


def mode(ops, choice=0, placement=0):
    return bytes([ops | choice << 1 | placement << 3])


def raw_index(epoch, body):
    return struct.pack(">I", epoch) + b"ringlet-fuzz-dev" + struct.pack(">QI", 1_700_000_000_000, 7) + body


EMPTY = struct.pack(">QII", 3, 0, 0)
ONE = struct.pack(">QI", 3, 1) + key(1, 1) + bytes(32) + struct.pack(">I", 1) + key(3, 2) + b"\x00"
KINDS = (struct.pack(">QI", 4, 3) + key(1, 1) + bytes(32) + key(2, 1) + bytes(32) + key(3, 2) + bytes(32)
         + struct.pack(">I", 2) + key(1, 2) + b"\x01" + bytes(32) + key(3, 2) + b"\x00")
put("vault_index", "raw-empty", mode(0) + raw_index(0, EMPTY))
put("vault_index", "raw-one", mode(0) + raw_index(0, ONE))
put("vault_index", "raw-kinds", mode(0) + raw_index(0, KINDS))
put("vault_index", "raw-one-e1", mode(0, 1) + raw_index(1, ONE))
put("vault_index", "raw-one-efar-committed", mode(0, 2, 1) + raw_index(0xFFFF_FFFE, ONE))
put("vault_index", "raw-one-layout1-abandoned", mode(0, 3, 3) + raw_index(0, ONE))
# An index of another epoch than the header's, under the header's key: refused.
put("vault_index", "raw-epoch-mismatch", mode(0) + raw_index(1, ONE))
# Under another key, naming a later epoch than the header (HeaderRolledBack), or not.
put("vault_index", "raw-rolled-back", mode(0, 1, 2) + raw_index(2, ONE))
put("vault_index", "raw-other-key", mode(0, 1, 2) + raw_index(1, ONE))
put("vault_index", "ops-exact", mode(1) + bytes([0, 1, 2]))
put("vault_index", "ops-pending", mode(1) + bytes([0, 1, 2, 12, 23, 13]))
# The account removed in a pending change: its tombstone put, its record and codes deleted.
put("vault_index", "ops-remove", mode(1) + bytes([0, 1, 2, 20, 22, 13]))
for choice, name in enumerate(CHOICE_NAMES[1:], start=1):
    put("vault_index", f"ops-pending-{name}", mode(1, choice) + bytes([0, 1, 2, 12, 23, 13]))
put("vault_index", "ops-committed", mode(1, 1, 1) + bytes([0, 1, 2, 12, 23, 13]))
put("vault_index", "ops-rolled-back", mode(1, 0, 2) + bytes([0, 1, 2]))
put("vault_index", "ops-abandoned", mode(1, 3, 3) + bytes([0, 1, 2, 12, 23, 13]))


# Seeds sealed with the harness's key (common/mod.rs: PASSWORD, DATA_KEY, KDF, fixed nonce),
# so the fuzzer starts past the AEADs: vault headers whose password slot opens (and whose
# MAC holds) at each layout and key epoch, and whole backups. Needs the `cryptography`
# package (44 or later, for Argon2id); skipped without it.
def sealed_seeds():
    import hashlib
    import hmac

    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
    except ImportError:
        print("sealed vault_header and backup_decode seeds skipped: needs cryptography >= 44 (pip install cryptography)")
        return
    password = b"fuzz password"
    data_key = b"\x42" * 32
    nonce = b"\x07" * 12
    kek = Argon2id(salt=SALT, length=32, iterations=1, lanes=1, memory_cost=64).derive(password)

    def subkey(info):
        prk = hmac.new(VAULT_ID, data_key, hashlib.sha256).digest()
        return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()

    def seal(key, ad, plaintext):
        return nonce + AESGCM(key).encrypt(nonce, plaintext, ad)

    def slot(layout, epoch):
        ad = b"ringlet/slot" + b"RINGLETV" + struct.pack(">H", layout) + VAULT_ID
        if layout != 1:
            ad += struct.pack(">I", epoch)
        return PARAMS + seal(kek, ad + PARAMS, data_key)

    # A keyring slot (quick unlock): kind 2, no KDF parameters, a key nobody has.
    keyring = b"\x02" + bytes(12) + b"\x33" * 16 + bytes(60)
    for (layout, epoch), name in zip(CHOICES, CHOICE_NAMES):
        body = header_prefix(layout, epoch, 1) + slot(layout, epoch)
        put("vault_header", f"sealed-{name}", body + hmac.new(subkey(b"ringlet v1 header mac"), body, hashlib.sha256).digest())
    body = header_prefix(2, 1, 2) + keyring + slot(2, 1)
    put("vault_header", "sealed-e1-keyring", body + hmac.new(subkey(b"ringlet v1 header mac"), body, hashlib.sha256).digest())

    plaintext = json.dumps({"entries": [{"account": ACCOUNT, "stamp": STAMP, "recovery_codes": CODES["codes"]}]}).encode()
    for (layout, epoch), name in zip(CHOICES, CHOICE_NAMES):
        head = backup_head(2, layout, epoch, 1, len(plaintext) + 28, slot(layout, epoch))
        put("backup_decode", f"sealed-v2-{name}", head + seal(subkey(b"ringlet v1 backup key"), b"ringlet/backup" + head, plaintext))
    plaintext = json.dumps({"accounts": [ACCOUNT, HOTP]}).encode()
    head = backup_head(1, 1, 0, 2, len(plaintext) + 28, slot(1, 0))
    put("backup_decode", "sealed-v1", head + seal(subkey(b"ringlet v1 backup key"), b"ringlet/backup" + head, plaintext))


sealed_seeds()


# qr_pixels: QR codes of ../shared/qr-corpus shrunk to a few thousand pixels, in each pixel
# layout the target reads (layout byte, width as 2 bytes little-endian, minus 1, then the
# rows). Only shrunk images ringlet-cli still decodes are kept, so the seeds reach the
# decoders. Needs Pillow and a built ringlet-cli; skipped without them.
def qr_pixel_seeds():
    import glob
    import subprocess
    import tempfile

    try:
        from PIL import Image
    except ImportError:
        print("qr_pixels seeds skipped: no Pillow (pip install pillow)")
        return
    root = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
    shared = os.environ.get("RINGLET_SHARED", os.path.join(root, "..", "shared"))
    cli = os.path.join(root, "target", "debug", "ringlet-cli")
    manifest_path = os.path.join(shared, "qr-corpus", "manifest.json")
    if not (os.path.exists(cli) and os.path.exists(manifest_path)):
        print("qr_pixels seeds skipped: needs target/debug/ringlet-cli and ../shared/qr-corpus")
        return
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    modes = [("L", 0), ("LA", 1), ("RGB", 2), ("RGBA", 3), ("I;16", 4)]
    budget = 12 * 1024  # bytes of pixels per seed
    per_category = {}
    for name in sorted(manifest):
        category = manifest[name]["category"]
        if per_category.get(category, 0) >= 2 or not manifest[name]["expected"]:
            continue
        image = Image.open(os.path.join(shared, "qr-corpus", name))
        mode, layout = modes[sum(per_category.values()) % len(modes)]
        sample = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "I;16": 2}[mode]
        scale = min(1.0, (budget / sample / (image.width * image.height)) ** 0.5)
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        small = image.convert("RGBA").resize(size, Image.BILINEAR)
        if mode == "I;16":
            small = small.convert("L").point(lambda v: v * 257, "I").convert("I;16")
            pixels = small.tobytes("raw", "I;16")
            layout = 4
        else:
            pixels = small.convert(mode).tobytes()
        with tempfile.NamedTemporaryFile(suffix=".png") as png:
            small.save(png.name)
            read = subprocess.run([cli, "decode-qr", png.name], capture_output=True, text=True)
        if read.returncode != 0 or not read.stdout.strip():
            continue
        width = size[0] - 1
        put("qr_pixels", f"{category}-{per_category.get(category, 0)}",
            bytes([layout, width & 0xFF, width >> 8]) + pixels)
        per_category[category] = per_category.get(category, 0) + 1
    print(f"qr_pixels: {sum(per_category.values())} seeds from {len(per_category)} categories")


qr_pixel_seeds()


# qr_pixels: small codes drawn at 1 and 2 pixels a module (grey, a 2-module margin), the
# smallest images the search reads, for quick mutation. Needs segno and Pillow.
def small_qr_pixel_seeds():
    try:
        import io

        import segno
        from PIL import Image
    except ImportError:
        print("small qr_pixels seeds skipped: needs segno and Pillow (pip install segno pillow)")
        return
    texts = [
        "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    ]
    for i, text in enumerate(texts):
        for scale in (1, 2):
            png = io.BytesIO()
            segno.make(text, error="l", micro=False).save(png, kind="png", scale=scale, border=2)
            image = Image.open(io.BytesIO(png.getvalue())).convert("L")
            width = image.width - 1
            put("qr_pixels", f"small-{i}-{scale}px", bytes([0, width & 0xFF, width >> 8]) + image.tobytes())


small_qr_pixel_seeds()


# import_lastpass and import_winauth: no fixture in ../shared, so small files of each form,
# as their importers' headers describe them (the SQLite importers are seeded by the
# fixtures the `fuzz` script links from ../shared).
def lastpass_and_winauth_seeds():
    import io
    import zipfile

    account = {"accountID": "1", "issuerName": "Site", "originalIssuerName": "Site",
               "userName": "me", "originalUserName": "me", "pushNotification": False,
               "secret": "JBSWY3DPEHPK3PXP", "timeStep": 30, "digits": 6,
               "creationTimestamp": 1700000000000, "isFavorite": False, "algorithm": "SHA1",
               "folderData": {"folderId": 1, "position": 0}}
    put("import_lastpass", "newer.json", json.dumps({
        "deviceId": "d", "deviceSecret": "s", "localDeviceId": "l", "deviceName": "Pixel",
        "version": 3, "accounts": [account, dict(account, secret="not base32!", algorithm="MD5")],
        "folders": [{"id": 0, "name": "Favorites", "isOpened": True},
                    {"id": 1, "name": "Work", "isOpened": True}]}))
    put("import_lastpass", "older.json", json.dumps({"version": 1, "accounts": [
        {"issuerName": "Site", "userName": "me", "secret": "JBSWY3DPEHPK3PXP", "timeStep": 30,
         "digits": 8, "algorithm": "SHA256"}]}))
    text = ("otpauth://totp/Google:me%40example.com?secret=JBSWY3DPEHPK3PXP&digits=6&issuer=Google&icon=Google\n"
            "otpauth://totp/Battle.net:US1?secret=GEZDGNBVGY3TQOJQ&digits=8&issuer=Battle.net&serial=US1234\n"
            "otpauth://totp/Steam:gamer?secret=GEZDGNBVGY3TQOJR&digits=5&issuer=Steam&deviceid=android%3A1&data=%7B%7D&icon=base64%3AAAAA\n"
            "otpauth://hotp/Counter?secret=GEZDGNBVGY3TQOJS&digits=6&counter=4\n")
    put("import_winauth", "export.txt", text)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("winauth-2024-01-01.txt", (2024, 1, 1, 0, 0, 0)), text)
    put("import_winauth", "export.zip", archive.getvalue())


lastpass_and_winauth_seeds()
