!     fpvm3.h: the constants of PVM 3.4's Fortran interface, for
!     programs linked with this project's libfpvm3 (include it with
!     include 'fpvm3.h').  Written for this project from PVM 3.4's
!     documented values; every name is a typed integer parameter, so
!     the file serves programs with implicit none too.  Fixed form,
!     within column 72, so it can be included by fixed- and free-form
!     sources alike.
!
!     The reduction functions PvmSum, PvmProduct, PvmMax and PvmMin
!     are routines of the library: declare them external in the
!     program that passes them to pvmfreduce.

!     ---- spawn flags (pvmfspawn) -------------------------------------
      integer PVMTASKDEFAULT, PVMTASKHOST, PVMTASKARCH, PVMTASKDEBUG
      integer PVMTASKTRACE, PVMMPPFRONT, PVMHOSTCOMPL
      integer PVMNOSPAWNPARENT
      integer PVMHOST, PVMARCH, PVMDEBUG, PVMTRACE
      parameter (PVMTASKDEFAULT = 0)
      parameter (PVMTASKHOST = 1)
      parameter (PVMTASKARCH = 2)
      parameter (PVMTASKDEBUG = 4)
      parameter (PVMTASKTRACE = 8)
      parameter (PVMMPPFRONT = 16)
      parameter (PVMHOSTCOMPL = 32)
      parameter (PVMNOSPAWNPARENT = 64)
!     the short spellings of PVM 3's Fortran manual
      parameter (PVMHOST = 1)
      parameter (PVMARCH = 2)
      parameter (PVMDEBUG = 4)
      parameter (PVMTRACE = 8)

!     ---- message encodings (pvmfinitsend, pvmfmkbuf) -----------------
!     PVMDEFAULT (0) also stands for PVMTASKDEFAULT in spawn calls.
      integer PVMDATADEFAULT, PVMDATARAW, PVMDATAINPLACE, PVMDATATRACE
      integer PVMDEFAULT, PVMRAW, PVMINPLACE
      parameter (PVMDATADEFAULT = 0)
      parameter (PVMDATARAW = 1)
      parameter (PVMDATAINPLACE = 2)
      parameter (PVMDATATRACE = 4)
      parameter (PVMDEFAULT = 0)
      parameter (PVMRAW = 1)
      parameter (PVMINPLACE = 2)

!     ---- notify kinds (pvmfnotify) -----------------------------------
      integer PVMTASKEXIT, PVMHOSTDELETE, PVMHOSTADD
      integer PVMROUTEADD, PVMROUTEDELETE, PVMNOTIFYCANCEL
      parameter (PVMTASKEXIT = 1)
      parameter (PVMHOSTDELETE = 2)
      parameter (PVMHOSTADD = 3)
      parameter (PVMROUTEADD = 4)
      parameter (PVMROUTEDELETE = 5)
      parameter (PVMNOTIFYCANCEL = 256)

!     ---- data types (pvmfpack, pvmfpsend, pvmfreduce...) -------------
      integer STRING, BYTE1, INTEGER2, INTEGER4, INTEGER8
      integer REAL4, COMPLEX8, REAL8, COMPLEX16
      parameter (STRING = 0)
      parameter (BYTE1 = 1)
      parameter (INTEGER2 = 2)
      parameter (INTEGER4 = 3)
      parameter (REAL4 = 4)
      parameter (COMPLEX8 = 5)
      parameter (REAL8 = 6)
      parameter (COMPLEX16 = 7)
      parameter (INTEGER8 = 8)

!     ---- options (pvmfsetopt, pvmfgetopt) ----------------------------
!     The Self options carry an S (PVMSOUTPUTTID is PvmSelfOutputTid)
!     and contexts are CTX, as in PVM 3.4.
      integer PVMROUTE, PVMDEBUGMASK, PVMAUTOERR
      integer PVMOUTPUTTID, PVMOUTPUTCODE
      integer PVMTRACETID, PVMTRACECODE, PVMTRACEBUFFER
      integer PVMTRACEOPTIONS, PVMFRAGSIZE, PVMRESVTIDS
      integer PVMSOUTPUTTID, PVMSOUTPUTCODE
      integer PVMSTRACETID, PVMSTRACECODE, PVMSTRACEBUFFER
      integer PVMSTRACEOPTIONS, PVMSHOWTIDS, PVMPOLLTYPE, PVMPOLLTIME
      integer PVMOUTPUTCTX, PVMTRACECTX, PVMSOUTPUTCTX, PVMSTRACECTX
      integer PVMNORESET
      parameter (PVMROUTE = 1)
      parameter (PVMDEBUGMASK = 2)
      parameter (PVMAUTOERR = 3)
      parameter (PVMOUTPUTTID = 4)
      parameter (PVMOUTPUTCODE = 5)
      parameter (PVMTRACETID = 6)
      parameter (PVMTRACECODE = 7)
      parameter (PVMTRACEBUFFER = 8)
      parameter (PVMTRACEOPTIONS = 9)
      parameter (PVMFRAGSIZE = 10)
      parameter (PVMRESVTIDS = 11)
      parameter (PVMSOUTPUTTID = 12)
      parameter (PVMSOUTPUTCODE = 13)
      parameter (PVMSTRACETID = 14)
      parameter (PVMSTRACECODE = 15)
      parameter (PVMSTRACEBUFFER = 16)
      parameter (PVMSTRACEOPTIONS = 17)
      parameter (PVMSHOWTIDS = 18)
      parameter (PVMPOLLTYPE = 19)
      parameter (PVMPOLLTIME = 20)
      parameter (PVMOUTPUTCTX = 21)
      parameter (PVMTRACECTX = 22)
      parameter (PVMSOUTPUTCTX = 23)
      parameter (PVMSTRACECTX = 24)
      parameter (PVMNORESET = 25)

!     values of PVMROUTE, PVMTRACEOPTIONS and PVMPOLLTYPE
      integer PVMDONTROUTE, PVMALLOWDIRECT, PVMROUTEDIRECT
      integer PVMTRACEFULL, PVMTRACETIME, PVMTRACECOUNT
      integer PVMPOLLCONSTANT, PVMPOLLSLEEP
      parameter (PVMDONTROUTE = 1)
      parameter (PVMALLOWDIRECT = 2)
      parameter (PVMROUTEDIRECT = 3)
      parameter (PVMTRACEFULL = 1)
      parameter (PVMTRACETIME = 2)
      parameter (PVMTRACECOUNT = 3)
      parameter (PVMPOLLCONSTANT = 1)
      parameter (PVMPOLLSLEEP = 2)

!     ---- mailbox flags (pvmfputinfo, pvmfrecvinfo) -------------------
      integer PVMMBOXDEFAULT, PVMMBOXPERSISTENT, PVMMBOXMULTIINSTANCE
      integer PVMMBOXOVERWRITABLE, PVMMBOXFIRSTAVAIL
      integer PVMMBOXREADANDDELETE, PVMMBOXWAITFORINFO
      parameter (PVMMBOXDEFAULT = 0)
      parameter (PVMMBOXPERSISTENT = 1)
      parameter (PVMMBOXMULTIINSTANCE = 2)
      parameter (PVMMBOXOVERWRITABLE = 4)
      parameter (PVMMBOXFIRSTAVAIL = 8)
      parameter (PVMMBOXREADANDDELETE = 16)
      parameter (PVMMBOXWAITFORINFO = 32)

!     ---- error codes (the info and status arguments) -----------------
      integer PvmOk, PvmBadParam, PvmMismatch, PvmOverflow, PvmNoData
      integer PvmNoHost, PvmNoFile, PvmDenied, PvmNoMem, PvmBadMsg
      integer PvmSysErr, PvmNoBuf, PvmNoSuchBuf, PvmNullGroup
      integer PvmDupGroup, PvmNoGroup, PvmNotInGroup, PvmNoInst
      integer PvmHostFail, PvmNoParent, PvmNotImpl, PvmDSysErr
      integer PvmBadVersion, PvmOutOfRes, PvmDupHost, PvmCantStart
      integer PvmAlready, PvmNoTask, PvmNotFound, PvmExists
      integer PvmHostrNMstr, PvmParentNotSet, PvmIPLoopback
      integer PvmNoEntry, PvmDupEntry
      parameter (PvmOk = 0)
      parameter (PvmBadParam = -2)
      parameter (PvmMismatch = -3)
      parameter (PvmOverflow = -4)
      parameter (PvmNoData = -5)
      parameter (PvmNoHost = -6)
      parameter (PvmNoFile = -7)
      parameter (PvmDenied = -8)
      parameter (PvmNoMem = -10)
      parameter (PvmBadMsg = -12)
      parameter (PvmSysErr = -14)
      parameter (PvmNoBuf = -15)
      parameter (PvmNoSuchBuf = -16)
      parameter (PvmNullGroup = -17)
      parameter (PvmDupGroup = -18)
      parameter (PvmNoGroup = -19)
      parameter (PvmNotInGroup = -20)
      parameter (PvmNoInst = -21)
      parameter (PvmHostFail = -22)
      parameter (PvmNoParent = -23)
      parameter (PvmNotImpl = -24)
      parameter (PvmDSysErr = -25)
      parameter (PvmBadVersion = -26)
      parameter (PvmOutOfRes = -27)
      parameter (PvmDupHost = -28)
      parameter (PvmCantStart = -29)
      parameter (PvmAlready = -30)
      parameter (PvmNoTask = -31)
      parameter (PvmNotFound = -32)
      parameter (PvmExists = -33)
      parameter (PvmHostrNMstr = -34)
      parameter (PvmParentNotSet = -35)
      parameter (PvmIPLoopback = -36)
!     PVM 3.3's names of PvmNotFound and PvmExists
      parameter (PvmNoEntry = -32)
      parameter (PvmDupEntry = -33)
