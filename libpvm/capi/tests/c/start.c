/*
 * pvm_start_pvmd: with no pvmd running, starts one (ours, through PVM_DPATH), enrolls,
 * sees a second start refused with PvmDupHost, and halts the machine (unless given
 * an argument: then the daemon is left running).
 * Prints "start: ok" when all went as expected.
 */
#include <stdio.h>
#include "pvm3.h"

int main(int argc, char **argv)
{
	char *args[] = { "-d0", NULL };
	int cc;

	pvm_setopt(PvmAutoErr, 0);
	if ((cc = pvm_start_pvmd(1, args, 1)) != 0) {
		printf("start: first start returned %d\n", cc);
		return 1;
	}
	if ((cc = pvm_mytid()) < 0) {
		printf("start: cannot enroll (%d)\n", cc);
		return 1;
	}
	if ((cc = pvm_start_pvmd(0, NULL, 1)) != PvmDupHost) {
		printf("start: second start returned %d\n", cc);
		return 1;
	}
	if ((cc = pvm_start_pvmd(-1, NULL, 1)) != PvmBadParam) {
		printf("start: negative argc returned %d\n", cc);
		return 1;
	}
	printf("start: ok\n");
	fflush(stdout);
	if (argc < 2)
		pvm_halt();
	return 0;
}
