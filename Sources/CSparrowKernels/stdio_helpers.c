// Process-level helpers that Swift 6 cannot express safely (global C state).
#include "sparrow_kernels.h"

#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void sparrow_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

int sparrow_lower_thread_priority(int niceness) {
#if defined(__linux__)
    // On Linux a thread is a schedulable task with its own nice value.
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), niceness);
#else
    (void)niceness;
    return -1;
#endif
}

int sparrow_release_free_memory(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}
