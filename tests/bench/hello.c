/* The bench's floor for process start: a C program that links only libc
 * and prints a version line, as `zongjie --version` does. */
#include <stdio.h>

int
main(void)
{
	puts("zongjie 0.1");
	return 0;
}
