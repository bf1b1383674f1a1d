/*
 * pvm_reduce (PvmSum, PvmMax, PvmMin, PvmProduct), pvm_gather and pvm_scatter for
 * every PVM data type, over a frozen group of NPROC copies of this program.
 *
 * Started without a parent it spawns the others (spawnable as "collect"). Each
 * member checks what it received and sends its number of failures to instance 0,
 * which prints "collect: <members> members, <failures> failures".
 */
#include <stdio.h>
#include "pvm3.h"

#define NPROC 3
#define COUNT 4
#define GROUP "collect"
#define TAG_DONE 99

static int inst, failures;

static void fail(const char *type, const char *what, int i)
{
	failures++;
	printf("collect %d: %s %s wrong at %d\n", inst, type, what, i);
}

/* Sum, max, min and product of (k + 1 + i) over instances k, gather of k*10+i to a
 * root, scatter of k*10+i+1 from a root; ROOTS vary so not only instance 0 roots. */
#define TEST_REAL(T, DT, NAME)                                                  \
	do {                                                                        \
		T v[COUNT], all[NPROC * COUNT];                                         \
		int i, k, r;                                                            \
		for (r = 0; r < 4; r++) {                                               \
			void (*f)() = r == 0 ? PvmSum : r == 1 ? PvmMax                     \
				: r == 2 ? PvmMin : PvmProduct;                                 \
			int root = r % NPROC;                                               \
			for (i = 0; i < COUNT; i++)                                         \
				v[i] = (T) (inst + 1 + i);                                      \
			if (pvm_reduce(f, v, COUNT, DT, 10 + r, GROUP, root) < 0)           \
				fail(NAME, "reduce call", r);                                   \
			if (inst != root)                                                   \
				continue;                                                       \
			for (i = 0; i < COUNT; i++) {                                       \
				T want = r == 0 ? (T) 0 : r == 1 ? (T) (NPROC + i)              \
					: r == 2 ? (T) (1 + i) : (T) 1;                             \
				if (r == 0 || r == 3)                                           \
					for (k = 0; k < NPROC; k++)                                 \
						want = r == 0 ? (T) (want + (T) (k + 1 + i))            \
							: (T) (want * (T) (k + 1 + i));                     \
				if (v[i] != want)                                               \
					fail(NAME, "reduce", r * 100 + i);                          \
			}                                                                   \
		}                                                                       \
		for (i = 0; i < COUNT; i++)                                             \
			v[i] = (T) (inst * 10 + i);                                         \
		if (pvm_gather(all, v, COUNT, DT, 20, GROUP, 1) < 0)                    \
			fail(NAME, "gather call", 0);                                       \
		if (inst == 1)                                                          \
			for (k = 0; k < NPROC * COUNT; k++)                                 \
				if (all[k] != (T) ((k / COUNT) * 10 + k % COUNT))               \
					fail(NAME, "gather", k);                                    \
		if (inst == 2)                                                          \
			for (k = 0; k < NPROC * COUNT; k++)                                 \
				all[k] = (T) ((k / COUNT) * 10 + k % COUNT + 1);                \
		if (pvm_scatter(v, all, COUNT, DT, 21, GROUP, 2) < 0)                   \
			fail(NAME, "scatter call", 0);                                      \
		for (i = 0; i < COUNT; i++)                                             \
			if (v[i] != (T) (inst * 10 + i + 1))                                \
				fail(NAME, "scatter", i);                                       \
	} while (0)

/* Complex: sum and product of (k + 1 + i, 1) over instances; max/min must refuse. */
#define TEST_COMPLEX(T, DT, NAME)                                               \
	do {                                                                        \
		T v[2 * COUNT], re, im, t;                                              \
		int i, k;                                                               \
		for (i = 0; i < COUNT; i++) {                                           \
			v[2 * i] = (T) (inst + 1 + i);                                      \
			v[2 * i + 1] = 1;                                                   \
		}                                                                       \
		if (pvm_reduce(PvmSum, v, COUNT, DT, 30, GROUP, 0) < 0)                 \
			fail(NAME, "reduce sum call", 0);                                   \
		if (inst == 0)                                                          \
			for (i = 0; i < COUNT; i++)                                         \
				if (v[2 * i] != (T) (NPROC * (1 + i) + NPROC * (NPROC - 1) / 2) \
				|| v[2 * i + 1] != (T) NPROC)                                   \
					fail(NAME, "reduce sum", i);                                \
		for (i = 0; i < COUNT; i++) {                                           \
			v[2 * i] = (T) (inst + 1 + i);                                      \
			v[2 * i + 1] = 1;                                                   \
		}                                                                       \
		if (pvm_reduce(PvmProduct, v, COUNT, DT, 31, GROUP, 0) < 0)             \
			fail(NAME, "reduce product call", 0);                               \
		if (inst == 0)                                                          \
			for (i = 0; i < COUNT; i++) {                                       \
				re = 1; im = 0;                                                 \
				for (k = 0; k < NPROC; k++) {                                   \
					t = re * (T) (k + 1 + i) - im;                              \
					im = re + im * (T) (k + 1 + i);                             \
					re = t;                                                     \
				}                                                               \
				if (v[2 * i] != re || v[2 * i + 1] != im)                       \
					fail(NAME, "reduce product", i);                            \
			}                                                                   \
	} while (0)

int main(void)
{
	int tids[NPROC], parent, k, n, total, members;

	if (pvm_mytid() < 0)
		return 2;
	/* The first task joins before it spawns the others, so it is instance 0 and
	 * the one that prints the summary on the test's stdout. */
	parent = pvm_parent();
	inst = pvm_joingroup(GROUP);
	if (parent == PvmNoParent && pvm_spawn("collect", NULL, 0, "", NPROC - 1,
			tids) != NPROC - 1) {
		printf("collect: spawn failed\n");
		pvm_exit();
		return 2;
	}
	if (pvm_freezegroup(GROUP, NPROC) != NPROC)
		fail("group", "freezegroup", 0);

	TEST_REAL(signed char, PVM_BYTE, "byte");
	TEST_REAL(short, PVM_SHORT, "short");
	TEST_REAL(int, PVM_INT, "int");
	TEST_REAL(long, PVM_LONG, "long");
	TEST_REAL(unsigned short, PVM_USHORT, "ushort");
	TEST_REAL(unsigned int, PVM_UINT, "uint");
	TEST_REAL(unsigned long, PVM_ULONG, "ulong");
	TEST_REAL(float, PVM_FLOAT, "float");
	TEST_REAL(double, PVM_DOUBLE, "double");
	TEST_COMPLEX(float, PVM_CPLX, "cplx");
	TEST_COMPLEX(double, PVM_DCPLX, "dcplx");

	if (inst == 0) {
		total = failures;
		members = 1;
		for (k = 1; k < NPROC; k++) {
			pvm_recv(-1, TAG_DONE);
			pvm_upkint(&n, 1, 1);
			total += n;
			members++;
		}
		printf("collect: %d members, %d failures\n", members, total);
	} else {
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&failures, 1, 1);
		pvm_send(pvm_gettid(GROUP, 0), TAG_DONE);
	}
	pvm_barrier(GROUP, NPROC);
	pvm_lvgroup(GROUP);
	pvm_exit();
	return 0;
}
