#!/usr/bin/env python3
"""Writes the small hand-made seeds committed beside it (one folder per fuzz target).

Run again after changing it: `python3 make_seeds.py` (from any folder); the qr_pixels seeds
need Pillow, segno and a built target/debug/ringlet-cli, and are skipped without them. Seeds from
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
put("backup_payload", "three", json.dumps({"accounts": [ACCOUNT, HOTP, STEAM]}))
put("backup_payload", "empty", json.dumps({"accounts": []}))
put("vault_record", "totp", b"\x00" + json.dumps(ACCOUNT).encode())
put("vault_record", "hotp", b"\x00" + json.dumps(HOTP).encode())
put("vault_record", "raw", b"\x01\x01" + bytes(range(60)))

# Structural seeds for the decoders behind checksums (the targets append the checksum).
VAULT_ID = b"ringlet-fuzz-vid"
SLOT = b"\x01" + struct.pack(">III", 64, 1, 1) + b"\x17" * 16 + bytes(60)
header = b"RINGLETV" + struct.pack(">H", 1) + VAULT_ID + b"\x01" + SLOT + bytes(32)
put("vault_header", "one-slot", header)
put("vault_header", "two-slots", b"RINGLETV" + struct.pack(">H", 1) + VAULT_ID + b"\x02" + SLOT + SLOT + bytes(32))
backup = (
    b"RINGLETB" + struct.pack(">H", 1) + VAULT_ID + struct.pack(">QI", 1_700_000_000, 1) + SLOT
    + struct.pack(">I", 28 + 10) + bytes(28 + 10)
)
put("backup_decode", "structure", backup)

# vault_index: mode 0 = raw body after magic, version and vault id; mode 1 = ops.
put("vault_index", "raw-empty", b"\x00" + struct.pack(">QII", 3, 0, 0))
put("vault_index", "raw-one", b"\x00" + struct.pack(">QI", 3, 1) + b"\x01" * 16 + bytes(32) + struct.pack(">I", 1) + b"\x02" * 16 + b"\x00")
put("vault_index", "ops-exact", b"\x01" + bytes([0, 1, 2]))
put("vault_index", "ops-pending", b"\x01" + bytes([0, 1, 2, 12, 23, 13]))

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
