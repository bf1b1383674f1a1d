! Exercises the routines PVM's examples do not reach, one task talking to itself
! and to the virtual machine. Prints "name=value" lines the test checks.
program routines
  implicit none
  include 'fpvm3.h'
  integer :: me, info, bufid, old, val, i, n, narch, dtid, speed, nh
  integer :: ntask, tid, ptid, flag, nclasses, nentries, index, ctx, ctx2
  integer :: bytes, tag, src, length, enc, crc, wid, dst, atid, atag, alen
  integer :: indices(8), owners(8), flags(8), ivals(4), iback(4), sibs
  double precision :: dvals(3), dback(3)
  integer(kind=2) :: svals(2), sback(2)
  complex :: cval, cback
  character(len=32) :: host, arch, aout, name
  character(len=11) :: word
  character(len=13) :: back

  call pvmfmytid(me)
  write (6, '(a, l1)') 'joined=', me .gt. 0

  ! pvmfconfig cycles one host per call; -1 restarts the cycle.
  nh = -1
  call pvmfconfig(nh, narch, dtid, host, arch, speed, info)
  write (6, '(a, i0, a, i0, a, i0)') 'config=', info, ' nhost=', nh, ' narch=', narch
  write (6, '(a, a, a, i0)') 'arch=', trim(arch), ' speed=', speed
  call pvmftidtohost(me, val)
  write (6, '(a, l1)') 'dtid_is_host=', val .eq. dtid

  ! pvmftasks: this task is one of the machine's.
  ntask = -1
  n = 0
  do
    call pvmftasks(0, ntask, tid, ptid, dtid, flag, aout, info)
    if (info .lt. 0 .or. ntask .le. 0) exit
    n = n + 1
    if (tid .eq. me) write (6, '(a, l1)') 'tasks_has_me=', .true.
    if (n .ge. ntask) exit
  end do
  write (6, '(a, i0)') 'tasks=', n

  ! Siblings of a task nobody spawned: itself.
  call pvmfsiblings(sibs, 0, tid)
  write (6, '(a, i0, a, l1)') 'siblings=', sibs, ' first_is_me=', tid .eq. me

  ! Every data type through a message to itself, strings as their characters.
  ivals = (/ 1, -2, 300000, 4 /)
  dvals = (/ 0.5d0, -1.25d0, 1.0d100 /)
  svals = (/ 7_2, -8_2 /)
  cval = (1.5, -2.5)
  word = 'hello world'
  call pvmfinitsend(PVMDEFAULT, bufid)
  call pvmfpack(INTEGER4, ivals, 4, 1, info)
  call pvmfpack(REAL8, dvals, 3, 1, info)
  call pvmfpack(INTEGER2, svals, 2, 1, info)
  call pvmfpack(COMPLEX8, cval, 1, 1, info)
  call pvmfpack(STRING, word, 11, 1, info)
  call pvmfpack(INTEGER4, ivals, 2, 2, info)
  call pvmfsend(me, 5, info)
  ! The message comes back through pvmd: probe until it is there (at most 5 s, a
  ! timed receive of a tag nobody sends as the pause).
  do i = 1, 500
    call pvmfprobe(me, 5, bufid)
    if (bufid .gt. 0) exit
    call pvmftrecv(-1, 77, 0, 10000, old)
  end do
  write (6, '(a, l1)') 'probe=', bufid .gt. 0
  call pvmfrecv(me, 5, bufid)
  call pvmfbufinfo(bufid, bytes, tag, src, info)
  write (6, '(a, i0, a, l1)') 'bufinfo=', tag, ' from_me=', src .eq. me
  call pvmfunpack(INTEGER4, iback, 4, 1, info)
  call pvmfunpack(REAL8, dback, 3, 1, info)
  call pvmfunpack(INTEGER2, sback, 2, 1, info)
  call pvmfunpack(COMPLEX8, cback, 1, 1, info)
  back = '?????????????'
  call pvmfunpack(STRING, back, 11, 1, info)
  write (6, '(a, l1)') 'ints=', all(iback .eq. ivals)
  write (6, '(a, l1)') 'doubles=', all(dback .eq. dvals)
  write (6, '(a, l1)') 'shorts=', all(sback .eq. svals)
  write (6, '(a, l1)') 'complex=', cback .eq. cval
  ! Eleven characters into thirteen: the last two stay as they were.
  write (6, '(a, a, a)') 'string=[', back, ']'
  ! Every other of the first three integers.
  iback = 0
  call pvmfunpack(INTEGER4, iback, 2, 1, info)
  write (6, '(a, i0, 1x, i0)') 'strided=', iback(1), iback(2)
  call pvmfunpack(INTEGER4, iback, 1, 1, info)
  write (6, '(a, i0)') 'past_end=', info
  call pvmfunpack(99, iback, 1, 1, info)
  write (6, '(a, i0)') 'bad_type=', info

  ! pvmfgetminfo of the received message.
  call pvmfgetminfo(bufid, length, ctx, tag, wid, enc, crc, src, dst, info)
  write (6, '(a, i0, a, i0, a, l1)') 'minfo=', info, ' tag=', tag, ' dst_is_me=', dst .eq. me

  ! psend/precv.
  call pvmfpsend(me, 6, dvals, 3, REAL8, info)
  dback = 0
  call pvmfprecv(me, 6, dback, 3, REAL8, atid, atag, alen, info)
  write (6, '(a, i0, a, i0, a, i0, a, l1)') 'precv=', info, ' tag=', atag, ' len=', alen, &
       ' same=', all(dback .eq. dvals)

  ! Timed and non-blocking receives find nothing.
  call pvmftrecv(-1, 77, 0, 200000, bufid)
  write (6, '(a, i0)') 'trecv=', bufid
  call pvmfnrecv(-1, 77, bufid)
  write (6, '(a, i0)') 'nrecv=', bufid

  ! Options.
  call pvmfsetopt(PVMROUTE, PVMROUTEDIRECT, old)
  call pvmfgetopt(PVMROUTE, val)
  write (6, '(a, i0)') 'route=', val
  call pvmfsetopt(PVMAUTOERR, 0, old)
  write (6, '(a, i0)') 'autoerr_was=', old

  ! Contexts.
  call pvmfgetcontext(ctx)
  call pvmfnewcontext(ctx2)
  call pvmfsetcontext(ctx2, old)
  call pvmfgetcontext(val)
  write (6, '(a, l1, a, l1)') 'context_set=', val .eq. ctx2, ' old_was_base=', old .eq. ctx
  call pvmfsetcontext(ctx, old)
  call pvmffreecontext(ctx2, info)
  write (6, '(a, i0)') 'freecontext=', info

  ! The mailbox, and pvmfgetmboxinfo's cycle.
  call pvmfinitsend(PVMDEFAULT, bufid)
  call pvmfpack(INTEGER4, me, 1, 1, info)
  call pvmfputinfo('fortran_box', bufid, PVMMBOXDEFAULT, index)
  write (6, '(a, i0)') 'putinfo=', index
  call pvmfrecvinfo('fortran_box', 0, PVMMBOXDEFAULT, bufid)
  call pvmfsetrbuf(bufid, old)
  call pvmfunpack(INTEGER4, val, 1, 1, info)
  write (6, '(a, l1)') 'recvinfo_me=', val .eq. me
  info = -1
  call pvmfgetmboxinfo('fortran_box', name, nclasses, nentries, indices, owners, flags, info)
  write (6, '(a, i0, a, a, a, i0, a, i0, a, l1)') 'mboxinfo=', info, ' name=', trim(name), &
       ' classes=', nclasses, ' entries=', nentries, ' owner_me=', owners(1) .eq. me
  call pvmfgetmboxinfo('fortran_box', name, nclasses, nentries, indices, owners, flags, info)
  write (6, '(a, i0)') 'mboxinfo_end=', info
  call pvmfdelinfo('fortran_box', 0, 0, info)
  write (6, '(a, i0)') 'delinfo=', info
  call pvmfrecvinfo('fortran_box', 0, PVMMBOXDEFAULT, bufid)
  write (6, '(a, i0)') 'recvinfo_gone=', bufid

  ! Errors as codes.
  call pvmfmstat('no.such.host', val)
  write (6, '(a, i0)') 'mstat=', val
  call pvmfpstat(me, val)
  write (6, '(a, i0)') 'pstat=', val
  call pvmfarchcode('LINUX64', val)
  write (6, '(a, l1)') 'archcode=', val .gt. 0
  call pvmfspawn('no_such_program', PVMDEFAULT, '*', 1, ivals, n)
  write (6, '(a, i0, a, i0)') 'spawn=', n, ' code=', ivals(1)
  call pvmffreebuf(12345, info)
  write (6, '(a, i0)') 'freebuf=', info
  call pvmfhostsync(dtid, i, i, i, i, info)
  write (6, '(a, i0)') 'hostsync=', info

  call pvmfexit(info)
  write (6, '(a, i0)') 'exit=', info
end program routines
