/* Common includes for the cmocka unit tests. */
#ifndef ZJ_TESTUTIL_H
#define ZJ_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Path of the test data directory (tests run from the repository root). */
#define TESTDATA "tests/data"

#endif
