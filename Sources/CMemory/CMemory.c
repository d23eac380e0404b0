#include "CMemory.h"

#if defined(__GLIBC__)
#include <malloc.h>

int keyreach_release_free_memory(void) { return malloc_trim(0); }
#else
int keyreach_release_free_memory(void) { return 0; }
#endif
