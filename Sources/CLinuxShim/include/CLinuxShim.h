#ifndef CLINUXSHIM_H
#define CLINUXSHIM_H
// The few Linux syscalls and constants Swift's Glibc module does not expose. Each function is a
// thin pass-through returning -1 and setting errno on failure; Swift wrappers name the step.
#include <sys/types.h>
#include <stdint.h>

int cls_unshare(int flags);
#endif
