/* attr.h: compiler attributes shared by every layer. */
#ifndef NETLAB_ATTR_H
#define NETLAB_ATTR_H

/* On every function that returns an error (-errno, or an exit status): a caller that drops it does
 * not compile (-Werror). */
#define _must_check_ __attribute__((warn_unused_result))

#endif
