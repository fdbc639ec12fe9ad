#define _GNU_SOURCE
#include "CLinuxShim.h"
#include <sched.h>

int cls_unshare(int flags) { return unshare(flags); }
