#ifndef KEYREACH_CMEMORY_H
#define KEYREACH_CMEMORY_H

/// Hands the free memory malloc keeps back to the operating system: glibc's
/// malloc_trim(0), which also releases free pages inside the arenas of other
/// threads (memory a parallel stage freed stays resident otherwise, since
/// the next stage allocates on another thread's arena). Returns 1 when
/// memory was released, 0 when not (or on a C library without it).
int keyreach_release_free_memory(void);

#endif
