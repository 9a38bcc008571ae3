#!/usr/bin/env python3
"""Independent re-implementation of posj's hash schemes and randomness, used to generate the
known-answer vectors in this folder. It shares no code with the Java implementation: the Java
tests replay these files, so a change to either side that alters a single byte fails the build.

Run from this folder:  python3 generate.py   (python3 standard library only)

Network mode (docs/network.md) has the network-*.json files, written from that page alone:
network-ed25519.json (RFC 8032 keys and signatures: section 7.1 TEST 1-3 and posj's test keys,
seed SHA-256("posj test key <i>"), with their addresses), network-genesis.json (genesis JSON,
canonical encoding, genesis hash, block 0), network-block.json (block version 2 preimage, Hash,
Validator, Signature), network-onion.json (hash onions and their reveals), network-schedule.json
(mix, seed(e), leaderSeed(s) and the stake-weighted leader of slots 1-64 over a chain of real
reveals, empty slots and epochs included), network-login.json (the 109-byte login preimage and
its signature) and network-timestamp.json (canonical Go timestamps and texts to reject). Ed25519
is a pure-Python RFC 8032 implementation checked on every run against the RFC's TEST 1-3; the
worked examples of network-design.md sections 1.5 and 2.3 are asserted too. If pyca
`cryptography` is installed, every key and signature is also compared with it (an optional
self-check: it never makes a value).
"""
import datetime
import hashlib
import json
import re
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


# ---------------------------------------------------------------------------------------------
# Network mode (docs/network.md): Ed25519 keys, the genesis, block 0, block version 2, hash
# onions, mix/seed/leaderSeed and the leader draw, login, and the Go timestamp format.

def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def uint64_be(v):
    return struct.pack(">Q", v)


def address(pubkey):
    """docs/network.md section 1: hex(SHA-256(public key))."""
    return hashlib.sha256(pubkey).hexdigest()


# Ed25519 (pure, no context), written from RFC 8032 section 5.1 after the RFC's section 6 Python
# illustration: extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z.
ED_P = 2**255 - 19
ED_L = 2**252 + 27742317777372353535851937790883648493
ED_D = -121665 * pow(121666, ED_P - 2, ED_P) % ED_P
ED_SQRT_M1 = pow(2, (ED_P - 1) // 4, ED_P)
ED_ZERO = (0, 1, 1, 0)


def ed_add(p, q):
    a = (p[1] - p[0]) * (q[1] - q[0]) % ED_P
    b = (p[1] + p[0]) * (q[1] + q[0]) % ED_P
    c = 2 * p[3] * q[3] * ED_D % ED_P
    d = 2 * p[2] * q[2] % ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % ED_P, g * h % ED_P, f * g % ED_P, e * h % ED_P)


def ed_mul(s, p):
    q = ED_ZERO
    while s > 0:
        if s & 1:
            q = ed_add(q, p)
        p = ed_add(p, p)
        s >>= 1
    return q


def ed_equal(p, q):
    return (p[0] * q[2] - q[0] * p[2]) % ED_P == 0 and (p[1] * q[2] - q[1] * p[2]) % ED_P == 0


def ed_recover_x(y, sign):
    if y >= ED_P:
        return None
    x2 = (y * y - 1) * pow(ED_D * y * y + 1, ED_P - 2, ED_P) % ED_P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (ED_P + 3) // 8, ED_P)
    if (x * x - x2) % ED_P != 0:
        x = x * ED_SQRT_M1 % ED_P
    if (x * x - x2) % ED_P != 0:
        return None
    if (x & 1) != sign:
        x = ED_P - x
    return x


ED_GY = 4 * pow(5, ED_P - 2, ED_P) % ED_P
ED_GX = ed_recover_x(ED_GY, 0)
ED_B = (ED_GX, ED_GY, 1, ED_GX * ED_GY % ED_P)


def ed_compress(p):
    zinv = pow(p[2], ED_P - 2, ED_P)
    x, y = p[0] * zinv % ED_P, p[1] * zinv % ED_P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def ed_decompress(s):
    y = int.from_bytes(s, "little")
    x = ed_recover_x(y & ((1 << 255) - 1), y >> 255)
    if x is None:
        return None
    y &= (1 << 255) - 1
    return (x, y, 1, x * y % ED_P)


def ed_expand(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def ed_hash_mod_l(*parts):
    return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "little") % ED_L


def ed_public(seed):
    return ed_compress(ed_mul(ed_expand(seed)[0], ED_B))


def ed_sign(seed, message):
    a, prefix = ed_expand(seed)
    public = ed_compress(ed_mul(a, ED_B))
    r = ed_hash_mod_l(prefix, message)
    big_r = ed_compress(ed_mul(r, ED_B))
    s = (r + ed_hash_mod_l(big_r, public, message) * a) % ED_L
    signature = big_r + s.to_bytes(32, "little")
    SIGNED.append((seed, message, public, signature))
    return signature


def ed_verify(public, message, signature):
    """RFC 8032 section 5.1.7 (cofactorless form): a self-check of ed_sign only; posj's verifier
    rules are BouncyCastle's (docs/network.md section 1)."""
    a, r = ed_decompress(public), ed_decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= ED_L:
        return False
    k = ed_hash_mod_l(signature[:32], public, message)
    return ed_equal(ed_mul(s, ED_B), ed_add(r, ed_mul(k, a)))


def ed_valid_public(public):
    """docs/network.md section 1: on the curve, canonical, not of small order."""
    p = ed_decompress(public)
    return p is not None and ed_compress(p) == public and not ed_equal(ed_mul(8, p), ED_ZERO)


SIGNED = []  # every (seed, message, public, signature) made here, for the optional pyca check

# RFC 8032 section 7.1, TEST 1 to TEST 3 (seed, public key, message, signature), as published.
RFC8032_TESTS = [
    ("TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
     "b46bd25bf5f0595bbe24655141438e7a100b"),
    ("TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
     "1d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984d"
     "c6594a7c15e9716ed28dc027beceea1ec40a"),
]
for _name, _seed, _public, _message, _signature in RFC8032_TESTS:
    assert ed_public(bytes.fromhex(_seed)).hex() == _public, _name
    assert ed_sign(bytes.fromhex(_seed), bytes.fromhex(_message)).hex() == _signature, _name
    assert ed_verify(bytes.fromhex(_public), bytes.fromhex(_message), bytes.fromhex(_signature))
    assert not ed_verify(bytes.fromhex(_public), bytes.fromhex(_message) + b"x",
                         bytes.fromhex(_signature)), _name
RFC_TEST1_SEED = bytes.fromhex(RFC8032_TESTS[0][1])
RFC_TEST2_SEED = bytes.fromhex(RFC8032_TESTS[1][1])


def test_key(i):
    """posj's test keys: seed = SHA-256("posj test key <i>")."""
    return sha256(b"posj test key %d" % i)


def test_onion_secret(i):
    return sha256(b"posj test onion %d" % i)


# Go's time.Time.String() in UTC, without the monotonic suffix (docs/network.md section 3).
UNIX_EPOCH = datetime.datetime(1970, 1, 1)
GO_TIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))? "
    r"\+0000 UTC")


def go_time(seconds, nanos):
    assert 0 <= nanos < 10**9
    t = UNIX_EPOCH + datetime.timedelta(seconds=seconds)
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (t.year, t.month, t.day, t.hour, t.minute, t.second)
    if nanos:
        text += "." + ("%09d" % nanos).rstrip("0")
    return text + " +0000 UTC"


def parse_go_time(text):
    """(seconds, nanos) when text is the canonical Go text of an instant, else None."""
    m = GO_TIME_RE.fullmatch(text)
    if m is None:
        return None
    try:
        t = datetime.datetime(*(int(g) for g in m.groups()[:6]))
    except ValueError:
        return None
    seconds = (t - UNIX_EPOCH) // datetime.timedelta(seconds=1)
    nanos = int(m.group(7).ljust(9, "0")) if m.group(7) else 0
    return (seconds, nanos) if go_time(seconds, nanos) == text else None


def rfc3339_seconds(text):
    """genesisTime: YYYY-MM-DDTHH:MM:SSZ, 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z", text)
    seconds = (datetime.datetime(*(int(g) for g in m.groups())) - UNIX_EPOCH).total_seconds()
    assert seconds >= 0 and seconds == int(seconds)
    return int(seconds)


# The genesis (docs/network.md section 2).
def genesis(chain_id, time, slot_seconds, epoch_slots, validators):
    """validators: (seed, stake, commitment) in the JSON order wanted."""
    return {"chainId": chain_id, "genesisTime": time, "slotSeconds": str(slot_seconds),
            "epochSlots": str(epoch_slots),
            "validators": [{"pubkey": ed_public(seed).hex(), "stake": str(stake),
                            "commitment": commitment.hex()}
                           for seed, stake, commitment in validators]}


def check_genesis(g):
    assert list(g) == ["chainId", "genesisTime", "slotSeconds", "epochSlots", "validators"]
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", g["chainId"])
    rfc3339_seconds(g["genesisTime"])
    assert 1 <= int(g["slotSeconds"]) <= 86400 and 1 <= int(g["epochSlots"]) <= 1000000
    vs = g["validators"]
    assert 1 <= len(vs) <= 100000 and len({v["pubkey"] for v in vs}) == len(vs)
    for v in vs:
        assert list(v) == ["pubkey", "stake", "commitment"]
        assert ed_valid_public(bytes.fromhex(v["pubkey"]))
        assert len(bytes.fromhex(v["commitment"])) == 32
        assert 1 <= int(v["stake"]) <= 2**63 - 1
    assert sum(int(v["stake"]) for v in vs) <= 2**63 - 1


def by_address(g):
    return sorted(g["validators"], key=lambda v: address(bytes.fromhex(v["pubkey"])))


def genesis_encoding(g):
    check_genesis(g)
    chain_id = g["chainId"].encode("ascii")
    out = (b"posj/genesis/v1\x00" + uvarint(len(chain_id)) + chain_id
           + uvarint(rfc3339_seconds(g["genesisTime"])) + uvarint(int(g["slotSeconds"]))
           + uvarint(int(g["epochSlots"])) + uvarint(len(g["validators"])))
    for v in by_address(g):
        out += (bytes.fromhex(v["pubkey"]) + uvarint(int(v["stake"]))
                + bytes.fromhex(v["commitment"]))
    return out


def genesis_hash(g):
    return sha256(genesis_encoding(g))


def block0(g):
    return {"Index": "0", "Timestamp": go_time(rfc3339_seconds(g["genesisTime"]), 0), "BPM": "0",
            "Hash": genesis_hash(g).hex(), "PrevHash": "", "Validator": ""}


# Block version 2 (docs/network.md section 3).
def block_preimage(genesis_hash_, index, slot, prev_hash, pubkey, reveal, bpm, timestamp):
    t = timestamp.encode("utf-8")
    assert len(genesis_hash_) == len(prev_hash) == len(pubkey) == len(reveal) == 32
    return (b"posj/block/v2\x00" + genesis_hash_ + uvarint(index) + uvarint(slot) + prev_hash
            + pubkey + reveal + uvarint(zigzag(bpm)) + uvarint(len(t)) + t)


# Hash onions (docs/network.md section 5).
def onion(secret, n):
    chain = [secret]
    for _ in range(n):
        chain.append(sha256(b"posj/onion/v1\x00", chain[-1]))
    return chain


# Mix, seeds and the leader draw (docs/network.md section 6).
def mix_first(genesis_hash_):
    return sha256(b"posj/mix/v1\x00", genesis_hash_)


def mix_next(mix, reveal):
    return sha256(b"posj/mix/v1\x00", mix, reveal)


def seed_of(genesis_hash_, epoch, mix_at_end_before):
    return sha256(b"posj/seed/v1\x00", genesis_hash_, uint64_be(epoch), mix_at_end_before)


def leader_seed_of(seed, slot):
    return sha256(b"posj/leader/v1\x00", seed, uint64_be(slot))


class Counted:
    """An iterator that counts the values taken from it."""

    def __init__(self, values):
        self.values, self.taken = iter(values), 0

    def __iter__(self):
        return self

    def __next__(self):
        self.taken += 1
        return next(self.values)


def draw(validators, leader_seed):
    """(leader address, ticket, values drawn): validators (address, stake) in address order."""
    if len(validators) == 1:
        return validators[0][0], 0, 0
    total = sum(stake for _, stake in validators)
    stream = Counted(hash_chain(leader_seed, 200))
    ticket = bounded(stream, total)
    start = 0
    for addr, stake in validators:
        if start <= ticket < start + stake:
            return addr, ticket, stream.taken
        start += stake
    raise AssertionError("ticket outside [0, total)")


def login_preimage(genesis_hash_, nonce, pubkey):
    assert len(genesis_hash_) == len(nonce) == len(pubkey) == 32
    return b"posj/auth/v1\x00" + genesis_hash_ + nonce + pubkey


# The worked examples of network-design.md sections 1.5 and 2.3 (computed earlier, independently,
# with pyca), recomputed here from docs/network.md; abbreviated values are checked at both ends.
EXAMPLE_GENESIS = sha256(b"posj example genesis")
EXAMPLE_PARENT = sha256(b"example parent")
EXAMPLE_ONION = onion(sha256(b"example onion secret"), 4)
EXAMPLE_NONCE = bytes(range(32))


def check_abbreviated(value, head, tail):
    assert value.hex().startswith(head) and value.hex().endswith(tail), (value.hex(), head, tail)


check_abbreviated(EXAMPLE_ONION[4], "36dd7ce0", "00e3")
assert EXAMPLE_ONION[3].hex() == "ee2fff5658f796936f4bb6dddcd801faf56349d28aadda7c46163fda77b32949"
_pre = block_preimage(EXAMPLE_GENESIS, 1, 7, EXAMPLE_PARENT, ed_public(RFC_TEST1_SEED),
                      EXAMPLE_ONION[3], 72, "2026-11-24 05:37:41.440478369 +0000 UTC")
assert len(_pre) == 186 and _pre.hex() == (
    "706f736a2f626c6f636b2f7632000ef4779e506e3e17522f33cf4b65b7d1d0331889e6ec08d051aff62ae0c6e30a"
    "0107283111aa5f1c83ce7d6ecbff8f102c9a70f8e54b22db06a5bacaa5cc130ee416d75a980182b10ab7d54bfed3"
    "c964073a0ee172f3daa62325af021a68f707511aee2fff5658f796936f4bb6dddcd801faf56349d28aadda7c4616"
    "3fda77b32949900127323032362d31312d32342030353a33373a34312e343430343738333639202b303030302055"
    "5443")
assert sha256(_pre).hex() == "56e63604376a0d9611958cc79528516f6c0544772192e8a06e9bab67559f55b7"
assert ed_sign(RFC_TEST1_SEED, _pre).hex() == (
    "345454cd61a754568e4c64b3b9b7eed35a374eecd53d8088e3cf15cb5cc475b41064ebf59fb6aeb71ca5e833c2de"
    "8cb7c38f01a08c2b33070121108f822df00d")
assert address(ed_public(RFC_TEST1_SEED)) == (
    "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9")
_mix0 = mix_first(EXAMPLE_GENESIS)
check_abbreviated(_mix0, "07d3e2a2", "4bbc")
check_abbreviated(mix_next(_mix0, EXAMPLE_ONION[3]), "5cd262c3", "31ec")
# network-design.md's seed(1) = ed0cfcec...0e71 hashes the mix after its example block (Slot 7,
# epoch 0, so mixAtEnd(0)), not mixAtEnd(1 - 2) = mixAtEnd(-1) = the mix after block 0 as
# docs/network.md section 6 (and network-design.md's own formula) say: the example disagrees with
# the spec; this generator follows the spec. Both values are pinned here, and leaderSeed(9) of the
# example's seed(1) matches.
_example_seed1 = seed_of(EXAMPLE_GENESIS, 1, mix_next(_mix0, EXAMPLE_ONION[3]))
check_abbreviated(_example_seed1, "ed0cfcec", "0e71")
check_abbreviated(leader_seed_of(_example_seed1, 9), "7dbfdb0f", "9d94")
assert seed_of(EXAMPLE_GENESIS, 1, _mix0).hex() == (
    "e043df25ba8756e4fa4a239dba23ff6850bd226acbad75e7ae99a8e54a00d9b7")  # the spec's seed(1)
_login = login_preimage(EXAMPLE_GENESIS, EXAMPLE_NONCE, ed_public(RFC_TEST1_SEED))
assert len(_login) == 109
check_abbreviated(_login, "706f736a2f617574682f7631000ef4779e", "e30a000102" + "".join(
    "%02x" % i for i in range(3, 32)) + ed_public(RFC_TEST1_SEED).hex())
assert ed_sign(RFC_TEST1_SEED, _login).hex() == (
    "00d518e66a88f44b8c546c6c96bef25b2eedd699a4c5810a8da95eb7e5dc2e347d47cf427ec7d134d453f7223337"
    "8202fcd48fbaa29e82e76275e118f92cd00c")

# network-ed25519.json
ed_cases = []
for _name, _seed, _public, _message, _signature in RFC8032_TESTS:
    ed_cases.append({"name": "RFC 8032 section 7.1 " + _name, "seed": _seed, "pubkey": _public,
                     "address": address(bytes.fromhex(_public)), "message": _message,
                     "signature": _signature})
for i in range(4):
    _message = b"posj test message %d" % i if i else b""
    _public = ed_public(test_key(i))
    ed_cases.append({"name": "posj test key %d: seed = SHA-256(\"posj test key %d\")" % (i, i),
                     "seed": test_key(i).hex(), "pubkey": _public.hex(),
                     "address": address(_public),
                     "message": _message.hex(), "signature": ed_sign(test_key(i), _message).hex()})
write("network-ed25519.json",
      "Ed25519 (RFC 8032, pure): seed = the 32-byte private key, pubkey = its 32-byte public key, "
      "address = hex(SHA-256(pubkey)) (docs/network.md section 1), signature = the deterministic "
      "RFC 8032 signature of message (hex) by seed. The first three are RFC 8032 section 7.1 "
      "TEST 1-3 as published; the rest are posj's test keys.", ed_cases)

# network-genesis.json
ONION_N = 64  # the test validators' onions: commitment = h(64) of SHA-256("posj test onion <i>")


def test_validator(i, stake):
    return test_key(i), stake, onion(test_onion_secret(i), ONION_N)[ONION_N]


genesis_cases = []
_g = genesis("posj-devnet", "2026-12-01T00:00:00Z", 30, 8,
             [test_validator(i, stake) for i, stake in [(0, 100), (1, 200), (2, 300)]])
assert by_address(_g) != _g["validators"]
_texts = [json.dumps(_g, separators=(",", ":"))]
genesis_cases.append(("three validators, listed in the JSON in non-address order", _g))
genesis_cases.append(("one validator, the earliest time, the smallest slotSeconds and epochSlots",
                      genesis("a", "1970-01-01T00:00:00Z", 1, 1, [test_validator(3, 1)])))
genesis_cases.append(("one validator with stake 2^63-1, a 64-character chainId, the latest time, "
                      "the largest slotSeconds and epochSlots",
                      genesis("posj." + "0123456789" * 5 + "_ABCDEF-z", "9999-12-31T23:59:59Z",
                              86400, 1000000, [test_validator(1, 2**63 - 1)])))
_g = genesis("posj.test_net-2", "2026-11-24T05:37:39Z", 12, 32,
             [test_validator(i, stake) for i, stake in
              [(3, 127), (2, 128), (1, 16384), (0, 2**35)]])
genesis_cases.append(("four validators whose stakes take 1, 2, 3 and 6 uvarint bytes; "
                      "genesisText has another member order and spacing", _g))
_texts += [json.dumps(g, separators=(",", ":")) for _, g in genesis_cases[1:3]]
_texts.append('{ "validators": [\n' + ",\n".join(
    '  {"commitment": "%s", "stake": "%s", "pubkey": "%s"}' % (v["commitment"], v["stake"],
                                                             v["pubkey"])
    for v in _g["validators"]) + '\n ],\n "epochSlots": "32", "slotSeconds": "12",\n'
    ' "genesisTime": "2026-11-24T05:37:39Z", "chainId": "posj.test_net-2" }')
assert json.loads(_texts[3]) == _g
assert len(genesis_cases[2][1]["chainId"]) == 64
genesis_out = []
for (_name, _g), _text in zip(genesis_cases, _texts):
    assert json.loads(_text) == _g
    genesis_out.append({"name": _name, "genesis": _g, "genesisText": _text,
                        "addressOrder": [address(bytes.fromhex(v["pubkey"]))
                                         for v in by_address(_g)],
                        "encoding": genesis_encoding(_g).hex(),
                        "genesisHash": genesis_hash(_g).hex(),
                        "block0": block0(_g)})
write("network-genesis.json",
      "docs/network.md sections 2 and 3: genesis is the JSON object (genesisText the same object "
      "as JSON text), addressOrder its validators' addresses in ascending order, encoding the "
      "canonical encoding G, genesisHash = SHA-256(G), block0 the six fields of block 0 (Index and "
      "BPM as decimal strings here; numbers in the chain file). Validator keys are posj's test "
      "keys (network-ed25519.json); commitments are h(64) of the onion of "
      "SHA-256(\"posj test onion <i>\") for test key <i>.", genesis_out)

# network-block.json
GENESIS_1 = genesis_hash(genesis_cases[0][1])
block_cases = []
for _name, _gh, _index, _slot, _prev, _key, _reveal, _bpm, _ts in [
    ("network-design.md section 1.5 worked example", EXAMPLE_GENESIS, 1, 7, EXAMPLE_PARENT,
     RFC_TEST1_SEED, EXAMPLE_ONION[3], 72, "2026-11-24 05:37:41.440478369 +0000 UTC"),
    ("Index 1 on genesis 1 (network-genesis.json case 0), Timestamp without fraction", GENESIS_1,
     1, 3, GENESIS_1, test_key(0), onion(test_onion_secret(0), ONION_N)[ONION_N - 1], 0,
     "2026-12-01 00:01:30 +0000 UTC"),
    ("BPM -1, a 1-digit fraction", GENESIS_1, 2, 4, sha256(b"parent 2"), test_key(1),
     onion(test_onion_secret(1), ONION_N)[ONION_N - 1], -1, "2026-12-01 00:02:07.5 +0000 UTC"),
    ("BPM 63: the largest one-byte zigzag value", GENESIS_1, 3, 5, sha256(b"parent 3"),
     test_key(2), sha256(b"reveal 3"), 63, "2026-12-01 00:02:30.000000001 +0000 UTC"),
    ("BPM -64: the smallest one-byte zigzag value", GENESIS_1, 3, 5, sha256(b"parent 3"),
     test_key(2), sha256(b"reveal 3"), -64,
     "2026-12-01 00:02:30.000000001 +0000 UTC"),
    ("BPM 64: two zigzag bytes; Index and Slot 127/128", GENESIS_1, 127, 128, sha256(b"parent 4"),
     test_key(3), sha256(b"reveal 4"), 64, "2026-12-01 01:04:00.12 +0000 UTC"),
    ("BPM -2^63, Index and Slot 2^63-1", GENESIS_1, 2**63 - 1, 2**63 - 1, sha256(b"parent 5"),
     test_key(0), sha256(b"reveal 5"), -2**63, "9999-12-31 23:59:59.999999999 +0000 UTC"),
    ("BPM 2^63-1, RFC 8032 TEST 2 key, year 1970", sha256(b"another genesis"), 16384, 2**32,
     bytes(32), RFC_TEST2_SEED, bytes(32), 2**63 - 1, "1970-01-01 00:00:00 +0000 UTC"),
]:
    assert parse_go_time(_ts) is not None
    _public = ed_public(_key)
    _pre = block_preimage(_gh, _index, _slot, _prev, _public, _reveal, _bpm, _ts)
    _sig = ed_sign(_key, _pre)
    assert ed_verify(_public, _pre, _sig)
    block_cases.append({"name": _name, "genesisHash": _gh.hex(), "Index": str(_index),
                        "Slot": str(_slot), "PrevHash": _prev.hex(), "seed": _key.hex(),
                        "PubKey": _public.hex(), "Reveal": _reveal.hex(), "BPM": str(_bpm),
                        "Timestamp": _ts, "preimage": _pre.hex(), "Hash": sha256(_pre).hex(),
                        "Validator": address(_public), "Signature": _sig.hex()})
write("network-block.json",
      "docs/network.md section 3, block version 2: preimage = 'posj/block/v2' 0x00 || genesisHash "
      "|| uvarint(Index) || uvarint(Slot) || PrevHash || PubKey || Reveal || uvarint(zigzag(BPM)) "
      "|| uvarint(len) Timestamp; Hash = SHA-256(preimage); Validator = hex(SHA-256(PubKey)); "
      "Signature = Ed25519 (RFC 8032, deterministic) of the preimage with seed, the signing "
      "key's 32-byte private seed. Index, Slot and BPM are decimal strings. These pin the "
      "preimage, hash and signature only: the chain rules (slot windows, leaders, onion links) "
      "do not hold between these cases.", block_cases)

# network-onion.json
onion_cases = []
for _name, _secret, _n in [
    ("network-design.md section 2.3 worked example", sha256(b"example onion secret"), 4),
    ("posj test onion 0: SHA-256(\"posj test onion 0\")", test_onion_secret(0), 8),
    ("zero secret", bytes(32), 8),
    ("N = 1", sha256(b"posj onion n1"), 1),
]:
    _chain = onion(_secret, _n)
    onion_cases.append({"name": _name, "secret": _secret.hex(), "N": str(_n),
                        "chain": [h.hex() for h in _chain], "commitment": _chain[_n].hex(),
                        "reveals": [_chain[_n - j].hex() for j in range(1, _n + 1)]})
for _name, _secret in [("network-design.md's example secret, N = 65536",
                        sha256(b"example onion secret")),
                       ("posj test onion 0, N = 65536", test_onion_secret(0))]:
    _chain = onion(_secret, 65536)
    onion_cases.append({"name": _name, "secret": _secret.hex(), "N": "65536",
                        "commitment": _chain[65536].hex(),
                        "reveals": [_chain[65536 - j].hex() for j in (1, 2, 3)]})
write("network-onion.json",
      "docs/network.md section 5: h(0) = secret, h(i+1) = SHA-256('posj/onion/v1' 0x00 || h(i)), "
      "commitment = h(N). chain is h(0..N) (small N only); reveals[j-1] = h(N-j), the Reveal of "
      "the validator's j-th block (all N for small N, the first three for N = 65536).", onion_cases)

# network-schedule.json


def schedule_case(name, g, onion_secrets, slots, skipped):
    """Build the chain's (Slot, Reveal) sequence slot by slot: each slot's leader makes the block
    unless the slot is in skipped; the Reveals are the leaders' real onion values."""
    gh = genesis_hash(g)
    epoch_slots = int(g["epochSlots"])
    validators = [(address(bytes.fromhex(v["pubkey"])), int(v["stake"])) for v in by_address(g)]
    chains = {address(ed_public(k)): onion(s, ONION_N) for k, s in onion_secrets}
    used = {a: 0 for a in chains}
    mix0 = mix_first(gh)
    blocks = []  # (slot, validator, reveal, mix after)

    def mix_at_end(e):
        last = mix0
        for slot, _, _, mix in blocks:
            if slot // epoch_slots <= e:
                last = mix
        return last

    seeds = {}

    def seed(e):
        if e not in seeds:
            seeds[e] = (mix_at_end(e - 2), seed_of(gh, e, mix_at_end(e - 2)))
        return seeds[e][1]

    leaders = []
    for s in slots:
        e = s // epoch_slots
        # the seed is fixed once epoch e-2 ends; no block so far is in an epoch after e
        assert all(slot < s for slot, _, _, _ in blocks)
        ls = leader_seed_of(seed(e), s)
        leader, ticket, drawn = draw(validators, ls)
        leaders.append({"slot": str(s), "epoch": str(e), "leaderSeed": ls.hex(),
                        "ticket": str(ticket), "draws": str(drawn), "leader": leader})
        if s not in skipped:
            used[leader] += 1
            reveal = chains[leader][ONION_N - used[leader]]
            blocks.append((s, leader, reveal, mix_next(blocks[-1][3] if blocks else mix0, reveal)))
    last_epoch = slots[-1] // epoch_slots
    for e in range(0, last_epoch + 1):
        seed(e)
    assert sorted(seeds) == list(range(0, last_epoch + 1))
    # replay the onion rule (docs/network.md section 5) against the genesis commitments
    last = {address(bytes.fromhex(v["pubkey"])): bytes.fromhex(v["commitment"])
            for v in g["validators"]}
    for _, v, reveal, _ in blocks:
        assert sha256(b"posj/onion/v1\x00", reveal) == last[v]
        last[v] = reveal
    # the seeds do not depend on the blocks of epochs e-1 and e: recompute from a cut chain
    for e in seeds:
        assert seeds[e][0] == ([mix0] + [m for slot, _, _, m in blocks
                                         if slot // epoch_slots <= e - 2])[-1]
    return {
        "name": name, "genesis": g, "genesisHash": gh.hex(),
        "validators": [{"address": a, "stake": str(stake),
                        "tickets": [str(sum(x for _, x in validators[:i])),
                                    str(sum(x for _, x in validators[:i + 1]))]}
                       for i, (a, stake) in enumerate(validators)],
        "totalStake": str(sum(x for _, x in validators)),
        "mix0": mix0.hex(),
        "blocks": [{"Slot": str(slot), "Validator": v, "Reveal": r.hex(), "mixAfter": m.hex()}
                   for slot, v, r, m in blocks],
        "emptySlots": [str(s) for s in slots if s in skipped],
        "seeds": [{"epoch": str(e), "mixAtEndOfEpochMinus2": seeds[e][0].hex(),
                   "seed": seeds[e][1].hex()} for e in sorted(seeds)],
        "leaders": leaders,
    }


SLOTS = list(range(1, 65))
schedule_cases = []
for _name, _chain_id, _slot_seconds, _epoch_slots, _stakes, _skipped in [
    ("3 validators, stakes 1/2/3; epoch 2 empty", "posj-sched-3", 30, 8,
     [(0, 1), (1, 2), (2, 3)], set(range(16, 24)) | {5, 30, 31, 47}),
    ("10 validators, varied stakes; epochs 3 and 4 empty", "posj-sched-10", 12, 4,
     [(i, s) for i, s in enumerate([5, 1, 40, 7, 13, 2, 100, 3, 21, 8])],
     set(range(12, 20)) | {2, 3, 33, 50, 51, 52}),
    ("one validator: the leader of every slot, no draw; epochSlots 1", "posj-sched-1", 5, 1,
     [(3, 50)], {7, 8, 9, 40}),
    ("2 validators, total stake 8 (a power of two: one value per draw)", "posj-sched-pow2", 30, 16,
     [(4, 3), (5, 5)], {1, 2, 17, 18, 33}),
    ("3 validators, total stake 2^62+1: nextLong rejects about half the values", "posj-sched-big",
     30, 8, [(6, 2**61), (7, 2**61), (8, 1)], set(range(8, 16))),
    ("3 validators, total stake 2^63-1", "posj-sched-max", 30, 8,
     [(9, 2**62), (0, 2**61), (1, 2**61 - 1)], {4}),
]:
    _g = genesis(_chain_id, "2026-12-01T00:00:00Z", _slot_seconds, _epoch_slots,
                 [test_validator(i, stake) for i, stake in _stakes])
    schedule_cases.append(schedule_case(_name, _g, [(test_key(i), test_onion_secret(i))
                                                    for i, _ in _stakes], SLOTS, _skipped))
assert any(int(l["draws"]) > 1 for l in schedule_cases[4]["leaders"])  # rejections happened
assert all(l["draws"] == "1" for l in schedule_cases[3]["leaders"])
write("network-schedule.json",
      "docs/network.md section 6 over slots 1-64. genesis and genesisHash as in "
      "network-genesis.json; validators in ascending address order with the tickets [from, to) "
      "each owns; mix0 = mix after block 0; blocks is the chain after block 0 (Slot, Validator, "
      "Reveal, and the mix after it): each slot's leader made a block except in emptySlots, with "
      "its real onion Reveals (test key <i>'s onion: secret SHA-256(\"posj test onion <i>\"), "
      "N = 64; its j-th block reveals h(64-j)). seeds: seed(e) = SHA-256('posj/seed/v1' 0x00 || "
      "genesisHash || uint64_be(e) || mixAtEnd(e-2)). leaders: leaderSeed(s) = "
      "SHA-256('posj/leader/v1' 0x00 || seed(epoch(s)) || uint64_be(s)); ticket = nextLong(total) "
      "over HashChainRandomness(leaderSeed); draws = the values it consumed (0 with one "
      "validator: no draw); leader = the ticket's owner. All numbers are decimal strings.",
      schedule_cases)

# network-login.json
login_cases = []
for _name, _gh, _nonce, _key in [
    ("network-design.md section 1.4/1.5 worked example", EXAMPLE_GENESIS, EXAMPLE_NONCE,
     RFC_TEST1_SEED),
    ("the same nonce and genesis, RFC 8032 TEST 2 key", EXAMPLE_GENESIS, EXAMPLE_NONCE,
     RFC_TEST2_SEED),
    ("genesis 1 (network-genesis.json case 0), test key 0, nonce of 0xff", GENESIS_1,
     b"\xff" * 32, test_key(0)),
    ("genesis 1, test key 1, nonce SHA-256(\"posj test nonce\")", GENESIS_1,
     sha256(b"posj test nonce"), test_key(1)),
]:
    _public = ed_public(_key)
    _pre = login_preimage(_gh, _nonce, _public)
    login_cases.append({"name": _name, "genesisHash": _gh.hex(), "nonce": _nonce.hex(),
                        "seed": _key.hex(), "pubkey": _public.hex(), "preimage": _pre.hex(),
                        "signature": ed_sign(_key, _pre).hex()})
write("network-login.json",
      "docs/network.md section 9: preimage = 'posj/auth/v1' 0x00 || genesisHash || nonce || "
      "pubkey (109 bytes); signature = Ed25519 (RFC 8032, deterministic) of the preimage with "
      "seed, the 32-byte private seed of pubkey.", login_cases)

# network-timestamp.json
_dec1 = rfc3339_seconds("2026-12-01T00:00:00Z")
timestamp_valid = []
for _seconds, _nanos in [
    (0, 0), (_dec1, 0), (_dec1 + 7, 500000000), (_dec1 + 7, 50000000),
    (rfc3339_seconds("2026-11-24T05:37:41Z"), 440478369), (_dec1, 1), (_dec1, 10), (_dec1, 100),
    (_dec1, 120000000), (_dec1, 999999999), (_dec1, 100000000),
    (rfc3339_seconds("2000-02-29T12:00:00Z"), 0), (rfc3339_seconds("2028-02-29T23:59:59Z"), 0),
    (rfc3339_seconds("2100-03-01T00:00:00Z"), 0), (rfc3339_seconds("9999-12-31T23:59:59Z"), 0),
    (rfc3339_seconds("9999-12-31T23:59:59Z"), 999999999), (2**31, 0),
]:
    _text = go_time(_seconds, _nanos)
    assert parse_go_time(_text) == (_seconds, _nanos)
    timestamp_valid.append({"epochSecond": str(_seconds), "nanos": str(_nanos), "text": _text})
timestamp_invalid = []
for _text, _why in [
    ("2026-12-01 00:00:07.50 +0000 UTC", "trailing zero in the fraction"),
    ("2026-12-01 00:00:07.0 +0000 UTC", "a zero fraction is left out"),
    ("2026-12-01 00:00:07.000000000 +0000 UTC", "a zero fraction is left out"),
    ("2026-12-01 00:00:07. +0000 UTC", "empty fraction"),
    ("2026-12-01 00:00:07.1234567891 +0000 UTC", "10-digit fraction"),
    ("2026-12-01 00:00:07.1234567890 +0000 UTC", "10-digit fraction"),
    ("2026-12-01 01:00:07.5 +0100 CET", "another zone"),
    ("2026-12-01 00:00:07.5 +0000 GMT", "zone name other than UTC"),
    ("2026-12-01 00:00:07.5 -0000 UTC", "offset written -0000"),
    ("2026-12-01 00:00:07.5 +0000 utc", "lower-case zone name"),
    ("2026-12-01 00:00:07.5", "missing ' +0000 UTC'"),
    ("2026-12-01 00:00:07.5 UTC", "missing the offset"),
    ("2026-12-01 00:00:07.5 +0000", "missing the zone name"),
    ("2026-12-01 00:00:07.5 +0000 UTC m=+1.524388092", "monotonic clock suffix"),
    ("2026-12-01T00:00:07.5Z", "RFC 3339, not the Go format"),
    ("2026-12-1 00:00:07 +0000 UTC", "day not zero-padded"),
    ("2026-12-01 0:00:07 +0000 UTC", "hour not zero-padded"),
    ("02026-12-01 00:00:07 +0000 UTC", "5-digit year"),
    (" 2026-12-01 00:00:07 +0000 UTC", "leading space"),
    ("2026-12-01 00:00:07 +0000 UTC ", "trailing space"),
    ("2026-12-01 00:00:07 +0000 UTC\n", "trailing newline"),
    ("2026-12-01  00:00:07 +0000 UTC", "two spaces"),
    ("2026-02-29 00:00:00 +0000 UTC", "no such day (2026 is not a leap year)"),
    ("2100-02-29 00:00:00 +0000 UTC", "no such day (2100 is not a leap year)"),
    ("2026-13-01 00:00:00 +0000 UTC", "month 13"),
    ("2026-12-01 24:00:00 +0000 UTC", "hour 24"),
    ("2026-12-31 23:59:60 +0000 UTC", "leap second"),
    ("2026-12-01 00:00:0\u0667 +0000 UTC", "a non-ASCII digit (ARABIC-INDIC DIGIT SEVEN)"),
    ("", "empty"),
]:
    assert parse_go_time(_text) is None, _text
    timestamp_invalid.append({"text": _text, "reason": _why})
write("network-timestamp.json",
      "docs/network.md section 3, Timestamp format: Go's time.Time.String() in UTC without the "
      "monotonic suffix, YYYY-MM-DD HH:MM:SS[.fraction] +0000 UTC, the fraction 1 to 9 digits "
      "without trailing zeros, left out when zero. cases[0].valid: instants (epochSecond, nanos) "
      "and their one canonical text; cases[0].invalid: texts a version 2 block must not carry, "
      "each with the reason.", [{"valid": timestamp_valid, "invalid": timestamp_invalid}])


def pyca_self_check():
    """Optional: compare every key and signature made above with pyca `cryptography`."""
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    except ImportError:
        print("pyca cryptography not installed: optional self-check skipped")
        return
    for seed, message, public, signature in SIGNED:
        key = Ed25519PrivateKey.from_private_bytes(seed)
        assert key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) == public
        assert key.sign(message) == signature
    print("pyca cryptography agrees on %d signatures" % len(SIGNED))


pyca_self_check()
