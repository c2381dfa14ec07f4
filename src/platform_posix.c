/* platform_posix.c - the out-of-line part of platform_posix.h. */
#include "platform.h"

#include <stdlib.h>

void *plat_zalloc(size_t size)
{
    return calloc(1, size ? size : 1);
}

void plat_free(void *p)
{
    free(p);
}
