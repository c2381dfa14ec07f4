/* keyheap_direct.h - the key heap's allocator calls with their touch and settling (keyheap.h)
 * done at once, for tests that drive a key heap from one thread with no gate. */
#ifndef NMAPI_TEST_KEYHEAP_DIRECT_H
#define NMAPI_TEST_KEYHEAP_DIRECT_H

#include "keyheap.h"

static inline enum keyheap_status direct_finish(struct keyheap *kh, enum keyheap_status st,
                                                struct keyheap_touch *t)
{
    if (st == KEYHEAP_OK) {
        keyheap_touch(t);
        if (t->what & KEYHEAP_TOUCH_SETTLE)
            keyheap_settle(kh, t);
    }
    return st;
}

static inline enum keyheap_status direct_alloc(struct keyheap *kh, size_t size, void **out)
{
    struct keyheap_touch t;
    return direct_finish(kh, keyheap_alloc(kh, size, out, &t), &t);
}

static inline enum keyheap_status direct_realloc(struct keyheap *kh, void *block, size_t size,
                                                 void **out)
{
    struct keyheap_touch t;
    return direct_finish(kh, keyheap_realloc(kh, block, size, out, &t), &t);
}

static inline enum keyheap_status direct_free(struct keyheap *kh, void *block)
{
    struct keyheap_touch t;
    return direct_finish(kh, keyheap_free(kh, block, &t), &t);
}

#endif
