#!/usr/bin/env python3
"""Writes the decoded SunSpec golden cases (src/test/resources/testcases/sunspec/decode-*, skip-*).
The expected rows are computed here from the SunSpec encoding rules, independently of the gateway.
Run from the repository root: python3 scripts/sunspec-testcases.py"""
import json, os, struct, math, sys
RES='src/main/resources/sunspec/models'
OUT='src/test/resources/testcases/sunspec'
SIZES={'int16':1,'uint16':1,'count':1,'acc16':1,'enum16':1,'bitfield16':1,'sunssf':1,'pad':1,'int32':2,'uint32':2,'acc32':2,
 'enum32':2,'bitfield32':2,'float32':2,'ipaddr':2,'int64':4,'uint64':4,'acc64':4,'float64':4,'eui48':4,'ipv6addr':8}
SENT={'int16':0x8000,'uint16':0xFFFF,'acc16':0,'enum16':0xFFFF,'bitfield16':0xFFFF,'sunssf':0x8000,'int32':0x80000000,
 'uint32':0xFFFFFFFF,'acc32':0,'enum32':0xFFFFFFFF,'bitfield32':0xFFFFFFFF,'int64':0x8000000000000000,'uint64':0xFFFFFFFFFFFFFFFF,
 'acc64':0,'ipaddr':0,'eui48':0xFFFFFFFFFFFFFFFF}
def load(mid, extra=None):
    p=os.path.join(extra or RES,'model_%d.json'%mid)
    if not os.path.exists(p): p=os.path.join(RES,'model_%d.json'%mid)
    return json.load(open(p))
def size(p): return p.get('size') or SIZES[p['type']]
def words_of(p, v):
    """v: int raw (unsigned bits) / str / float for float types"""
    t=p['type']; n=size(p)
    if t=='string':
        b=v.encode('ascii') if v is not None else b''
        b=b+b'\0'*(2*n-len(b))
        return [(b[2*i]<<8)|b[2*i+1] for i in range(n)]
    if t=='float32': v=struct.unpack('>I',struct.pack('>f',v))[0]
    if t=='float64': v=struct.unpack('>Q',struct.pack('>d',v))[0]
    if t=='ipv6addr':
        return list(v)
    v &= (1<<(16*n))-1
    return [(v>>(16*(n-1-i)))&0xFFFF for i in range(n)]
def signed(v,bits): return v-(1<<bits) if v>=1<<(bits-1) else v
def decode(p, w, sfval):
    """independent oracle: registers -> expected cell text"""
    t=p['type']; n=size(p)
    bits=0
    for x in w: bits=(bits<<16)|x
    if t=='string':
        b=bytes(sum([[x>>8,x&0xFF] for x in w],[])).replace(b'\0',b'').rstrip(b' ')
        return 'NULL' if not b else '"%s"'%b.decode()
    if t=='ipaddr':
        return 'NULL' if bits==0 else '"%d.%d.%d.%d"'%(w[0]>>8,w[0]&255,w[1]>>8,w[1]&255)
    if t=='eui48':
        if bits==SENT[t]: return 'NULL'
        b=[w[1]>>8,w[1]&255,w[2]>>8,w[2]&255,w[3]>>8,w[3]&255]
        return '"'+':'.join('%02x'%x for x in b)+'"'
    if t=='ipv6addr':
        if bits==0: return 'NULL'
        import ipaddress
        # java prints the full form without :: compression
        return '"'+':'.join('%x'%x for x in w)+'"'
    if t in SENT and bits==SENT[t]: return 'NULL'
    if t=='float32':
        f=struct.unpack('>f',struct.pack('>I',bits))[0]
        if math.isnan(f): return 'NULL'
        val=float(f)
    elif t=='float64':
        f=struct.unpack('>d',struct.pack('>Q',bits))[0]
        if math.isnan(f): return 'NULL'
        val=f
    elif t in ('int16','sunssf'): val=signed(bits,16)
    elif t=='int32': val=signed(bits,32)
    elif t in ('int64','acc64'): val=signed(bits,64)
    else: val=bits
    if 'sf' in p:
        if sfval is None: return 'NULL'
        if sfval<0: val=val/(10**(-sfval))
        else: val=float(val*10**sfval) if t!='uint64' else float(val)*10**sfval
        return repr(float(val))
    if t in ('float32','float64','uint64'): return repr(float(val))
    return str(val)

class Chain:
    def __init__(s, base=40000):
        s.base=base; s.regs={}; s.lines=[]; s.rows=[]; s.addr=base+2; s.occ={}; s.layout=[]; s.skipped=[]; s.areas=[]; s.notes=[]
        s.put(base,[0x5375,0x6E53],'SunS')
    def put(s,addr,words,comment):
        for i,x in enumerate(words): s.regs[addr+i]=x
        s.lines.append('%d: %s   # %s'%(addr,' '.join('0x%04X'%x for x in words),comment))
    def model(s, mid, values, groups=(), extra=None, length=None, table=None, declared_counts=None, expect=True, unserved=()):
        """values: name->raw for top; groups: list of (count, [name->raw per instance]) per group"""
        m=load(mid, extra); top=m['group']
        gdefs=top.get('groups',[])
        glen=[sum(size(p) for p in g['points']) for g in gdefs]
        body=sum(size(p) for p in top['points'])-2+sum(len(insts)*glen[i] for i,(c,insts) in enumerate(groups))
        L=length if length is not None else body
        start=s.addr
        s.put(start,[mid,L],'model %d %s, L=%d'%(mid,top['name'],L))
        a=start+2
        sfs={}
        topw={}
        spans=[]
        end=start+2+L
        past=set()
        at=a
        for p in top['points'][2:]:
            if at+size(p)>end: past.add(p['name'])
            at+=size(p)
        # a value whose scale factor is past the end cannot be decoded either: not read
        # registers the device does not serve (exception 02): a point among them is refused even alone
        gone=past|set(unserved)
        unread=gone|{p['name'] for p in top['points'] if isinstance(p.get('sf'),str) and p['sf'] in gone}
        for p in top['points'][2:]:
            v=values.get(p['name'],default(p))
            w=words_of(p,v); topw[p['name']]=w
            if a+len(w)>end:
                # past the length the device declares: not served, stored NULL
                past.add(p['name']); a+=len(w); continue
            if p['name'] in unserved:
                s.lines.append('# %d: %s not served (exception 02)'%(a,p['name']))
            else:
                s.put(a,w,p['name']+' '+p['type'])
            if p['type']!='pad' and p['name'] not in unread: spans.append((a,len(w)))
            a+=len(w)
            if p['type']=='sunssf': sfs[p['name']]=None if w[0]==0x8000 else signed(w[0],16)
        ginst=[]
        for gi,(c,insts) in enumerate(groups):
            g=gdefs[gi]; rows=[]
            for k,iv in enumerate(insts):
                ws={}
                for p in g['points']:
                    v=iv.get(p['name'],default(p))
                    w=words_of(p,v); s.put(a,w,'%s[%d].%s %s'%(g['name'],k+1,p['name'],p['type'])); ws[p['name']]=w
                    if p['type']!='pad': spans.append((a,len(w)))
                    a+=len(w)
                rows.append(ws)
            ginst.append(rows)
        if a<end:
            s.put(a,[0]*(end-a),'%d registers the model file does not define'%(end-a))
        s.addr=start+2+L
        if not expect: return
        s.areas.append(spans)
        occ=s.occ.get(mid,0)+1; s.occ[mid]=occ
        counts=[len(i) for c,i in groups]
        s.layout.append('%d#%d@%d+%d%s'%(mid,occ,start,L,(' '+str(counts)) if gdefs else ''))
        tname='sunspec_'+''.join(ch if ch.isalnum() or ch=='_' else '_' for ch in top['name'].lower())
        cells=[]
        for p in top['points'][2:]:
            if p['type']=='pad': continue
            sfv=None
            if 'sf' in p:
                sfv=p['sf'] if isinstance(p['sf'],int) else sfs.get(p['sf'])
            cells.append('%s=%s'%(p['name'],'NULL' if p['name'] in unread else decode(p,topw[p['name']],sfv)))
        s.rows.append(('%s#%d'%(tname,occ),cells))
        for gi,rows in enumerate(ginst):
            g=gdefs[gi]
            mn=top['name'].lower().replace('-','_'); gn=g['name'].lower().replace('-','_')
            suffix=gn[len(mn)+1:] if gn.startswith(mn+'_') else gn
            for k,ws in enumerate(rows):
                gsfs=dict(sfs)
                for p in g['points']:
                    if p['type']=='sunssf': gsfs[p['name']]=None if ws[p['name']][0]==0x8000 else signed(ws[p['name']][0],16)
                cells=[]
                for p in g['points']:
                    if p['type']=='pad': continue
                    sfv=None
                    if 'sf' in p: sfv=p['sf'] if isinstance(p['sf'],int) else gsfs[p['sf']]
                    cells.append('%s=%s'%(p['name'],decode(p,ws[p['name']],sfv)))
                s.rows.append(('%s_%s#%d[%d]'%(tname,suffix,occ,k+1),cells))
    def skip(s, mid, L, words, why):
        start=s.addr
        s.put(start,[mid,L]+words,'model %d (%s)'%(mid,why))
        s.addr=start+2+L
    def end(s):
        s.put(s.addr,[0xFFFF,0],'end of chain')
    def write(s, name, header, reads, extra_files=None, describe_skipped=None):
        d=os.path.join(OUT,name); os.makedirs(d,exist_ok=True)
        open(os.path.join(d,'chain.txt'),'w').write('# '+header.replace('\n','\n# ')+'\n'+'\n'.join(s.lines)+'\n')
        rows=[]
        for label,cells in s.rows:
            line=label; cur=line
            out=[]
            for c in cells:
                if len(cur)+len(c)+1>110: out.append(cur); cur='+ '+c
                else: cur+=' '+c
            out.append(cur)
            rows.append('\n'.join(out))
        open(os.path.join(d,'expected-rows.txt'),'w').write('# computed independently of the gateway by the SunSpec rules (scripts/sunspec-testcases.py)\n'+'\n'.join(rows)+'\n')
        lay='layout SunS at %d: %s'%(s.base,', '.join(s.layout))
        if s.skipped: lay+='; skipped: '+'; '.join(s.skipped)
        if s.notes: lay+='; differences: '+'; '.join(s.notes)
        open(os.path.join(d,'expected-layout.txt'),'w').write(lay+'\n'+'\n'.join('read %d+%d'%r for r in reads)+'\n')

def default(p):
    t=p['type']
    if t=='string': return p['name']
    if t=='pad': return 0x8000
    if t=='sunssf': return 0
    if t in('float32','float64'): return 1.5
    if t=='ipv6addr': return [0xfd00,0,0,0,0,0,0,1]
    if t=='eui48': return 0x0000_0200_5E00_5301
    if t=='ipaddr': return 0xC0A8000A
    return 7
def plan(areas, maxr=125, exact=()):
    """areas: list of lists of (addr,len) spans sorted; exact: indexes of areas read without bridging holes"""
    reads=[]
    for i,spans in enumerate(areas):
        cur=None
        for a,n in sorted(spans):
            if cur is None: cur=[a,a+n]; continue
            if a+n-cur[0] <= maxr and (i not in exact or a<=cur[1]): cur[1]=max(cur[1],a+n)
            else: reads.append((cur[0],cur[1]-cur[0])); cur=[a,a+n]
        if cur: reads.append((cur[0],cur[1]-cur[0]))
    return reads
# ---- case 1
c=Chain(40000)
c.model(1,{'Mn':'OpenESS','Md':'SunSpec battery','Opt':None,'Vr':'1.2.3','SN':'SN-0001','DA':1})
c.model(802,{'AHRtg':280,'AHRtg_SF':0,'WHRtg':20000,'WHRtg_SF':1,'WChaRteMax':1000,'WChaDisChaMax_SF':2,'WDisChaRteMax':0xFFFF,
 'DisChaRte':123,'DisChaRte_SF':0x8000,'SoCMax':950,'SoCMin':50,'SocRsvMax':0xFFFF,'SoCRsvMin':100,'SoC':553,'SoC_SF':-1,
 'DoD':447,'DoD_SF':-1,'SoH':9750,'SoH_SF':-2,'NCyc':70000,'ChaSt':4,'LocRemCtl':0xFFFF,'Hb':12,'CtrlHb':0,'AlmRst':0,'Typ':4,
 'State':2,'StateVnd':0xFFFF,'WarrDt':0xFFFFFFFF,'Evt1':8,'Evt2':0xFFFFFFFF,'EvtVnd1':0,'EvtVnd2':0,'V':8123,'VMax':8500,'VMin':7000,'V_SF':-1,
 'CellVMax':3712,'CellVMaxStr':1,'CellVMaxMod':2,'CellVMin':3650,'CellVMinStr':2,'CellVMinMod':1,'CellVAvg':3690,'CellV_SF':-3,
 'A':-1234,'A_SF':-1,'AChaMax':2000,'ADisChaMax':2000,'AMax_SF':0,'W':0x8000,'W_SF':3,'ReqInvState':1,'ReqW':-5,'SetOp':1,'SetInvState':1})
def strg(i):
    return {'StrNMod':2,'StrSt':1,'StrConFail':0,'StrSoC':551+i,'StrSoH':98,'StrA':-5 if i==0 else 5,'StrCellVMax':3712,
      'StrCellVMaxMod':1,'StrCellVMin':3650,'StrCellVMinMod':2,'StrCellVAvg':3690,'StrModTmpMax':305,'StrModTmpMaxMod':1,
      'StrModTmpMin':-15,'StrModTmpMinMod':2,'StrModTmpAvg':0x8000,'StrDisRsn':0xFFFF,'StrConSt':3,'StrEvt1':0,'StrEvt2':0xFFFFFFFF,
      'StrEvtVnd1':0,'StrEvtVnd2':0,'StrSetEna':1,'StrSetCon':1}
c.model(803,{'NStr':2,'NStrCon':2,'ModTmpMax':305,'ModTmpMaxStr':1,'ModTmpMaxMod':2,'ModTmpMin':-15,'ModTmpMinStr':2,'ModTmpMinMod':1,
 'ModTmpAvg':150,'StrVMax':8200,'StrVMaxStr':1,'StrVMin':8100,'StrVMinStr':2,'StrVAvg':8150,'StrAMax':5,'StrAMaxStr':2,'StrAMin':-5,
 'StrAMinStr':1,'StrAAvg':0,'NCellBal':0,'CellV_SF':-3,'ModTmp_SF':-1,'A_SF':0,'SoH_SF':0,'SoC_SF':-1,'V_SF':-1},
 groups=[(None,[strg(0),strg(1)])])
def mod(i,j):
    return {'ModNCell':16,'ModSoC':550+j,'ModSoH':975,'ModCellVMax':3712,'ModCellVMaxCell':3,'ModCellVMin':3650,'ModCellVMinCell':9,
     'ModCellVAvg':3690,'ModCellTmpMax':291,'ModCellTmpMaxCell':4,'ModCellTmpMin':-12,'ModCellTmpMinCell':5,'ModCellTmpAvg':0x8000}
for i in range(2):
    c.model(804,{'Idx':i+1,'NMod':2,'St':1,'ConFail':0,'NCellBal':0,'SoC':551+i,'DoD':449,'NCyc':1200,'SoH':975,'A':-5+10*i,'V':8150,
      'CellVMax':3712,'CellVMaxMod':1,'CellVMin':3650,'CellVMinMod':2,'CellVAvg':3690,'ModTmpMax':305,'ModTmpMaxMod':1,'ModTmpMin':-15,
      'ModTmpMinMod':2,'ModTmpAvg':150,'ConSt':3,'Evt1':0,'Evt2':0xFFFFFFFF,'EvtVnd1':0,'EvtVnd2':0,'SetEna':0xFFFF,'SetCon':1,
      'SoC_SF':-1,'SoH_SF':-1,'DoD_SF':0x8000,'A_SF':-1,'V_SF':-1,'CellV_SF':-3,'ModTmp_SF':-1},
      groups=[(None,[mod(i,0),mod(i,1)])])
c.end()
c.write('decode-battery-802-803-804',"""A battery as a SunSpec device: common model 1, battery 802, lithium-ion bank 803 with NStr = 2
strings, and one 804 string model per string with NMod = 2 modules each. Scale factors of both
signs (WHRtg_SF +1, WChaDisChaMax_SF +2, W_SF +3; SoC_SF -1, SoH_SF -2, CellV_SF -3), a scale
factor that is not implemented (DisChaRte_SF = 0x8000: DisChaRte is NULL), sentinels of uint16,
int16, enum16, uint32 and bitfield32, and strings padded with NULs (Opt all NUL = NULL).""", plan(c.areas))
# ---- case 2
X='src/test/resources/testcases/sunspec/decode-every-type-models-dir/models'
c=Chain(40000)
c.model(64100,{'I16':-12345,'U16':65534,'C':2,'A16':500,'E16':1,'B16':0x8001,'I32':-70000,'U32':4000000000,'A32':123456,
  'E32':70000,'B32':0x80000000,'F32':-2.5,'IP':0x0A000102,'I64':-5000000000,'U64':12345,'A64':9000000000,'F64':1e-3,
  'MAC':0x0000_0011_2233_4455,'IP6':[0x2001,0x0db8,0,0,0,0,0,0x0042],'STR':'ab\0c','S1':-2,'S2':1},
  groups=[(None,[{'V':1234,'W':7,'GS':-3,'T':'x'},{'V':-3,'W':0xFFFF,'GS':2,'T':'yz'}])], extra=X)
# the same model again with every value "not implemented"
c.model(64100,{'I16':0x8000,'U16':0xFFFF,'C':1,'A16':0,'E16':0xFFFF,'B16':0xFFFF,'I32':0x80000000,'U32':0xFFFFFFFF,'A32':0,
  'E32':0xFFFFFFFF,'B32':0xFFFFFFFF,'F32':float('nan'),'IP':0,'I64':0x8000000000000000,'U64':0xFFFFFFFFFFFFFFFF,'A64':0,
  'F64':float('nan'),'MAC':0xFFFFFFFFFFFFFFFF,'IP6':[0]*8,'STR':None,'S1':0x8000,'S2':0x8000},
  groups=[(None,[{'V':0x8000,'W':5,'GS':0x8000,'T':None}])], extra=X)
# model 805: the cell group has count 0 and fills the model length (3 cells here)
c.model(805,{'StrIdx':1,'ModIdx':2,'NCell':3,'SoC':551,'DoD':449,'SoH':975,'NCyc':1200,'V':592,'CellVMax':3712,'CellVMaxCell':1,
  'CellVMin':3650,'CellVMinCell':3,'CellVAvg':3690,'CellTmpMax':291,'CellTmpMaxCell':2,'CellTmpMin':-12,'CellTmpMinCell':3,
  'CellTmpAvg':150,'NCellBal':0,'SN':'MOD-0001','SoC_SF':-1,'SoH_SF':-1,'DoD_SF':-1,'V_SF':-1,'CellV_SF':-3,'Tmp_SF':-1},
  groups=[(0,[{'CellV':3712,'CellTmp':291,'CellSt':0},{'CellV':3650,'CellTmp':-12,'CellSt':1},{'CellV':0xFFFF,'CellTmp':0x8000,'CellSt':0xFFFFFFFF}])])
c.end()
c.write('decode-every-type-models-dir',"""Every SunSpec point type, from a test model (64100) loaded from the case's models/ folder as from
ess.sunspec.models-dir: values in model 64100 #1, every type's "not implemented" value in #2
(all NULL, no quality events). A scale factor inside the repeating group (GS) and one outside it
(S2), constant scale factors (A32: -2, U64: +3), a count point of type count (C). Model 805's cell
group has count 0 and fills the model length: 3 cells. Reads are limited to 20 registers
(max-registers.txt) and never cross a model.""", plan(c.areas, 20))
open('src/test/resources/testcases/sunspec/decode-every-type-models-dir/max-registers.txt','w').write('20\n')
# ---- case 3
c=Chain(0)
c.model(1,{'Mn':'Vendor','Md':'Storage  ','Opt':'  ','Vr':None,'SN':'X1','DA':0xFFFF})
a=c.addr
c.skip(64001,4,[1,2,3,4],'unknown: no definition')
c.skipped.append('model 64001 at %d (length 4): no definition; add model_64001.json to ess.sunspec.models-dir'%a)
c.model(713,{'WHRtg':2000,'WHAvail':0xFFFF,'SoC':553,'SoH':0xFFFF,'Sta':1,'WH_SF':2,'Pct_SF':-1})
# 804 with NMod = 4 modules but a length that only holds its fixed points: the length is trusted (no
# module), the fixed points are decoded and the difference is reported; the chain goes on
a=c.addr
m=load(804); fixed=sum(size(p) for p in m['group']['points'])-2
c.model(804,{'Idx':1,'NMod':4},groups=[(None,[])],length=fixed)
c.notes.append("model 804#1 at %d: count point 'NMod' says 4 but the declared length %d holds 0 'lithium_ion_string_module' "
  "group(s) of 16 registers; the length is trusted"%(a,fixed))
c.end()
c.write('skip-unknown-and-misfit-models',"""The marker at base 0 (40000 answers "illegal data address"). A vendor model without a definition
(64001) is skipped using its length; a model 804 whose NMod = 4 modules do not fit its declared
length is read as the device declares it (its fixed points, no module) and the difference is
reported; the chain goes on to the end marker. Strings padded with spaces are trimmed
("Storage  " → "Storage"; all spaces → NULL); DA = 0xFFFF is uint16's "not implemented".""", plan(c.areas))
# ---- case 4: lengths that differ from the model files, the marker one register later
c=Chain(40001)
m1=load(1); l1=sum(size(p) for p in m1['group']['points'])-2
a=c.addr
c.model(1,{'Mn':'Vendor','Md':'Longer','Opt':None,'Vr':'2','SN':'L1','DA':3},length=l1+4)
c.notes.append('model 1#1 at %d: the device declares %d registers but the model file defines %d; the last 4 are not decoded'%(a,l1+4,l1))
a=c.addr
m=load(713); l713=sum(size(p) for p in m['group']['points'])-2
c.model(713,{'WHRtg':2000,'WHAvail':1500,'SoC':553,'SoH':980},length=4)
c.notes.append('model 713#1 at %d: the model file defines %d registers but the device declares 4; the points past its end are '
  'stored NULL'%(a,l713))
c.end()
c.write('differences-shorter-longer-models',"""A device whose marker is one register later (40001, a device counting registers from 1), a
model 1 declaring 4 registers more than its file (read as declared, the extra registers not
decoded) and a model 713 declaring 4 registers of its 7: WHRtg, WHAvail, SoC and SoH are served,
but their scale factors WH_SF and Pct_SF and the state Sta are past the end: every value that
needs them is NULL. Both differences are reported.""", plan(c.areas))
# ---- case 5: a device that refuses reads over padding and one scale factor
c=Chain(40000)
c.model(713,{'WHRtg':2000,'WHAvail':1500,'SoC':553,'SoH':980,'Sta':1,'WH_SF':2,'Pct_SF':-1})
a=c.addr
at={}
x=a
for p in load(804)['group']['points']:
    at[p['name']]=x; x+=size(p)
c.model(804,{'Idx':1,'NMod':0,'SoC':551,'SoC_SF':-1,'ModTmpMax':305,'ModTmp_SF':-1},groups=[(None,[])],unserved=('Pad1','ModTmp_SF'))
# the first plan reads 804 in one read from Idx to its last scale factor: refused (Pad1 is not served)
c.notes.append('model 804#1 at %d: the device refused read %d+%d (exception 02); its points are read without bridging padding'
  %(a,at['Idx'],at['ModTmp_SF']+1-at['Idx']))
c.notes.append('the device refuses sunspec_lithium_ion_string.ModTmp_SF at %d even alone (exception 02); stored NULL'%at['ModTmp_SF'])
c.end()
c.write('fallback-refused-padding-and-point',"""A device that answers exception 02 for a read over model 804's Pad1 and for its ModTmp_SF
(registers it does not serve), although its model chain declares them. Discovery tries the
planned reads once: 804 is then read point run by point run (no read bridges Pad1), the run
still refused is tried point by point, and ModTmp_SF, refused alone, is stored NULL with every
value scaled by it (ModTmpMax, ModTmpMin, ModTmpAvg). Both findings are reported once.""", plan(c.areas, exact=(1,)))
# ---- case 6: a bank whose NStr disagrees with its length (pysunspec2 #22-like 803 devices)
c=Chain(40000)
a=c.addr
c.model(803,{'NStr':3,'NStrCon':2,'CellV_SF':-3,'ModTmp_SF':-1,'A_SF':0,'SoH_SF':0,'SoC_SF':-1,'V_SF':-1},
 groups=[(None,[strg(0),strg(1)])])
c.notes.append("model 803#1 at %d: count point 'NStr' says 3 but the declared length %d holds 2 'string' "
  "group(s) of 32 registers; the length is trusted"%(a,sum(size(p) for p in load(803)['group']['points'])-2+2*32))
c.end()
c.write('differences-count-disagrees-with-length',"""A lithium-ion bank (803) whose count point NStr says 3 strings while its declared length holds 2:
the length is trusted (2 string rows, decoded where the device put them) and the mismatch is
reported once.""", plan(c.areas))
