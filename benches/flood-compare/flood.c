/*
 * flood.c: the C twin of libpvm/examples/flood.rs, for PVM 3.4's C library.
 *
 *   flood [count] [size] [round trips]
 *
 * Spawns copies of itself: a sink that waits for SIGUSR1 without calling PVM, then
 * receives `count` messages and checks each is in order and intact; a sender that
 * sends the sink `count` messages of `size` bytes through pvmd, noting every 1000 to
 * us; and a ping/echo pair whose 8-byte round trip is measured before the flood and
 * from when the sender is 5000 messages into it. Then it waits until the sender's
 * notes stop for a second (held) or its last came, measures again, signals the sink
 * and waits for both ends. Prints rtt_before_us, rtt_during_us, "held yes at N" or
 * "held no", rtt_stopped_us, flood_s, drain_s and "sink ok <count> <checksum>";
 * exits 1 if the sink found a fault.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "pvm3.h"

#define DATA 1
#define PROGRESS 2
#define DONE 3
#define RESULT 4
#define GO 5
#define PING 6
#define RTT 7
#define STOP 9
#define INTO_FLOOD 5000

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, 0);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* Message `seq`'s body: its sequence number (big-endian), then xorshift words. */
static void body(uint64_t seq, unsigned char *b, int size)
{
	uint64_t x = (seq * 0x9e3779b97f4a7c15ULL) | 1;
	int i, j;
	for (i = 0; i < 8 && i < size; i++)
		b[i] = (unsigned char)(seq >> (56 - 8 * i));
	while (i < size) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		for (j = 0; j < 8 && i < size; j++, i++)
			b[i] = (unsigned char)(x >> (8 * j));
	}
}

static uint64_t fnv(uint64_t h, const unsigned char *d, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		h ^= d[i];
		h *= 0x00000100000001b3ULL;
	}
	return h;
}

static void send_str(int tid, int tag, const char *s)
{
	pvm_initsend(PvmDataRaw);
	pvm_pkstr((char *)s);
	if (pvm_send(tid, tag) < 0) {
		fprintf(stderr, "flood: send failed\n");
		pvm_exit();
		exit(1);
	}
}

static void recv_str(int tid, int tag, char *s)
{
	if (pvm_recv(tid, tag) < 0) {
		fprintf(stderr, "flood: recv failed\n");
		pvm_exit();
		exit(1);
	}
	pvm_upkstr(s);
}

static int spawn1(char **argv)
{
	int tid = -1;
	if (pvm_spawn("flood", argv, PvmTaskDefault, "", 1, &tid) != 1 || tid < 0) {
		fprintf(stderr, "flood: cannot spawn %s (%d)\n", argv[0], tid);
		pvm_exit();
		exit(1);
	}
	return tid;
}

static void sink(long count, int size)
{
	sigset_t usr1;
	int sig, parent;
	long seq;
	unsigned char *want = malloc(size), *got = malloc(size);
	uint64_t sum = 0xcbf29ce484222325ULL;
	char verdict[200] = "";
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	/* Before joining: a library with threads must leave SIGUSR1 to sigwait too. */
	sigprocmask(SIG_BLOCK, &usr1, 0);
	parent = pvm_parent();
	sigwait(&usr1, &sig);
	for (seq = 0; seq < count; seq++) {
		int bytes, tag, src;
		pvm_recv(-1, DATA);
		pvm_bufinfo(pvm_getrbuf(), &bytes, &tag, &src);
		memset(got, 0, size);
		pvm_upkbyte((char *)got, bytes < size ? bytes : size, 1);
		body(seq, want, size);
		if (!verdict[0] && (bytes != size || memcmp(got, want, size)))
			snprintf(verdict, sizeof verdict, "message %ld wrong (%d bytes)", seq, bytes);
		sum = fnv(sum, got, size);
	}
	if (!verdict[0])
		snprintf(verdict, sizeof verdict, "ok %ld %016llx", count, (unsigned long long)sum);
	send_str(parent, RESULT, verdict);
}

static void sender(int sink, long count, int size)
{
	int parent = pvm_parent();
	unsigned char *b = malloc(size);
	char note[64];
	double t = now();
	long seq;
	for (seq = 0; seq < count; seq++) {
		body(seq, b, size);
		pvm_initsend(PvmDataRaw);
		pvm_pkbyte((char *)b, size, 1);
		if (pvm_send(sink, DATA) < 0) {
			fprintf(stderr, "flood: send failed\n");
			break;
		}
		if ((seq + 1) % 1000 == 0) {
			snprintf(note, sizeof note, "%ld", seq + 1);
			send_str(parent, PROGRESS, note);
		}
	}
	snprintf(note, sizeof note, "%ld", count);
	send_str(parent, PROGRESS, note);
	snprintf(note, sizeof note, "%.3f", now() - t);
	send_str(parent, DONE, note);
}

static void ping(int echo)
{
	int parent = pvm_parent();
	char ping[8] = {1, 2, 3, 4, 5, 6, 7, 8}, s[64];
	for (;;) {
		int bufid = pvm_recv(parent, -1), bytes, tag, src, i;
		long trips;
		double t = now();
		pvm_bufinfo(bufid, &bytes, &tag, &src);
		if (tag == STOP)
			return;
		pvm_upkstr(s);
		trips = atol(s);
		for (i = 0; i < 20 + trips; i++) {
			if (i == 20)
				t = now();
			pvm_initsend(PvmDataRaw);
			pvm_pkbyte(ping, 8, 1);
			pvm_send(echo, PING);
			pvm_recv(echo, PING);
		}
		snprintf(s, sizeof s, "%.2f", (now() - t) * 1e6 / (trips > 0 ? trips : 1));
		send_str(parent, RTT, s);
	}
}

static void echo(void)
{
	int parent = pvm_parent();
	char b[64];
	for (;;) {
		int bufid = pvm_recv(-1, -1), bytes, tag, src;
		pvm_bufinfo(bufid, &bytes, &tag, &src);
		if (tag == STOP && src == parent)
			return;
		if (tag == PING) {
			pvm_upkbyte(b, bytes < 64 ? bytes : 64, 1);
			pvm_initsend(PvmDataRaw);
			pvm_pkbyte(b, bytes < 64 ? bytes : 64, 1);
			pvm_send(src, PING);
		}
	}
}

static double rtt(int pinger, long trips)
{
	char s[64];
	snprintf(s, sizeof s, "%ld", trips);
	send_str(pinger, GO, s);
	recv_str(pinger, RTT, s);
	return atof(s);
}

static int control(long count, int size, long trips)
{
	char cs[32], ss[32], ts[32], s[200], verdict[200];
	char *echo_argv[] = {"echo", 0}, *ping_argv[3], *sink_argv[4], *send_argv[5];
	int echo_tid, pinger, sink_tid, sender_tid;
	long sent = 0;
	double before, during, t;
	struct timeval second = {1, 0};
	if (size < 8) {
		fprintf(stderr, "flood: messages of at least 8 bytes\n");
		return 1;
	}
	echo_tid = spawn1(echo_argv);
	snprintf(ts, sizeof ts, "%d", echo_tid);
	ping_argv[0] = "ping";
	ping_argv[1] = ts;
	ping_argv[2] = 0;
	pinger = spawn1(ping_argv);
	before = rtt(pinger, trips);
	printf("rtt_before_us %.2f\n", before);
	fflush(stdout);

	snprintf(cs, sizeof cs, "%ld", count);
	snprintf(ss, sizeof ss, "%d", size);
	sink_argv[0] = "sink";
	sink_argv[1] = cs;
	sink_argv[2] = ss;
	sink_argv[3] = 0;
	sink_tid = spawn1(sink_argv);
	snprintf(ts, sizeof ts, "%d", sink_tid);
	send_argv[0] = "send";
	send_argv[1] = ts;
	send_argv[2] = cs;
	send_argv[3] = ss;
	send_argv[4] = 0;
	sender_tid = spawn1(send_argv);
	while (sent < INTO_FLOOD && sent < count) {
		recv_str(sender_tid, PROGRESS, s);
		sent = atol(s);
	}
	during = rtt(pinger, trips);
	printf("rtt_during_us %.2f\n", during);
	while (sent < count && pvm_trecv(sender_tid, PROGRESS, &second) > 0) {
		pvm_upkstr(s);
		sent = atol(s);
	}
	if (sent < count)
		printf("held yes at %ld\n", sent);
	else
		printf("held no\n");
	printf("rtt_stopped_us %.2f\n", rtt(pinger, trips));
	fflush(stdout);
	t = now();
	pvm_sendsig(sink_tid, SIGUSR1);
	recv_str(sender_tid, DONE, s);
	recv_str(sink_tid, RESULT, verdict);
	printf("flood_s %s\n", s);
	printf("drain_s %.3f\n", now() - t);
	pvm_initsend(PvmDataRaw);
	pvm_send(pinger, STOP);
	pvm_initsend(PvmDataRaw);
	pvm_send(echo_tid, STOP);
	printf("sink %s\n", verdict);
	return strncmp(verdict, "ok ", 3) != 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc > 1 && !strcmp(argv[1], "sink"))
		sink(atol(argv[2]), atoi(argv[3]));
	else if (argc > 1 && !strcmp(argv[1], "send"))
		sender(atoi(argv[2]), atol(argv[3]), atoi(argv[4]));
	else if (argc > 1 && !strcmp(argv[1], "ping"))
		ping(atoi(argv[2]));
	else if (argc > 1 && !strcmp(argv[1], "echo"))
		echo();
	else
		rc = control(argc > 1 ? atol(argv[1]) : 1000000, argc > 2 ? atoi(argv[2]) : 1024,
			     argc > 3 ? atol(argv[3]) : 2000);
	pvm_exit();
	return rc;
}
