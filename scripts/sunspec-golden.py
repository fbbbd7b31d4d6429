#!/usr/bin/env python3
"""Writes the SunSpec golden chains decoded from the untouched upstream json/ folder
(src/test/resources/testcases/sunspec/golden-*): a DER device (models 1, 701-713: nested curves,
three levels in 707-710) and an inverter (1, 103, 120-123, 126, 129). The register image is made
here from seeded values and the expected rows are computed here from the SunSpec Modbus rules
(big-endian registers, sentinels for "not implemented", value * 10^sf with sf read in the same
model, repeating groups in declaration order, nested instances inside their enclosing
instance), independently of the gateway's Java code. pysunspec2 could not be installed on the
machine that wrote the cases (PyPI is not reachable there), so this oracle is written from the
specification. Run from the repository root: python3 scripts/sunspec-golden.py"""
import json, os, random, struct, math

UPSTREAM = '../shared/reference/sunspec-models/upstream-json'
OUT = 'src/test/resources/testcases/sunspec'
SIZES = {'int16': 1, 'uint16': 1, 'count': 1, 'acc16': 1, 'enum16': 1, 'bitfield16': 1, 'sunssf': 1, 'pad': 1, 'int32': 2,
         'uint32': 2, 'acc32': 2, 'enum32': 2, 'bitfield32': 2, 'float32': 2, 'ipaddr': 2, 'int64': 4, 'uint64': 4, 'acc64': 4,
         'float64': 4, 'eui48': 4, 'ipv6addr': 8}
SENT = {'int16': 0x8000, 'uint16': 0xFFFF, 'acc16': 0, 'enum16': 0xFFFF, 'bitfield16': 0xFFFF, 'sunssf': 0x8000,
        'int32': 0x80000000, 'uint32': 0xFFFFFFFF, 'acc32': 0, 'enum32': 0xFFFFFFFF, 'bitfield32': 0xFFFFFFFF,
        'int64': 0x8000000000000000, 'uint64': 0xFFFFFFFFFFFFFFFF, 'acc64': 0, 'ipaddr': 0, 'eui48': 0xFFFFFFFFFFFFFFFF}


def size(p):
    return p.get('size') or SIZES[p['type']]


def signed(v, bits):
    return v - (1 << bits) if v >= 1 << (bits - 1) else v


def ident(name):
    return ''.join(ch if ch.isalnum() or ch == '_' else '_' for ch in name.lower())


def suffix(parent, name):
    p, g = ident(parent), ident(name)
    return g[len(p) + 1:] if g.startswith(p + '_') and len(g) > len(p) + 1 else g


def to_words(v, n):
    v &= (1 << (16 * n)) - 1
    return [(v >> (16 * (n - 1 - i))) & 0xFFFF for i in range(n)]


class Values:
    """Seeded raw values: in range for their type, about one in eight "not implemented"."""

    def __init__(s, seed):
        s.r = random.Random(seed)

    def raw(s, p):
        t, n = p['type'], size(p)
        if t == 'pad':
            return [0x8000]
        if t == 'string':
            if s.r.random() < 0.15:
                return [0] * n
            text = ''.join(s.r.choice('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-') for _ in range(s.r.randint(1, min(2 * n, 20))))
            b = text.encode() + b'\0' * (2 * n - len(text))
            return [(b[2 * i] << 8) | b[2 * i + 1] for i in range(n)]
        if t == 'sunssf':
            return [0x8000] if s.r.random() < 0.08 else to_words(s.r.randint(-3, 2), 1)
        if s.r.random() < 0.12 and t in SENT:
            return to_words(SENT[t], n)
        if t == 'float32':
            return to_words(struct.unpack('>I', struct.pack('>f', s.r.uniform(-1000, 1000)))[0], 2)
        if t == 'float64':
            return to_words(struct.unpack('>Q', struct.pack('>d', s.r.uniform(-1000, 1000)))[0], 4)
        lo, hi = {'int16': (-32767, 32767), 'uint16': (0, 65534), 'count': (0, 65534), 'acc16': (1, 65535),
                  'enum16': (0, 20), 'bitfield16': (0, 0xFFFE), 'int32': (-2 ** 31 + 1, 2 ** 31 - 1),
                  'uint32': (0, 2 ** 32 - 2), 'acc32': (1, 2 ** 32 - 1), 'enum32': (0, 20), 'bitfield32': (0, 2 ** 32 - 2),
                  'int64': (-2 ** 62, 2 ** 62), 'uint64': (0, 2 ** 53), 'acc64': (1, 2 ** 53)}[t]
        return to_words(s.r.randint(lo, hi), n)


def decode(p, w, sf):
    """The SunSpec rules: registers -> the stored value as the case file writes it."""
    t = p['type']
    bits = 0
    for x in w:
        bits = (bits << 16) | x
    if t == 'string':
        b = bytes(sum([[x >> 8, x & 0xFF] for x in w], [])).split(b'\0')[0].rstrip(b' ')
        return 'NULL' if not b else '"%s"' % b.decode()
    if t in SENT and bits == SENT[t]:
        return 'NULL'
    if t == 'float32':
        val = struct.unpack('>f', struct.pack('>I', bits))[0]
        if math.isnan(val):
            return 'NULL'
    elif t == 'float64':
        val = struct.unpack('>d', struct.pack('>Q', bits))[0]
        if math.isnan(val):
            return 'NULL'
    elif t in ('int16', 'sunssf'):
        val = signed(bits, 16)
    elif t == 'int32':
        val = signed(bits, 32)
    elif t in ('int64', 'acc64'):
        val = signed(bits, 64)
    else:
        val = bits
    if p.get('sf') is not None:
        if sf is None:
            return 'NULL'
        val = val / 10 ** (-sf) if sf < 0 else float(val) * 10 ** sf
        return repr(float(val))
    if t in ('float32', 'float64', 'uint64'):
        return repr(float(val))
    return str(val)


class Device:
    def __init__(s, base, counts, seed):
        s.base, s.counts, s.values = base, counts, Values(seed)
        s.regs, s.lines, s.rows, s.layout, s.areas, s.occ = {}, [], [], [], [], {}
        s.addr = base + 2
        s.put(base, [0x5375, 0x6E53], 'SunS')

    def put(s, addr, words, comment):
        for i, x in enumerate(words):
            s.regs[addr + i] = x
        s.lines.append('%d: %s   # %s' % (addr, ' '.join('0x%04X' % x for x in words), comment))

    def count_of(s, g):
        c = g.get('count', 1)
        return s.counts[c] if isinstance(c, str) else c

    def glen(s, g):
        return sum(size(p) for p in g.get('points', [])) + sum(s.count_of(h) * s.glen(h) for h in g.get('groups', []))

    def shape(s, g):
        inner = [s.shape(h) for h in g.get('groups', [])]
        return str(s.count_of(g)) + ('[' + ', '.join(inner) + ']' if inner else '')

    def model(s, mid):
        m = json.load(open(os.path.join(UPSTREAM, 'model_%d.json' % mid)))
        top = m['group']
        L = s.glen(top) - 2
        start = s.addr
        s.put(start, [mid, L], 'model %d %s, L=%d' % (mid, top['name'], L))
        occ = s.occ.get(mid, 0) + 1
        s.occ[mid] = occ
        spans = []
        a = start + 2
        topw = {}
        for p in top['points'][2:]:
            w = s.raw(top, p)
            s.put(a, w, '%s %s' % (p['name'], p['type']))
            topw[p['name']] = w
            if p['type'] != 'pad':
                spans.append((a, len(w)))
            a += len(w)
        s.areas.append(spans)
        table = 'sunspec_' + ident(top['name'])
        s.emit(top, [topw], table, '#%d' % occ, [topw], None)
        groups = top.get('groups', [])
        shape = ''
        if groups:
            shape = ' [' + ', '.join(str(s.count_of(g)) for g in groups) + ']'
            if any(g.get('groups') for g in groups):
                shape += ' nested [' + ', '.join('[' + ', '.join(s.shape(h) for h in g.get('groups', [])) + ']' for g in groups) + ']'
        s.layout.append('%d#%d@%d+%d%s' % (mid, occ, start, L, shape))
        for g in groups:
            a = s.group(g, top['name'], table, '#%d' % occ, [topw], a, spans)
        s.addr = start + 2 + L

    def raw(s, g, p):
        if p['name'] in s.counts and any(h.get('count') == p['name'] for h in all_groups(g)):
            return [s.counts[p['name']]]
        return s.values.raw(p)

    def group(s, g, parent, parent_table, label, scopes, a, spans):
        """Lays out every instance of g from a; rows are written table by table like the gateway stores them."""
        table = parent_table + '_' + suffix(parent, g['name'])
        instances = []
        for k in range(s.count_of(g)):
            ws = {}
            for p in g.get('points', []):
                w = s.values.raw(p)
                s.put(a, w, '%s[%d].%s %s' % (g['name'], k + 1, p['name'], p['type']))
                ws[p['name']] = w
                if p['type'] != 'pad':
                    spans.append((a, len(w)))
                a += len(w)
            nested_at = a
            a += sum(s.count_of(h) * s.glen(h) for h in g.get('groups', []))
            instances.append((ws, nested_at))
        for k, (ws, _) in enumerate(instances):
            s.emit(g, [ws], table, label + '[%d]' % (k + 1), [ws] + scopes, k)
        for j, h in enumerate(g.get('groups', [])):
            for k, (ws, nested_at) in enumerate(instances):
                at = nested_at + sum(s.count_of(x) * s.glen(x) for x in g['groups'][:j])
                # the outer index goes before the group key in the label: table#MODEL/OUTER[KEY]
                s.group(h, g['name'], table, label + '/%d' % (k + 1), [ws] + scopes, at, spans)
        return a

    def emit(s, g, _, table, label, scopes, k):
        ws = scopes[0]
        cells = []
        for p in g.get('points', []):
            if p['type'] == 'pad' or (k is None and p['name'] in ('ID', 'L')):
                continue
            sf = None
            if isinstance(p.get('sf'), int):
                sf = p['sf']
            elif isinstance(p.get('sf'), str):
                for scope in scopes:  # innermost group first, then the enclosing ones
                    if p['sf'] in scope:
                        w = scope[p['sf']][0]
                        sf = None if w == 0x8000 else signed(w, 16)
                        break
            cells.append('%s=%s' % (p['name'], decode(p, ws[p['name']], sf)))
        if k is not None:
            # group rows: the label's last outer index moves into [KEY] form
            head, _, key = label.rpartition('[')
            label = head + '[' + key
        s.rows.append((table + fix(label), cells))

    def write(s, name, header):
        s.put(s.addr, [0xFFFF, 0], 'end of chain')
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, 'chain.txt'), 'w').write('# ' + header.replace('\n', '\n# ') + '\n' + '\n'.join(s.lines) + '\n')
        open(os.path.join(d, 'models-dir.txt'), 'w').write(UPSTREAM + '\n')
        out = ['# computed independently of the gateway from the SunSpec rules (scripts/sunspec-golden.py)']
        for label, cells in s.rows:
            cur = label
            for c in cells:
                if len(cur) + len(c) + 1 > 110:
                    out.append(cur)
                    cur = '+ ' + c
                else:
                    cur += ' ' + c
            out.append(cur)
        open(os.path.join(d, 'expected-rows.txt'), 'w').write('\n'.join(out) + '\n')
        reads = []
        for spans in s.areas:
            cur = None
            for a, n in sorted(spans):
                while n > 125:  # a value longer than one read: consecutive pieces
                    if cur:
                        reads.append(cur)
                    cur = None
                    reads.append((a, 125))
                    a, n = a + 125, n - 125
                if cur is None:
                    cur = (a, n)
                elif a + n - cur[0] <= 125:
                    cur = (cur[0], max(cur[0] + cur[1], a + n) - cur[0])
                else:
                    reads.append(cur)
                    cur = (a, n)
            if cur:
                reads.append(cur)
        open(os.path.join(d, 'expected-layout.txt'), 'w').write('layout SunS at %d: %s\n' % (s.base, ', '.join(s.layout))
                                                                 + ''.join('read %d+%d\n' % r for r in reads))


def fix(label):
    return label


def all_groups(g):
    for h in g.get('groups', []):
        yield h
        yield from all_groups(h)


der = Device(40000, {'NCrv': 2, 'NPt': 3, 'NCrvSet': 2, 'NCtl': 2, 'NSet': 2, 'NPrt': 2, 'NPhs': 1}, 701)
for mid in [1] + list(range(701, 714)):
    der.model(mid)
der.write('golden-der-1-701-713', """An IEEE 1547 DER device from the untouched upstream json/ folder (models-dir.txt): common model 1 and
701-713, with 2 curves of 3 points in 705, 706 and 712, and 2 curve sets of MustTrip, MayTrip and
MomCess groups (count 1 by the schema's default) of 3 points each in 707-710 (three levels).
Seeded values of every type, some "not implemented", scale factors of both signs and some
absent. Expected rows computed by scripts/sunspec-golden.py from the SunSpec rules.""")

inv = Device(40000, {'N': 2, 'NPt': 3, 'NCrv': 2, 'NSet': 2}, 129)
for mid in [1, 103, 120, 121, 122, 123, 126, 129]:
    inv.model(mid)
inv.write('golden-inverter-1-103-129', """A three-phase inverter from the untouched upstream json/ folder (models-dir.txt): common model 1,
103 and the nameplate/settings/status/controls models 120-123, volt-VAr 126 and LVRT 129 (curves
of points). Seeded values, some "not implemented". Expected rows computed by
scripts/sunspec-golden.py from the SunSpec rules.""")
