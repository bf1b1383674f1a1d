/* Errors reported on a closed stderr: PvmAutoErr reports and pvm_perror must lose
 * their text quietly, never crash the program. Prints "survived" when they did. */
#include <stdio.h>
#include <unistd.h>
#include "pvm3.h"

int main(void)
{
    if (pvm_mytid() < 0)
        return 2;
    pvm_setopt(PvmAutoErr, 1);
    close(2);
    /* Reported by PvmAutoErr: a send to a tid that cannot exist. */
    int rc = pvm_initsend(PvmDataDefault);
    if (rc < 0)
        return 3;
    rc = pvm_send(-5, 1);
    if (rc != PvmBadParam)
        return 4;
    pvm_perror("closed_stderr");
    printf("survived\n");
    fflush(stdout);
    pvm_exit();
    return 0;
}
