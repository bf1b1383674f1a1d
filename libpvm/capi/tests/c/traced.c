/* Trace events from C: the parent traces its child (PvmTraceTid/Code and the
 * children's mask), the child sends and receives, and the parent reads the trace
 * messages it gets, checking markers, event ids and fields as PVM 3.4's tracer reads
 * them. Prints "ok"/"FAIL" lines and "done N failures". */
#include <stdio.h>
#include <string.h>
#include <pvm3.h>

#define TRACE_TAG 777
#define EV_ENTRY 0x4000
#define EV_EXIT 0x8000
enum { EXIT = 7, MYTID = 26, PKINT = 36, RECV = 45, SEND = 47 };

static int failures;
static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok) failures++;
}

static void set(char *mask, int ev) { mask[ev / 4] |= 1 << (ev & 3); }

static int child(void) {
    int parent = pvm_parent();
    int v = 42;
    pvm_mytid();
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    pvm_send(parent, 5);
    pvm_recv(parent, 6);
    pvm_exit();
    return 0;
}

/* Reads one field of a descriptor: did, type, value (ints and strings only). */
static int field(int *did, int *val, char *str) {
    int type;
    pvm_upkint(did, 1, 1);
    pvm_upkint(&type, 1, 1);
    if (type == 12) return pvm_upkstr(str);
    if (type & 0x80) { int n, i; pvm_upkint(&n, 1, 1); *val = n;
        for (i = 0; i < n; i++) { int x; pvm_upkint(&x, 1, 1); } return 0; }
    return pvm_upkint(val, 1, 1);
}

int main(int argc, char **argv) {
    pvm_setopt(PvmAutoErr, 0);
    int me = pvm_mytid(), kid, v, buffered = argc > 2;
    char mask[36];
    int seen_send_entry = 0, seen_send_exit = 0, seen_recv_exit = 0, seen_exit = 0;
    int seen_pkint = 0, seen_mytid = 0, records = 0, buffers = 0, done = 0;

    if (argc > 1 && !strcmp(argv[1], "child")) return child();
    memset(mask, '@', 35); mask[35] = 0;
    set(mask, SEND); set(mask, RECV); set(mask, EXIT); set(mask, PKINT); set(mask, MYTID);
    pvm_setopt(PvmTraceTid, me);
    pvm_setopt(PvmTraceCode, TRACE_TAG);
    pvm_setopt(PvmTraceBuffer, buffered ? 4000 : 0);
    check(pvm_settmask(PvmTaskChild, mask) == 0, "settmask child");
    {
        char *args[] = { "child", 0 };
        check(pvm_spawn("traced", args, PvmTaskDefault, "", 1, &kid) == 1, "spawn");
    }
    pvm_recv(kid, 5);
    pvm_upkint(&v, 1, 1);
    check(v == 42, "child's message");
    pvm_initsend(PvmDataDefault);
    pvm_send(kid, 6);

    while (!done) {
        struct timeval tmout = { 10, 0 };
        int marker, id, src, tag, nb;
        if (pvm_trecv(kid, TRACE_TAG, &tmout) <= 0) { check(0, "trace message came"); break; }
        pvm_bufinfo(pvm_getrbuf(), &nb, &tag, &src);
        while (pvm_upkint(&marker, 1, 1) == 0) {
            if (marker == -1) { buffers++; continue; }
            if (marker == -2) continue;
            if (marker != -5 && marker != -7) { printf("FAIL marker %d\n", marker); failures++; break; }
            pvm_upkint(&id, 1, 1);
            if (marker == -5) {
                char name[64], s[256];
                int did, val, ts = -1, tid = -1, dst = -1, mc = -1, mnb = -1, cc = -99, mb = -1;
                pvm_upkstr(name);
                for (;;) {
                    int peek;
                    /* a field starts with its did (>= 0); the end marker is -6 */
                    if (pvm_upkint(&peek, 1, 1) < 0) { check(0, "descriptor ends"); break; }
                    if (peek == -6) break;
                    {   int type; did = peek; pvm_upkint(&type, 1, 1);
                        if (type == 12) pvm_upkstr(s);
                        else if (type & 0x80) { int n, i, x; pvm_upkint(&n, 1, 1);
                            for (i = 0; i < n; i++) pvm_upkint(&x, 1, 1); val = n; }
                        else if (type == 8) { long l; pvm_upklong(&l, 1, 1); val = (int) l; }
                        else pvm_upkint(&val, 1, 1); }
                    if (did == 106) ts = val;
                    if (did == 88) tid = val;
                    if (did == 50) dst = val;
                    if (did == 45) mc = val;
                    if (did == 48) mnb = val;
                    if (did == 4) cc = val;
                    if (did == 47) mb = val;
                }
                (void) field; (void) mb;
                printf("event %s 0x%x\n", name, id);
                check(ts > 1000000000 && tid == kid, "descriptor has time and the child's tid");
                if (id == (SEND | EV_ENTRY)) {
                    seen_send_entry = 1;
                    check(!strcmp(name, "send") && dst == me && mc == 5 && mnb == 4, "send entry: send, dst, tag 5, 4 bytes");
                }
                if (id == (SEND | EV_EXIT)) { seen_send_exit = 1; check(cc == 0, "send exit cc 0"); }
                if (id == (RECV | EV_EXIT)) { seen_recv_exit = 1; check(mc == 6 && !strcmp(name, "recv"), "recv exit tag 6"); }
                if (id == (PKINT | EV_ENTRY)) seen_pkint = 1;
                if (id == (MYTID | EV_EXIT)) seen_mytid = 1;
                if (id == (EXIT | EV_ENTRY)) { seen_exit = 1; done = 1; }
            } else {
                /* records of events already described: not expected in this run */
                records++;
                break;
            }
        }
    }
    check(seen_send_entry && seen_send_exit, "send traced");
    check(seen_recv_exit, "recv traced");
    check(seen_pkint, "pkint traced");
    check(seen_mytid, "mytid traced");
    check(seen_exit, "exit traced");
    check(records == 0, "first events are descriptors");
    check(buffered ? buffers >= 1 : buffers == 0, "buffer markers as PvmTraceBuffer says");
    printf("done %d failures\n", failures);
    pvm_exit();
    return failures != 0;
}
