/*
 * Hostile arguments through the C interface: every call must come back with PVM's
 * error code and the process (and the daemon) must survive.
 *
 * Prints one line per failed check and a summary "hostile: N checks, M failed";
 * exits 0 only when all passed. HOSTILE_TRACE=1 in the environment prints every call's
 * result on stderr. With the argument "nonull" the checks that pass
 * NULL pointers are skipped (PVM 3.4.6's own library crashes on most of them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pvm3.h"

static int checks, failed, skip_null, trace;

static void check(const char *what, int got, int want)
{
	checks++;
	if (trace)
		fprintf(stderr, "%s -> %d\n", what, got);
	if (got != want) {
		failed++;
		printf("FAIL %s: got %d, want %d\n", what, got, want);
	}
}

#define CHECK(expr, want) check(#expr, (expr), (want))
#define CHECK_NULL(expr, want) do { if (!skip_null) CHECK(expr, want); } while (0)

static void buffers(int me)
{
	int x = 7, y[2] = { 0, 0 }, bufid, bytes, tag, src;
	double d = 0;
	char s[16];
	struct pvmminfo mi;

	CHECK(pvm_initsend(PvmDataDefault) > 0, 1);
	CHECK(pvm_initsend(99), PvmBadParam);
	CHECK(pvm_initsend(PvmDataDefault) > 0, 1);
	CHECK(pvm_pkint(&x, -1, 1), PvmBadParam);
	/* Stride 0 is allowed: it packs the one item (so the message holds x twice). */
	CHECK(pvm_pkint(&x, 1, 0), 0);
	CHECK_NULL(pvm_pkint(NULL, 1, 1), PvmBadParam);
	CHECK_NULL(pvm_pkstr(NULL), PvmBadParam);
	CHECK(pvm_freebuf(-3), PvmBadParam);
	CHECK(pvm_freebuf(9999), PvmNoSuchBuf);
	CHECK(pvm_bufinfo(9999, &bytes, &tag, &src), PvmNoSuchBuf);
	CHECK(pvm_setsbuf(9999), PvmNoSuchBuf);

	/* One int to ourselves, then unpack more, and other types, than it holds. */
	CHECK(pvm_pkint(&x, 1, 1), 0);
	CHECK(pvm_send(me, 5), 0);
	bufid = pvm_recv(me, 5);
	CHECK(bufid > 0, 1);
	CHECK(pvm_bufinfo(bufid, NULL, NULL, NULL), 0);
	CHECK(pvm_getminfo(bufid, &mi), 0);
	CHECK(mi.len, 8);
	CHECK(mi.tag, 5);
	CHECK(mi.src, me);
	CHECK(mi.dst, me);
	CHECK(pvm_getminfo(9999, &mi), PvmNoSuchBuf);
	CHECK_NULL(pvm_getminfo(bufid, NULL), PvmBadParam);
	mi.tag = 77;
	CHECK(pvm_setminfo(bufid, &mi), 0);
	CHECK(pvm_bufinfo(bufid, NULL, &tag, NULL), 0);
	CHECK(tag, 77);
	CHECK(pvm_setminfo(9999, &mi), PvmNoSuchBuf);
	CHECK(pvm_upkint(y, -2, 1), PvmBadParam);
	CHECK_NULL(pvm_upkint(NULL, 1, 1), PvmBadParam);
	CHECK(pvm_upkint(y, 2, 1), 0);
	CHECK(y[0] + y[1], 14);
	CHECK(pvm_upkdouble(&d, 1, 1), PvmNoData);
	CHECK(pvm_upkint(y, 1, 1), PvmNoData);
	CHECK(pvm_upkstr(s), PvmNoData);
	CHECK(pvm_freebuf(bufid), 0);
	CHECK(pvm_upkint(y, 1, 1), PvmNoBuf);
}

static void messages(int me)
{
	int tids[2] = { me, me }, data[3] = { 1, 2, 3 }, rtid, rtag, rlen;

	CHECK(pvm_initsend(PvmDataDefault) > 0, 1);
	CHECK(pvm_send(-5, 1), PvmBadParam);
	CHECK(pvm_send(me, -7), PvmBadParam);
	CHECK(pvm_mcast(tids, -1, 1), PvmBadParam);
	CHECK_NULL(pvm_mcast(NULL, 2, 1), PvmBadParam);
	CHECK(pvm_nrecv(me, 4242), 0);
	CHECK(pvm_probe(me, 4242), 0);
	CHECK_NULL(pvm_psend(me, 1, NULL, 3, PVM_INT), PvmBadParam);
	CHECK(pvm_psend(me, 1, data, -3, PVM_INT), PvmBadParam);
	CHECK(pvm_psend(me, 1, data, 3, 99), PvmBadParam);
	CHECK(pvm_psend(me, 6, data, 3, PVM_INT), 0);
	CHECK(pvm_precv(me, 6, data, 3, 99, &rtid, &rtag, &rlen), PvmBadParam);
	CHECK(pvm_precv(me, 6, data, 3, PVM_INT, NULL, NULL, NULL), 0);
	CHECK(data[2], 3);
}

static void groups(void)
{
	int v[2] = { 1, 2 }, dt = PVM_CPLX, n = 1, info = 0, a = 3, b = 4;
	float c1[2] = { 1, 1 }, c2[2] = { 2, 2 };

	CHECK_NULL(pvm_joingroup(NULL), PvmNullGroup);
	CHECK(pvm_gsize("hostile-no-such-group"), PvmNoGroup);
	CHECK(pvm_gettid("hostile-no-such-group", 0), PvmNoGroup);
	CHECK(pvm_joingroup("hostile"), 0);
	CHECK(pvm_gettid("hostile", 5), PvmNoInst);
	CHECK(pvm_getinst("hostile", 0x4ffff), PvmNotInGroup);
	CHECK(pvm_barrier("hostile", 0), PvmBadParam);
	CHECK(pvm_reduce(NULL, v, 2, PVM_INT, 1, "hostile", 0), PvmBadParam);
	CHECK(pvm_reduce(PvmSum, v, -2, PVM_INT, 1, "hostile", 0), PvmBadParam);
	CHECK(pvm_reduce(PvmSum, v, 2, 99, 1, "hostile", 0), PvmBadParam);
	CHECK(pvm_reduce(PvmSum, v, 2, PVM_INT, 1, "hostile", -1), PvmBadParam);
	CHECK(pvm_reduce(PvmSum, v, 2, PVM_INT, 1, "hostile", 3), PvmNoInst);
	CHECK(pvm_reduce(PvmSum, v, 2, PVM_INT, 1, "hostile-no-such-group", 0),
		PvmNoGroup);
	CHECK_NULL(pvm_reduce(PvmSum, NULL, 2, PVM_INT, 1, "hostile", 0), PvmBadParam);
	CHECK_NULL(pvm_gather(NULL, v, 2, PVM_INT, 1, "hostile", 0), PvmBadParam);
	CHECK_NULL(pvm_scatter(v, NULL, 2, PVM_INT, 1, "hostile", 0), PvmBadParam);
	CHECK_NULL(pvm_gather(v, v, 1, PVM_INT, 1, NULL, 0), PvmNullGroup);
	/* A group of one: the root's own data is the whole answer. */
	CHECK(pvm_reduce(PvmMax, v, 2, PVM_INT, 1, "hostile", 0), 0);
	CHECK(v[1], 2);
	CHECK(pvm_lvgroup("hostile"), 0);
	/* The last member left, so the group is gone. */
	CHECK(pvm_lvgroup("hostile"), PvmNoGroup);

	/* The predefined functions called directly. */
	PvmMax(&dt, c1, c2, &n, &info);
	CHECK(info, PvmBadParam);
	CHECK((int) c1[0], 1);
	dt = PVM_INT;
	PvmSum(&dt, &a, &b, &n, &info);
	CHECK(info, 0);
	CHECK(a, 7);
	n = -1;
	PvmProduct(&dt, &a, &b, &n, &info);
	CHECK(info, PvmBadParam);
	if (!skip_null) {
		n = 1;
		PvmMin(NULL, &a, &b, &n, &info);
		CHECK(info, PvmBadParam);
		PvmMin(&dt, &a, &b, &n, NULL);
		CHECK(a, 4);
	}
}

static void tasks(int me)
{
	int tid = 0, x = 1, ghost = me + 100;

	/* A tid nobody has: sends vanish (PVM's messages are asynchronous), questions
	 * about it fail. */
	CHECK(pvm_initsend(PvmDataDefault) > 0, 1);
	CHECK(pvm_pkint(&x, 1, 1), 0);
	CHECK(pvm_send(ghost, 1), 0);
	CHECK(pvm_psend(ghost, 1, &x, 1, PVM_INT), 0);
	CHECK(pvm_pstat(ghost), PvmNoTask);
	CHECK(pvm_nrecv(ghost, 1), 0);
	CHECK(pvm_notify(PvmTaskExit, 9, 1, &ghost), 0);

	CHECK_NULL(pvm_spawn(NULL, NULL, 0, "", 1, &tid), PvmBadParam);
	CHECK(pvm_spawn("hostile-no-such-program", NULL, 0, "", -1, &tid), PvmBadParam);
	CHECK(pvm_kill(-4), PvmBadParam);
	CHECK(pvm_pstat(0x4ffff), PvmNoTask);
	CHECK_NULL(pvm_lookup(NULL, 0, NULL), PvmBadParam);
}

int main(int argc, char **argv)
{
	int me;

	skip_null = argc > 1 && strcmp(argv[1], "nonull") == 0;
	trace = getenv("HOSTILE_TRACE") != NULL;
	me = pvm_mytid();
	if (me < 0) {
		printf("hostile: cannot enroll (%d)\n", me);
		return 2;
	}
	pvm_setopt(PvmAutoErr, 0);
	buffers(me);
	messages(me);
	groups();
	tasks(me);
	/* Still a working task after all that. */
	CHECK(pvm_mytid(), me);
	CHECK(pvm_exit(), 0);
	printf("hostile: %d checks, %d failed\n", checks, failed);
	return failed != 0;
}
