// Process-level helpers that Swift 6 cannot express safely (global C state).
#include "sparrow_kernels.h"

#include <stdio.h>

void sparrow_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
