! Spawns N copies of a program with their output collected here, as the
! console's "spawn -N -> program" does, and waits until every copy has exited.
! Usage: spawn PROGRAM N
program spawn
  implicit none
  include 'fpvm3.h'
  integer :: mytid, n, numt, info, bufid, i, tids(32)
  character(len=64) :: prog, arg

  call get_command_argument(1, prog)
  call get_command_argument(2, arg)
  read (arg, *) n
  call pvmfmytid(mytid)
  call pvmfcatchout(1, info)
  call pvmfspawn(prog, PVMTASKDEFAULT, '*', n, tids, numt)
  write (6, '(a, i0)') 'spawned ', numt
  flush (6)
  if (numt .lt. 1) then
    call pvmfexit(info)
    stop 1
  end if
  call pvmfnotify(PVMTASKEXIT, 99, numt, tids, info)
  do i = 1, numt
    call pvmfrecv(-1, 99, bufid)
  end do
  call pvmfexit(info)
end program spawn
