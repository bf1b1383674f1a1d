#if (1)
#include "x.inc"