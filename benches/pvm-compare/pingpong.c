/*
 * pingpong.c: the C twin of libpvm/examples/pingpong.rs, for PVM 3.4's C library.
 *
 *   pingpong [pvmd|direct] [round trips] [1 MB messages]
 *
 * Spawns a copy of itself as an echo task, measures the mean round trip of an 8-byte
 * message and the throughput of a stream of 1 MB messages acknowledged at the end,
 * and prints "rtt_us <mean>" and "mbps <MB/s>". Both sides send with PvmDataInPlace,
 * so neither implementation copies the 1 MB body into a send buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "pvm3.h"

#define PING 1
#define BULK 2
#define ACK 3
#define STOP 9
#define MB (1 << 20)

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, 0);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static void send_bytes(int tid, int tag, char *data, int len)
{
	pvm_initsend(PvmDataInPlace);
	if (len > 0)
		pvm_pkbyte(data, len, 1);
	if (pvm_send(tid, tag) < 0) {
		fprintf(stderr, "pingpong: send failed\n");
		pvm_exit();
		exit(1);
	}
}

static void round_trips(int peer, int n)
{
	char ping[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	int i;
	for (i = 0; i < n; i++) {
		send_bytes(peer, PING, ping, 8);
		pvm_recv(peer, PING);
	}
}

static void stream(int peer, char *body, int n)
{
	int i;
	for (i = 0; i < n; i++)
		send_bytes(peer, BULK, body, MB);
	send_bytes(peer, ACK, 0, 0);
	pvm_recv(peer, ACK);
}

static int echo(void)
{
	int parent = pvm_parent();
	static char buf[MB];
	for (;;) {
		int bufid = pvm_recv(parent, -1), len, tag, src;
		if (bufid < 0)
			return 1;
		pvm_bufinfo(bufid, &len, &tag, &src);
		if (tag == STOP)
			return 0;
		if (tag == PING || tag == ACK) {
			if (len > 0)
				pvm_upkbyte(buf, len, 1);
			send_bytes(parent, tag, buf, len);
		}
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "pvmd";
	int reps = argc > 2 && strcmp(mode, "echo") ? atoi(argv[2]) : 2000;
	int bulk = argc > 3 ? atoi(argv[3]) : 200;
	char *spawn_args[] = {"echo", (char *)mode, 0};
	int peer, rc = 0;
	double t, rtt, mbps;
	char *body, *self;

	if (pvm_mytid() < 0)
		return 1;
	if (strcmp(mode, "echo") == 0) {
		if (argc > 2 && strcmp(argv[2], "direct") == 0)
			pvm_setopt(PvmRoute, PvmRouteDirect);
		rc = echo();
		pvm_exit();
		return rc;
	}
	if (strcmp(mode, "direct") == 0)
		pvm_setopt(PvmRoute, PvmRouteDirect);
	/* An absolute path is spawned as is; a bare name is found through the spawn path. */
	self = argv[0][0] == '/' || !strrchr(argv[0], '/') ? argv[0] : strrchr(argv[0], '/') + 1;
	if (pvm_spawn(self, spawn_args, PvmTaskDefault, "", 1, &peer) != 1) {
		fprintf(stderr, "pingpong: cannot start the echo task (%d)\n", peer);
		pvm_exit();
		return 1;
	}
	round_trips(peer, 50);
	t = now();
	round_trips(peer, reps);
	rtt = (now() - t) * 1e6 / reps;
	body = malloc(MB);
	memset(body, 0x5a, MB);
	stream(peer, body, 5);
	t = now();
	stream(peer, body, bulk);
	mbps = bulk / (now() - t);
	send_bytes(peer, STOP, 0, 0);
	printf("rtt_us %.2f\n", rtt);
	printf("mbps %.1f\n", mbps);
	free(body);
	pvm_exit();
	return 0;
}
