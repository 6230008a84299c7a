/**
 * HTML named character references (WHATWG HTML §13.5), the ones feeds actually use: every
 * name of up to 8 letters that stands for one character between U+0020 and U+3000 (1,526 of
 * the 2,125 in the table; the rest are long MathML aliases and two-character sequences). Written as
 * "name=codepoint-in-base-36" pairs to keep the table compact.
 */
const TABLE = `
Aacute=5d aacute=69 Abreve=76 abreve=77 ac=6ri acd=6rj Acirc=5e acirc=6a acute=50 Acy=sw acy=ts
AElig=5i aelig=6e af=6e9 Agrave=5c agrave=68 alefsym=6k5 aleph=6k5 Alpha=pd alpha=q9 Amacr=74
amacr=75 amalg=8cf amp=12 AMP=12 andand=8d1 And=8cz and=6qv andd=8d8 andslope=8d4 andv=8d6
ang=6qo ange=884 angle=6qo angmsdaa=888 angmsdab=889 angmsdac=88a angmsdad=88b angmsdae=88c
angmsdaf=88d angmsdag=88e angmsdah=88f angmsd=6qp angrt=6qn angrtvb=6v2 angrtvbd=87x angsph=6qq
angst=5h angzarr=70c Aogon=78 aogon=79 apacir=8dr ap=6rs apE=8ds ape=6ru apid=6rv apos=13
approx=6rs approxeq=6ru Aring=5h aring=6d Assign=6s4 ast=16 asymp=6rs asympeq=6rx Atilde=5f
atilde=6b Auml=5g auml=6c awconint=6r7 awint=8b5 backcong=6rw backsim=6rh Barv=8h3 barvee=6v1
barwed=6x1 Barwed=6x2 barwedge=6x1 bbrk=71x bbrktbrk=71y bcong=6rw Bcy=sx bcy=tt bdquo=6ce
becaus=6r9 because=6r9 Because=6r9 bemptyv=88g bepsi=s6 bernou=6jw Beta=pe beta=qa beth=6k6
between=6ss bigcap=6v6 bigcirc=7hr bigcup=6v7 bigodot=8ao bigoplus=8ap bigsqcup=8au bigstar=7id
biguplus=8as bigvee=6v5 bigwedge=6v4 bkarow=83x blank=74z blk12=7f6 blk14=7f5 blk34=7f7
block=7ew bNot=8h9 bnot=6xc bot=6ud bottom=6ud bowtie=6vc boxbox=895 boxdl=7bk boxdL=7dh
boxDl=7di boxDL=7dj boxdr=7bg boxdR=7de boxDr=7df boxDR=7dg boxh=7b4 boxH=7dc boxhd=7cc
boxHd=7dw boxhD=7dx boxHD=7dy boxhu=7ck boxHu=7dz boxhU=7e0 boxHU=7e1 boxminus=6u7 boxplus=6u6
boxtimes=6u8 boxul=7bs boxuL=7dn boxUl=7do boxUL=7dp boxur=7bo boxuR=7dk boxUr=7dl boxUR=7dm
boxv=7b6 boxV=7dd boxvh=7cs boxvH=7e2 boxVh=7e3 boxVH=7e4 boxvl=7c4 boxvL=7dt boxVl=7du
boxVL=7dv boxvr=7bw boxvR=7dq boxVr=7dr boxVR=7ds bprime=6d1 breve=k8 Breve=k8 brvbar=4m
Bscr=6jw bsemi=6dr bsim=6rh bsime=6vh bsolb=891 bsol=2k bsolhsub=7uw bull=6ci bullet=6ci
bump=6ry bumpE=8fi bumpe=6rz Bumpeq=6ry bumpeq=6rz Cacute=7a cacute=7b capand=8ck capbrcup=8cp
capcap=8cr cap=6qx Cap=6vm capcup=8cn capdot=8cg caret=6dd caron=jr Cayleys=6jx ccaps=8ct
Ccaron=7g ccaron=7h Ccedil=5j ccedil=6f Ccirc=7c ccirc=7d Cconint=6r4 ccups=8cs ccupssm=8cw
Cdot=7e cdot=7f cedil=54 Cedilla=54 cemptyv=88i cent=4i Cfr=6jx CHcy=tj chcy=uf check=7pv Chi=pz
chi=qv circ=jq circeq=6s7 circledR=4u circledS=79k cir=7gr cirE=88z cire=6s7 cirfnint=8b4
cirmid=8hb cirscir=88y clubs=7kz clubsuit=7kz colon=1m Colon=6rb Colone=8dw colone=6s4
coloneq=6s4 comma=18 commat=1s comp=6pt compfn=6qg cong=6rp congdot=8dp conint=6r2 Conint=6r3
Copf=6iq coprod=6q8 copy=4p COPY=4p copysr=6jb crarr=6np cross=7pz Cross=8bz csub=8gf csube=8gh
csup=8gg csupe=8gi ctdot=6wf cudarrl=854 cudarrr=851 cuepr=6vy cuesc=6vz cularr=6nq cularrp=859
cupbrcap=8co cupcap=8cm CupCap=6rx cup=6qy Cup=6vn cupcup=8cq cupdot=6tp cupor=8cl curarr=6nr
curarrm=858 curlyvee=6vi curren=4k cuvee=6vi cuwed=6vj cwconint=6r6 cwint=6r5 cylcty=6y5
dagger=6cg Dagger=6ch daleth=6k8 darr=6mr Darr=6n5 dArr=6oj dash=6c0 Dashv=8h0 dashv=6ub
dbkarow=83z dblac=kd Dcaron=7i dcaron=7j Dcy=t0 dcy=tw ddagger=6ch ddarr=6oa DD=6kl dd=6km
DDotrahd=841 ddotseq=8dz deg=4w Del=6pz Delta=pg delta=qc demptyv=88h dfisht=873 dHar=86d
dharl=6o3 dharr=6o2 diam=6v8 diamond=6v8 Diamond=6v8 diams=7l2 die=4o digamma=rh disin=6wi
div=6v divide=6v divonx=6vb DJcy=si djcy=uq dlcorn=6xq dlcrop=6x9 dollar=10 Dot=4o dot=k9
DotDot=6ho doteq=6s0 doteqdot=6s1 DotEqual=6s0 dotminus=6rc dotplus=6qc DownTee=6uc drbkarow=840
drcorn=6xr drcrop=6x8 DScy=sl dscy=ut dsol=8ae Dstrok=7k dstrok=7l dtdot=6wh dtri=7gf dtrif=7ge
duarr=6ph duhar=86n dwangle=886 DZcy=sv dzcy=v3 dzigrarr=7wf Eacute=5l eacute=6h easter=8dq
Ecaron=7u ecaron=7v Ecirc=5m ecirc=6i ecir=6s6 ecolon=6s5 Ecy=tp ecy=ul eDDot=8dz Edot=7q
edot=7r eDot=6s1 ee=6kn efDot=6s2 eg=8ey Egrave=5k egrave=6g egs=8eu egsdot=8ew el=8ex
Element=6q0 elinters=73b ell=6j7 els=8et elsdot=8ev Emacr=7m emacr=7n empty=6px emptyset=6px
emptyv=6px emsp13=6bo emsp14=6bp emsp=6bn ENG=96 eng=97 ensp=6bm Eogon=7s eogon=7t epar=6vp
eparsl=89v eplus=8dt epsi=qd Epsilon=ph epsilon=qd epsiv=s5 eqcirc=6s6 eqcolon=6s5 eqsim=6rm
Equal=8dx equals=1p equest=6sf equiv=6sh equivDD=8e0 eqvparsl=89x erarr=86p erDot=6s3 escr=6jz
Escr=6k0 esdot=6s0 Esim=8dv esim=6rm Eta=pj eta=qf ETH=5s eth=6o Euml=5n euml=6j euro=6gc excl=x
exist=6pv Exists=6pv Fcy=tg fcy=uc female=7k0 flat=7l9 fltns=7g1 fnof=b6 forall=6ps ForAll=6ps
fork=6vo forkv=8gp fpartint=8b1 frac12=59 frac13=6kz frac14=58 frac15=6l1 frac16=6l5 frac18=6l7
frac23=6l0 frac25=6l2 frac34=5a frac35=6l3 frac38=6l8 frac45=6l4 frac56=6l6 frac58=6l9
frac78=6la frasl=6dg frown=6xu Fscr=6k1 gacute=dx Gamma=pf gamma=qb Gammad=rg gammad=rh gap=8ee
Gbreve=7y gbreve=7z Gcedil=82 Gcirc=7w gcirc=7x Gcy=sz gcy=tv Gdot=80 gdot=81 ge=6sl gE=6sn
gEl=8ek gel=6vv geq=6sl geqq=6sn geqslant=8e6 gescc=8fd ges=8e6 gesdot=8e8 gesdoto=8ea
gesdotol=8ec gesles=8es gg=6sr Gg=6vt ggg=6vt gimel=6k7 GJcy=sj gjcy=ur gla=8f9 gl=6t3 glE=8eq
glj=8f8 gnap=8ei gnapprox=8ei gne=8eg gnE=6sp gneq=8eg gneqq=6sp gnsim=6w7 grave=2o gscr=6iy
gsim=6sz gsime=8em gsiml=8eo gtcc=8fb gtcir=8e2 gt=1q GT=1q Gt=6sr gtdot=6vr gtlPar=87p
gtquest=8e4 gtrarr=86w gtrdot=6vr gtrless=6t3 gtrsim=6sz Hacek=jr hairsp=6bu half=59 hamilt=6iz
HARDcy=tm hardcy=ui harrcir=85k harr=6ms hArr=6ok harrw=6nh Hat=2m hbar=6j3 Hcirc=84 hcirc=85
hearts=7l1 hellip=6cm hercon=6ux Hfr=6j0 hksearow=84l hkswarow=84m hoarr=6pr homtht=6rf Hopf=6j1
horbar=6c5 Hscr=6iz hslash=6j3 Hstrok=86 hstrok=87 hybull=6df hyphen=6c0 Iacute=5p iacute=6l
ic=6eb Icirc=5q icirc=6m Icy=t4 icy=u0 Idot=8g IEcy=t1 iecy=tx iexcl=4h iff=6ok Ifr=6j5
Igrave=5o igrave=6k ii=6ko iiiint=8b0 iiint=6r1 iinfin=89o iiota=6jt IJlig=8i ijlig=8j Imacr=8a
imacr=8b image=6j5 imagline=6j4 imagpart=6j5 imath=8h Im=6j5 imof=6uv imped=c5 Implies=6oi
incare=6it in=6q0 infin=6qm infintie=89p inodot=8h intcal=6uy int=6qz Int=6r0 integers=6jo
Integral=6qz intercal=6uy intlarhk=8bb intprod=8cc IOcy=sh iocy=up Iogon=8e iogon=8f Iota=pl
iota=qh iprod=8cc iquest=5b Iscr=6j4 isin=6q0 isindot=6wl isinE=6wp isins=6wk isinsv=6wj
isinv=6q0 it=6ea Itilde=88 itilde=89 Iukcy=sm iukcy=uu Iuml=5r iuml=6n Jcirc=8k jcirc=8l Jcy=t5
jcy=u1 jmath=fr Jsercy=so jsercy=uw Jukcy=sk jukcy=us Kappa=pm kappa=qi kappav=s0 Kcedil=8m
kcedil=8n Kcy=t6 kcy=u2 kgreen=8o KHcy=th khcy=ud KJcy=ss kjcy=v0 lAarr=6oq Lacute=8p lacute=8q
laemptyv=88k lagran=6j6 Lambda=pn lambda=qj lang=7vs Lang=7vu langd=87l langle=7vs lap=8ed
laquo=4r larrb=6p0 larrbfs=84f larr=6mo Larr=6n2 lArr=6og larrfs=84d larrhk=6nd larrlp=6nf
larrpl=855 larrsim=86r larrtl=6n6 latail=849 lAtail=84b lat=8ff late=8fh lbarr=83w lBarr=83y
lbbrk=7si lbrace=3f lbrack=2j lbrke=87f lbrksld=87j lbrkslu=87h Lcaron=8t lcaron=8u Lcedil=8r
lcedil=8s lceil=6x4 lcub=3f Lcy=t7 lcy=u3 ldca=852 ldquo=6cc ldquor=6ce ldrdhar=86f ldrushar=85n
ldsh=6nm le=6sk lE=6sm LeftTee=6ub lEg=8ej leg=6vu leq=6sk leqq=6sm leqslant=8e5 lescc=8fc
les=8e5 lesdot=8e7 lesdoto=8e9 lesdotor=8eb lesges=8er lessdot=6vq lessgtr=6t2 LessLess=8f5
lesssim=6sy lfisht=870 lfloor=6x6 lg=6t2 lgE=8ep lHar=86a lhard=6nx lharu=6nw lharul=86i
lhblk=7es LJcy=sp ljcy=ux llarr=6o7 ll=6sq Ll=6vs llcorner=6xq llhard=86j lltri=7i2 Lmidot=8v
lmidot=8w lmoust=71s lnap=8eh lnapprox=8eh lne=8ef lnE=6so lneq=8ef lneqq=6so lnsim=6w6
loang=7vw loarr=6pp lobrk=7vq lopar=879 loplus=8bx lotimes=8c4 lowast=6qf lowbar=2n loz=7gq
lozenge=7gq lozf=8a3 lpar=14 lparlt=87n lrarr=6o6 lrcorner=6xr lrhar=6ob lrhard=86l lrm=6by
lrtri=6v3 lsaquo=6d5 Lscr=6j6 lsh=6nk Lsh=6nk lsim=6sy lsime=8el lsimg=8en lsqb=2j lsquo=6c8
lsquor=6ca Lstrok=8x lstrok=8y ltcc=8fa ltcir=8e1 lt=1o LT=1o Lt=6sq ltdot=6vq lthree=6vf
ltimes=6vd ltlarr=86u ltquest=8e3 ltri=7gj ltrie=6us ltrif=7gi ltrPar=87q lurdshar=85m
luruhar=86e macr=4v male=7k2 malt=7q8 maltese=7q8 Map=83p map=6na mapsto=6na mapstoup=6n9
marker=7fy mcomma=8bt Mcy=t8 mcy=u4 mdash=6c4 mDDot=6re mho=6jr micro=51 midast=16 midcir=8hc
mid=6qr middot=53 minusb=6u7 minus=6qa minusd=6rc minusdu=8bu mlcp=8gr mldr=6cm mnplus=6qb
models=6uf mp=6qb Mscr=6k3 mstpos=6ri Mu=po mu=qk multimap=6uw mumap=6uw nabla=6pz Nacute=8z
nacute=90 nap=6rt napos=95 napprox=6rt natural=7la naturals=6j9 natur=7la nbsp=4g ncap=8cj
Ncaron=93 ncaron=94 Ncedil=91 ncedil=92 ncong=6rr ncup=8ci Ncy=t9 ncy=u5 ndash=6c3 nearhk=84k
nearr=6mv neArr=6on nearrow=6mv ne=6sg nequiv=6si nesear=84o nexist=6pw nexists=6pw nge=6sx
ngeq=6sx ngsim=6t1 ngt=6sv ngtr=6sv nharr=6ni nhArr=6oe nhpar=8he ni=6q3 nis=6ws nisd=6wq
niv=6q3 NJcy=sq njcy=uy nlarr=6my nlArr=6od nldr=6cl nle=6sw nleq=6sw nless=6su nlsim=6t0
nlt=6su nltri=6wa nltrie=6wc nmid=6qs NoBreak=6e8 Nopf=6j9 Not=8h8 not=4s NotEqual=6sg notin=6q1
notinva=6q1 notinvb=6wn notinvc=6wm NotLess=6su notni=6q4 notniva=6q4 notnivb=6wu notnivc=6wt
NotTilde=6rl npar=6qu npolint=8b8 npr=6tc nprcue=6w0 nprec=6tc nrarr=6mz nrArr=6of nrtri=6wb
nrtrie=6wd nsc=6td nsccue=6w1 nsim=6rl nsime=6ro nsimeq=6ro nsmid=6qs nspar=6qu nsqsube=6w2
nsqsupe=6w3 nsub=6tg nsube=6tk nsucc=6td nsup=6th nsupe=6tl ntgl=6t5 Ntilde=5t ntilde=6p
ntlg=6t4 Nu=pp nu=ql num=z numero=6ja numsp=6br nvdash=6uk nvDash=6ul nVdash=6um nVDash=6un
nvHarr=83o nvinfin=89q nvlArr=83m nvrArr=83n nwarhk=84j nwarr=6mu nwArr=6om nwarrow=6mu
nwnear=84n Oacute=5v oacute=6r oast=6u3 Ocirc=5w ocirc=6s ocir=6u2 Ocy=ta ocy=u6 odash=6u5
Odblac=9c odblac=9d odiv=8c8 odot=6u1 odsold=88s OElig=9e oelig=9f ofcir=88v ogon=kb Ograve=5u
ograve=6q ogt=88x ohbar=88l ohm=q1 oint=6r2 olarr=6nu olcir=88u olcross=88r oline=6da olt=88w
Omacr=98 omacr=99 Omega=q1 omega=qx Omicron=pr omicron=qn omid=88m ominus=6ty opar=88n operp=88p
oplus=6tx orarr=6nv Or=8d0 or=6qw ord=8d9 order=6k4 orderof=6k4 ordf=4q ordm=56 origof=6uu
oror=8d2 orslope=8d3 orv=8d7 oS=79k oscr=6k4 Oslash=60 oslash=6w osol=6u0 Otilde=5x otilde=6t
otimesas=8c6 Otimes=8c7 otimes=6tz Ouml=5y ouml=6u ovbar=6yl OverBar=6da para=52 parallel=6qt
par=6qt parsim=8hf parsl=8hp part=6pu PartialD=6pu Pcy=tb pcy=u7 percnt=11 period=1a permil=6cw
perp=6ud pertenk=6cx Phi=py phi=qu phiv=r9 phmmat=6k3 phone=7im Pi=ps pi=qo piv=ra planck=6j3
planckh=6j2 plankv=6j3 plusacir=8bn plusb=6u6 pluscir=8bm plus=17 plusdo=6qc plusdu=8bp
pluse=8du plusmn=4x plussim=8bq plustwo=8br pm=4x pointint=8b9 Popf=6jd pound=4j prap=8fr Pr=8fv
pr=6t6 prcue=6t8 prec=6t6 Precedes=6t6 preceq=8fj precneqq=8fp precnsim=6w8 pre=8fj prE=8fn
precsim=6ta prime=6cy Prime=6cz primes=6jd prnap=8ft prnE=8fp prnsim=6w8 prod=6q7 Product=6q7
profalar=6y6 profline=6xe profsurf=6xf prop=6ql propto=6ql prsim=6ta prurel=6uo Psi=q0 psi=qw
puncsp=6bs qint=8b0 Qopf=6je qprime=6dz quatint=8ba quest=1r questeq=6sf quot=y QUOT=y rAarr=6or
Racute=9g racute=9h radic=6qi raemptyv=88j rang=7vt Rang=7vv rangd=87m range=885 rangle=7vt
raquo=57 rarrap=86t rarrb=6p1 rarrbfs=84g rarrc=84z rarr=6mq Rarr=6n4 rArr=6oi rarrfs=84e
rarrhk=6ne rarrlp=6ng rarrpl=85h rarrsim=86s Rarrtl=846 rarrtl=6n7 rarrw=6n1 ratail=84a
rAtail=84c ratio=6ra rbarr=83x rBarr=83z RBarr=840 rbbrk=7sj rbrace=3h rbrack=2l rbrke=87g
rbrksld=87i rbrkslu=87k Rcaron=9k rcaron=9l Rcedil=9i rcedil=9j rceil=6x5 rcub=3h Rcy=tc rcy=u8
rdca=853 rdldhar=86h rdquo=6cd rdquor=6cd rdsh=6nn real=6jg realine=6jf realpart=6jg reals=6jh
Re=6jg rect=7fx reg=4u REG=4u rfisht=871 rfloor=6x7 Rfr=6jg rHar=86c rhard=6o1 rharu=6o0
rharul=86k Rho=pt rho=qp rhov=s1 RightTee=6ua ring=ka rlarr=6o4 rlhar=6oc rlm=6bz rmoust=71t
rnmid=8ha roang=7vx roarr=6pq robrk=7vr ropar=87a Ropf=6jh roplus=8by rotimes=8c5 rpar=15
rpargt=87o rppolint=8b6 rrarr=6o9 rsaquo=6d6 Rscr=6jf rsh=6nl Rsh=6nl rsqb=2l rsquo=6c9
rsquor=6c9 rthree=6vg rtimes=6ve rtri=7g9 rtrie=6ut rtrif=7g8 rtriltri=89a ruluhar=86g rx=6ji
Sacute=9m sacute=9n sbquo=6ca scap=8fs Scaron=9s scaron=9t Sc=8fw sc=6t7 sccue=6t9 sce=8fk
scE=8fo Scedil=9q scedil=9r Scirc=9o scirc=9p scnap=8fu scnE=8fq scnsim=6w9 scpolint=8b7
scsim=6tb Scy=td scy=u9 sdotb=6u9 sdot=6v9 sdote=8di searhk=84l searr=6mw seArr=6oo searrow=6mw
sect=4n semi=1n seswar=84p setminus=6qe setmn=6qe sext=7qu sfrown=6xu sharp=7lb SHCHcy=tl
shchcy=uh SHcy=tk shcy=ug shortmid=6qr shy=4t Sigma=pv sigma=qr sigmaf=qq sigmav=qq sim=6rg
simdot=8dm sime=6rn simeq=6rn simg=8f2 simgE=8f4 siml=8f1 simlE=8f3 simne=6rq simplus=8bo
simrarr=86q slarr=6mo smashp=8c3 smeparsl=89w smid=6qr smile=6xv smt=8fe smte=8fg SOFTcy=to
softcy=uk solbar=6yn solb=890 sol=1b spades=7kw spar=6qt sqcap=6tv sqcup=6tw Sqrt=6qi sqsub=6tr
sqsube=6tt sqsubset=6tr sqsup=6ts sqsupe=6tu sqsupset=6ts square=7fl Square=7fl squarf=7fu
squ=7fl squf=7fu srarr=6mq ssetmn=6qe ssmile=6xv sstarf=6va Star=6va star=7ie starf=7id strns=4v
sub=6te Sub=6vk subdot=8fx subE=8g5 sube=6ti subedot=8g3 submult=8g1 subnE=8gb subne=6tm
subplus=8fz subrarr=86x subset=6te Subset=6vk subseteq=6ti subsim=8g7 subsub=8gl subsup=8gj
succ=6t7 Succeeds=6t7 succeq=8fk succneqq=8fq succnsim=6w9 succsim=6tb SuchThat=6q3 sum=6q9
Sum=6q9 sung=7l6 sup1=55 sup2=4y sup3=4z sup=6tf Sup=6vl supdot=8fy supdsub=8go supE=8g6
supe=6tj supedot=8g4 Superset=6tf suphsol=7ux suphsub=8gn suplarr=86z supmult=8g2 supnE=8gc
supne=6tn supplus=8g0 supset=6tf Supset=6vl supseteq=6tj supsim=8g8 supsub=8gk supsup=8gm
swarhk=84m swarr=6mx swArr=6op swarrow=6mx swnwar=84q szlig=67 target=6xi Tau=pw tau=qs tbrk=71w
Tcaron=9w tcaron=9x Tcedil=9u tcedil=9v Tcy=te tcy=ua tdot=6hn telrec=6xh there4=6r8 Theta=pk
theta=qg thetasym=r5 thetav=r5 thicksim=6rg thinsp=6bt thkap=6rs thksim=6rg THORN=66 thorn=72
tilde=kc Tilde=6rg timesbar=8c1 timesb=6u8 times=5z timesd=8c0 tint=6r1 toea=84o topbot=6ye
topcir=8hd top=6uc topfork=8gq tosa=84p tprime=6d0 trade=6jm TRADE=6jm triangle=7g5 tridot=7ho
trie=6sc triminus=8ca triplus=8c9 trisb=899 tritime=8cb trpezium=736 TScy=ti tscy=ue TSHcy=sr
tshcy=uz Tstrok=9y tstrok=9z twixt=6ss Uacute=62 uacute=6y uarr=6mp Uarr=6n3 uArr=6oh
Uarrocir=85l Ubrcy=su ubrcy=v2 Ubreve=a4 ubreve=a5 Ucirc=63 ucirc=6z Ucy=tf ucy=ub udarr=6o5
Udblac=a8 udblac=a9 udhar=86m ufisht=872 Ugrave=61 ugrave=6x uHar=86b uharl=6nz uharr=6ny
uhblk=7eo ulcorn=6xo ulcorner=6xo ulcrop=6xb ultri=7i0 Umacr=a2 umacr=a3 uml=4o UnderBar=2n
Union=6v7 Uogon=aa uogon=ab uparrow=6mp UpArrow=6mp Uparrow=6oh uplus=6tq upsi=qt Upsi=r6
upsih=r6 Upsilon=px upsilon=qt UpTee=6ud urcorn=6xp urcorner=6xp urcrop=6xa Uring=a6 uring=a7
urtri=7i1 utdot=6wg Utilde=a0 utilde=a1 utri=7g5 utrif=7g4 uuarr=6o8 Uuml=64 uuml=70 uwangle=887
vangrt=87w varkappa=s0 varphi=r9 varpi=ra varr=6mt vArr=6ol varrho=s1 varsigma=qq vartheta=r5
vBar=8h4 Vbar=8h7 vBarv=8h5 Vcy=sy vcy=tu vdash=6ua vDash=6ug Vdash=6uh VDash=6uj Vdashl=8h2
veebar=6uz vee=6qw Vee=6v5 veeeq=6sa vellip=6we verbar=3g Verbar=6c6 vert=3g Vert=6c6 vltri=6uq
vprop=6ql vrtri=6ur Vvdash=6ui vzigzag=87u Wcirc=ac wcirc=ad wedbar=8db wedge=6qv Wedge=6v4
wedgeq=6s9 weierp=6jc wp=6jc wr=6rk wreath=6rk xcap=6v6 xcirc=7hr xcup=6v7 xdtri=7gd xharr=7w7
xhArr=7wa Xi=pq xi=qm xlarr=7w5 xlArr=7w8 xmap=7wc xnis=6wr xodot=8ao xoplus=8ap xotime=8aq
xrarr=7w6 xrArr=7w9 xsqcup=8au xuplus=8as xutri=7g3 xvee=6v5 xwedge=6v4 Yacute=65 yacute=71
YAcy=tr yacy=un Ycirc=ae ycirc=af Ycy=tn ycy=uj yen=4l YIcy=sn yicy=uv YUcy=tq yucy=um yuml=73
Yuml=ag Zacute=ah zacute=ai Zcaron=al zcaron=am Zcy=t3 zcy=tz Zdot=aj zdot=ak zeetrf=6js Zeta=pi
zeta=qe Zfr=6js ZHcy=t2 zhcy=ty zigrarr=6ot Zopf=6jo zwj=6bx zwnj=6bw
`;

let map: Map<string, string> | null = null;

/** The character a named reference stands for (name without & and ;), or undefined. */
export function namedEntity(name: string): string | undefined {
  if (!map) {
    map = new Map();
    for (const pair of TABLE.split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0)
        map.set(pair.slice(0, eq), String.fromCodePoint(Number.parseInt(pair.slice(eq + 1), 36)));
    }
  }
  return map.get(name);
}
