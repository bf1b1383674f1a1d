/*
 * pvm_packf / pvm_unpackf: values and arrays of every conversion, counts and strides
 * written and taken from '*', sent to ourselves and read back; bad formats refused.
 * Prints "packf: N checks, M failed"; exits 0 only when all passed.
 */
#include <stdio.h>
#include <string.h>
#include "pvm3.h"

static int checks, failed;

static void check(const char *what, int ok)
{
	checks++;
	if (!ok) {
		failed++;
		printf("FAIL %s\n", what);
	}
}

#define CHECK(cond) check(#cond, (cond))

int main(void)
{
	int me, ia[6] = { 1, 2, 3, 4, 5, 6 }, ib[3] = { 0 }, i = 0, n = 3;
	short hs = 0; unsigned short uh = 0; unsigned int ui = 0;
	long l = 0; unsigned long ul = 0; char c = 0, s[32];
	float f = 0, cx[4] = { 1, 2, 3, 4 }, cy[4] = { 0 };
	double d = 0, da[4] = { 0.5, 1.5, 2.5, 3.5 }, db[2] = { 0 };

	if ((me = pvm_mytid()) < 0)
		return 2;
	pvm_setopt(PvmAutoErr, 0);

	CHECK(pvm_packf("%+ %d %hd %hud %ud %ld %lud %c %f %lf %s",
		PvmDataDefault, -7, (short) -3, (unsigned short) 65000, 4000000000u,
		-50000L, 90000UL, 'q', 1.25, 2.75, "hello") == 0);
	CHECK(pvm_packf("%3.2d %*d %2.*lf %2x", ia, n, ia, 2, da, cx) == 0);
	CHECK(pvm_send(me, 1) == 0);
	CHECK(pvm_recv(me, 1) > 0);
	CHECK(pvm_unpackf("%d %hd %hud %ud %ld %lud %c %f %lf %s",
		&i, &hs, &uh, &ui, &l, &ul, &c, &f, &d, s) == 0);
	CHECK(i == -7 && hs == -3 && uh == 65000 && ui == 4000000000u);
	CHECK(l == -50000L && ul == 90000UL && c == 'q');
	CHECK(f == 1.25f && d == 2.75 && strcmp(s, "hello") == 0);
	CHECK(pvm_unpackf("%3d", ib) == 0);
	CHECK(ib[0] == 1 && ib[1] == 3 && ib[2] == 5);
	CHECK(pvm_unpackf("%*d", n, ib) == 0);
	CHECK(ib[0] == 1 && ib[1] == 2 && ib[2] == 3);
	CHECK(pvm_unpackf("%2lf", db) == 0);
	CHECK(db[0] == 0.5 && db[1] == 2.5);
	CHECK(pvm_unpackf("%2x", cy) == 0);
	CHECK(cy[0] == 1 && cy[3] == 4);
	CHECK(pvm_unpackf("%d", &i) == PvmNoData);

	/* Hostile: no format, a format cut short, unknown conversions, NULL arrays,
	 * negative counts, a complex passed by value. */
	CHECK(pvm_initsend(PvmDataDefault) > 0);
	CHECK(pvm_packf(NULL) == PvmBadParam);
	CHECK(pvm_unpackf(NULL) == PvmBadParam);
	CHECK(pvm_packf("%3") == PvmBadParam);
	CHECK(pvm_packf("%q", 1) == PvmBadParam);
	CHECK(pvm_packf("%3d", (int *) 0) == PvmBadParam);
	CHECK(pvm_packf("%*d", -2, ia) == PvmBadParam);
	CHECK(pvm_packf("%s", (char *) 0) == PvmBadParam);
	CHECK(pvm_packf("%x", 1.0) == PvmBadParam);
	CHECK(pvm_packf("%+", 99) == PvmBadParam);
	CHECK(pvm_packf("plain text, no conversions") == 0);

	pvm_exit();
	printf("packf: %d checks, %d failed\n", checks, failed);
	return failed != 0;
}
