#!/usr/bin/env python3
"""Independent re-implementation of posj's hash schemes and randomness, used to generate the
known-answer vectors in this folder. It shares no code with the Java implementation: the Java
tests replay these files, so a change to either side that alters a single byte fails the build.

Run from this folder:  python3 generate.py   (python3 standard library only)
"""
import hashlib
import json
import struct

GO_TS = "2026-11-24 05:37:41.440478369 +0000 UTC m=+1.524388092"
GENESIS = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
VALIDATOR = hashlib.sha256(b"validator-1").hexdigest()


def go_rune(value):
    """Go's string(int): UTF-8 of the code point, U+FFFD when invalid (see GoTutorialHashScheme)."""
    if not (-2**31 <= value < 2**31) or value < 0 or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        value = 0xFFFD
    return chr(value).encode("utf-8")


def go_preimage(index, ts, bpm, prev):
    return go_rune(index) + ts.encode("utf-8") + go_rune(bpm) + prev.encode("ascii")


def uvarint(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v):
    return ((v << 1) ^ (v >> 63)) & ((1 << 64) - 1)


def tagged(hex_hash):
    return b"\x00" if hex_hash == "" else b"\x01" + bytes.fromhex(hex_hash)


def posj_preimage(index, ts, bpm, prev, validator):
    t = ts.encode("utf-8")
    return (b"\x01" + uvarint(index) + uvarint(zigzag(bpm)) + tagged(prev) + tagged(validator)
            + uvarint(len(t)) + t)


def signed64(u):
    return u - (1 << 64) if u >= 1 << 63 else u


def hash_chain(seed, count):
    tag = b"posj/hash-chain-randomness/v1"
    out, k = [], 0
    while len(out) < count:
        block = hashlib.sha256(tag + b"\x00" + seed + struct.pack(">Q", k)).digest()
        out.extend(signed64(struct.unpack(">Q", block[i:i + 8])[0]) for i in range(0, 32, 8))
        k += 1
    return out[:count]


def splitmix64(seed, count):
    mask = (1 << 64) - 1
    state, out = seed & mask, []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(signed64(z ^ (z >> 31)))
    return out


def bounded(stream, bound):
    """RandomnessSource.nextLong(bound) over a stream of signed 64-bit values."""
    mask = bound - 1
    if bound & mask == 0:
        return (next(stream) & ((1 << 64) - 1)) & mask
    while True:
        u = (next(stream) & ((1 << 64) - 1)) >> 1
        r = u % bound
        if u - r + mask < 2**63:
            return r


def check_no_numbers(node):
    """64-bit values go out as decimal strings: JavaScript reads JSON numbers as doubles."""
    if isinstance(node, dict):
        for value in node.values():
            check_no_numbers(value)
    elif isinstance(node, list):
        for value in node:
            check_no_numbers(value)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        raise ValueError("write numbers as decimal strings, got %r" % node)


def write(name, doc, cases):
    check_no_numbers(cases)
    with open(name, "w", encoding="utf-8") as f:
        json.dump({"description": doc, "cases": cases}, f, indent=2, ensure_ascii=False)
        f.write("\n")


go_cases = []
for index, ts, bpm, prev in [
    (0, "", 0, ""),  # the tutorial's empty genesis block: its hash is every genesis hash
    (1, GO_TS, 72, GENESIS), (2, GO_TS, 200, GENESIS), (3, GO_TS, -5, GENESIS),
    (4, GO_TS, 2000000, GENESIS), (5, GO_TS, 55296, GENESIS), (130, GO_TS, 60, GENESIS),
    (1, GO_TS, 2**32 + 72, GENESIS),  # outside int32: U+FFFD, not 'H'
    (70000, "2026-11-24 05:37:41 +0000 UTC", 128512, GENESIS),  # 4-byte UTF-8 runes
    (7, "2026-11-24 06:37:41.5 +0100 CET", 0x10FFFF, GENESIS),
]:
    pre = go_preimage(index, ts, bpm, prev)
    go_cases.append({"Index": str(index), "Timestamp": ts, "BPM": str(bpm), "PrevHash": prev,
                     "preimage": pre.hex(), "Hash": hashlib.sha256(pre).hexdigest()})
write("go-tutorial-hash.json",
      "Hash = hex(SHA-256(string(Index) + Timestamp + string(BPM) + PrevHash)) with Go's rune "
      "conversion (see GoTutorialHashScheme). Rows 1-6 match the hashes Go printed "
      "(tutorial-protocol.md section 2). Index and BPM are decimal strings (64-bit).", go_cases)

posj_cases = []
for index, ts, bpm, prev, validator in [
    (0, "2026-11-24 05:37:39.918131413 +0000 UTC", 0, "", ""),
    (1, "2026-11-24 05:37:41.440478369 +0000 UTC", 72, GENESIS, VALIDATOR),
    (12, "3", 0, GENESIS, VALIDATOR),   # with the next row: "1"+"23" vs "12"+"3" style splits
    (1, "23", 0, GENESIS, VALIDATOR),
    (300, "2026-11-24 05:37:41 +0000 UTC", -1, GENESIS, VALIDATOR),
    (2**63 - 1, "x", -2**63, GENESIS, VALIDATOR),
    (5, "2026-11-24 05:37:41 +0000 UTC \u00e9\u6771", 2**63 - 1, VALIDATOR, GENESIS),
]:
    pre = posj_preimage(index, ts, bpm, prev, validator)
    posj_cases.append({"Index": str(index), "Timestamp": ts, "BPM": str(bpm), "PrevHash": prev,
                       "Validator": validator, "preimage": pre.hex(),
                       "Hash": hashlib.sha256(pre).hexdigest()})
write("posj-hash.json",
      "Hash = hex(SHA-256(BlockEncoding v1)): 0x01, uvarint(Index), uvarint(zigzag(BPM)), "
      "PrevHash and Validator each as 0x00 (empty) or 0x01 + 32 bytes, uvarint(len) + UTF-8 "
      "Timestamp. Index and BPM are decimal strings (64-bit).", posj_cases)

rand_cases = []
for seed_hex in ["", "00", "706f736a"]:
    values = hash_chain(bytes.fromhex(seed_hex), 10)
    stream = iter(hash_chain(bytes.fromhex(seed_hex), 1000))
    draws = [{"bound": b, "value": bounded(stream, b)}
             for b in [1, 2, 6, 1000, 2**62 + 1, 2**63 - 1, 2**40]]
    rand_cases.append({"seed": seed_hex, "nextLong": [str(v) for v in values],
                       "nextLongBounded": [{"bound": str(d["bound"]), "value": str(d["value"])}
                                           for d in draws]})
write("hash-chain-randomness.json",
      "block(k) = SHA-256('posj/hash-chain-randomness/v1' || 0x00 || seed || uint64_be(k)); four "
      "big-endian signed 64-bit values per block. nextLongBounded draws in sequence from a fresh "
      "stream. Values are decimal strings (64-bit).", rand_cases)

sm_cases = []
for seed in [0, 1, 42, -1]:
    stream = iter(splitmix64(seed, 1000))
    sm_cases.append({"seed": str(seed), "nextLong": [str(v) for v in splitmix64(seed, 5)],
                     "nextLongBounded": [{"bound": str(b), "value": str(bounded(stream, b))}
                                         for b in [3, 10, 2**62 + 1]]})
write("splitmix64.json", "SplitMix64 (see SplitMix64Randomness); values are decimal strings.",
      sm_cases)
