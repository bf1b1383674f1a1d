/* Calls libfpvm3's routines as a Fortran compiler would, but with the string
 * arguments a buggy or hostile caller could pass: names without any terminator
 * or blank padding, lengths far beyond the argument, empty names. Each call's
 * result is printed as "name=value"; the test checks each is PVM's error code
 * (or the right answer) and that the task carries on. */
#include <stdio.h>
#include <string.h>
#include <stddef.h>

void pvmfmytid_(int *tid);
void pvmfjoingroup_(const char *group, int *inum, size_t len);
void pvmfgsize_(const char *group, int *size, size_t len);
void pvmflvgroup_(const char *group, int *info, size_t len);
void pvmfspawn_(const char *task, int *flag, const char *where, int *ntask,
                int *tids, int *numt, size_t task_len, size_t where_len);
void pvmfconfig_(int *nhost, int *narch, int *dtid, char *name, char *arch,
                 int *speed, int *info, size_t name_len, size_t arch_len);
void pvmfmstat_(const char *host, int *mstat, size_t len);
void pvmfputinfo_(const char *name, int *bufid, int *flags, int *index, size_t len);
void pvmfinitsend_(int *enc, int *bufid);
void pvmfexit_(int *info);

int main(void)
{
    int tid, v, info, zero = 0, one = 1, tids[1];
    int nhost = -1, narch, dtid, speed;
    /* Unterminated and unpadded: the bytes after "grp" are not blanks or NUL. */
    struct { char name[3]; char after[5]; } g = { {'g', 'r', 'p'}, {'X', 'Y', 'Z', 'W', 'V'} };
    char host[8], arch[8];

    pvmfmytid_(&tid);
    printf("mytid=%d\n", tid > 0);

    pvmfjoingroup_(g.name, &v, sizeof g.name);
    printf("join_exact=%d\n", v);
    pvmfgsize_("grpXYZWV", &v, 3);
    printf("gsize_prefix=%d\n", v);
    pvmfjoingroup_(g.name, &v, (size_t)-1);
    printf("join_huge=%d\n", v);
    pvmfjoingroup_(g.name, &v, (size_t)1 << 40);
    printf("join_2^40=%d\n", v);
    pvmfjoingroup_("    ", &v, 4);
    printf("join_blank=%d\n", v);
    pvmfjoingroup_(NULL, &v, 0);
    printf("join_empty=%d\n", v);
    pvmfjoingroup_(NULL, &v, 5);
    printf("join_null=%d\n", v);

    pvmfspawn_("nonexistent_program", &zero, "*", &one, tids, &v, (size_t)-2, 1);
    printf("spawn_huge=%d\n", v);
    pvmfmstat_("localhost", &v, (size_t)-1);
    printf("mstat_huge=%d\n", v);
    pvmfinitsend_(&zero, &v);
    pvmfputinfo_("box", &v, &zero, &info, (size_t)-1);
    printf("putinfo_huge=%d\n", info);

    /* An output string whose length is hostile: refused before anything is written. */
    pvmfconfig_(&nhost, &narch, &dtid, host, arch, &speed, &info, (size_t)-1, sizeof arch);
    printf("config_huge=%d\n", info);
    nhost = -1;
    memset(host, '?', sizeof host);
    pvmfconfig_(&nhost, &narch, &dtid, host, arch, &speed, &info, sizeof host, sizeof arch);
    printf("config=%d nhost=%d padded=%d\n", info, nhost, host[sizeof host - 1] != '?');

    pvmflvgroup_("grp", &v, 3);
    printf("leave=%d\n", v);
    pvmfexit_(&info);
    printf("exit=%d\n", info);
    return 0;
}
